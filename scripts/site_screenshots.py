"""Screenshots of the course website for the README: the home page, a derivation, a walkthrough.

    python scripts/site_screenshots.py [--site DIR]    # builds the site first when DIR has none

Writes docs/figures/site/{home,derivation,walkthrough}.png, taken in Debian's chromium-headless-shell
(driven by Playwright) from the site served on a local port, after MathJax has typeset the page.
"""
import argparse
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOTS = {"home": "index.html", "derivation": "dense_backprop.html",
         "walkthrough": "walkthroughs/post003_stacked_autoencoder.html#3-the-model-a-weight-dictionary"}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--site", default=os.path.join(ROOT, "site"), help="the built site (default: site/)")
    args = p.parse_args(argv)
    from manual_ae import site
    if not os.path.exists(os.path.join(args.site, "index.html")):
        site.build(args.site)
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if not chromium:
        sys.exit("no Chromium: apt-get install -y chromium-headless-shell")
    base, httpd = site.serve(args.site)
    out = os.path.join(ROOT, "docs", "figures", "site")
    os.makedirs(out, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for name, rel in SHOTS.items():
            page.goto(base + rel, wait_until="networkidle")
            page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
            path = os.path.join(out, f"{name}.png")
            page.screenshot(path=path)
            print(f"{os.path.relpath(path, ROOT)}: {base + rel}")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
