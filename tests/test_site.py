"""The course website (`manual-ae site`), built from this checkout and opened in a real headless browser
(Debian's chromium-headless-shell driven by Playwright): every page loads with no console error and no
failed request, and any request off the machine is refused and fails the test; no link or image is
broken; the math is typeset; a walkthrough page shows its code, outputs and figures; search finds a
layer by name, over http and from the file system."""
import os
import pathlib
import shutil
import urllib.parse

import pytest

from manual_ae import notebooks, site

pytestmark = pytest.mark.xdist_group("site")     # one worker builds the site and opens the browser
BROWSERS = ("chromium-headless-shell", "chromium")
INSTALL = ("no Chromium for the browser tests: apt-get install -y chromium-headless-shell "
           "(Debian's package; Playwright drives it, `playwright install` is not needed)")


def _chromium():
    for name in BROWSERS:
        path = shutil.which(name) or shutil.which(name, path="/usr/lib/chromium")
        if path:
            return path
    pytest.fail(INSTALL)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site, built once for this module by the code users run."""
    out = tmp_path_factory.mktemp("site") / "site"
    lines = []
    site.build(str(out), log=lines.append)
    return out, lines


@pytest.fixture(scope="module")
def server(built):
    """The built site on a local port (http.server, as the README says to serve it)."""
    url, httpd = site.serve(built[0])
    yield url
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    executable = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield b
        b.close()


class Visit:
    """One page opened in the browser, every request watched: anything not from `local` is refused and
    recorded, as are console errors, page errors, failed requests and HTTP errors."""

    def __init__(self, browser, local):
        self.local, self.offsite, self.errors = local, [], []
        self.context = browser.new_context()
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        self.pending, self.started = set(), [0]   # requests in flight, and how many were ever made
        self.leaving = None                       # while the next page opens: the page being opened
        self.page.on("request", self._request)
        self.page.on("requestfinished", lambda r: self.pending.discard(r))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.local) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.offsite.append(url)
            route.abort()

    def _request(self, request):
        self.pending.add(request)
        self.started[0] += 1

    def _failed(self, request):
        self.pending.discard(request)
        if self.leaving and "ERR_ABORTED" in str(request.failure):
            return           # a late request of the page just left (all went quiet first), cut short by the next
        if not any(request.url == u for u in self.offsite):
            self.errors.append(f"request failed: {request.url} ({request.failure})")

    def open(self, url, patience=30.0):
        self.leaving = url
        self.page.goto(url, wait_until="load")
        self.leaving = None
        # MathJax typesets after load: wait until it has finished (pages without math too), then until
        # every request the page made has finished or failed
        self.page.evaluate("() => window.MathJax && window.MathJax.startup ? MathJax.startup.promise : null")
        # every request the page made has finished or failed, and none was started for 150 ms (a font
        # MathJax asks for after typesetting, the search index): then the next page may be opened
        waited, quiet, seen = 0.0, 0.0, -1
        while quiet < 0.15 and waited < patience:
            self.page.wait_for_timeout(25)
            waited += 0.025
            quiet = quiet + 0.025 if not self.pending and self.started[0] == seen else 0.0
            seen = self.started[0]
        assert not self.pending, f"{url}: requests still unanswered after {patience:.0f} s: {[r.url for r in self.pending]}"
        return self.page

    def close(self):
        self.context.close()


def _pages(root):
    """Every page of the built site, relative to it (the offline plugin writes NAME.html, not folders)."""
    pages = []
    for folder, _, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        if rel.split(os.sep)[0] != "assets":
            pages += [os.path.normpath(os.path.join(rel, f)).replace(os.sep, "/") for f in files
                      if f.endswith(".html") and f != "404.html"]
    return sorted(pages)


def test_site_builds_strict_with_every_walkthrough_and_doc(built):
    out, lines = built
    pages = set(_pages(out))
    assert {p for p in pages if p.startswith("walkthroughs/")} == {
        f"walkthroughs/{os.path.basename(s)[:-3]}.html" for s in notebooks.walkthroughs()}
    docs = {f[:-3] + ".html" for f in os.listdir(site.DOCS) if f.endswith(".md")}
    assert pages >= docs | {p[:-3] + ".html" for p in site.REPORTS}
    assert not site.stale(), "a walkthrough changed since its page was executed: manual-ae site --execute"
    assert any(line.startswith("site: ") for line in lines)


def test_every_page_loads_with_no_error_no_offsite_request_and_no_broken_link(built, server, browser):
    out = built[0]
    visit = Visit(browser, server)
    links, broken_images, problems = set(), [], []
    try:
        for rel in _pages(out):
            visit.errors.clear()
            page = visit.open(server + rel)
            problems += [f"{rel}: {e}" for e in visit.errors]
            broken_images += [f"{rel}: {src}" for src in page.evaluate(
                "() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")]
            for href in page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)"):
                if href.startswith(server):
                    links.add(href)
        offsite = sorted(set(visit.offsite))
        fetched = {}
        for href in sorted(links):
            target, _, fragment = href.partition("#")
            if target not in fetched:
                response = visit.context.request.get(target)
                fetched[target] = (response.status, response.text() if target.endswith(".html") else "")
            status, text = fetched[target]
            if status != 200:
                problems.append(f"broken link: {href} (HTTP {status})")
            elif fragment and text and f'id="{urllib.parse.unquote(fragment)}"' not in text:
                problems.append(f"broken anchor: {href}")
    finally:
        visit.close()
    assert len(_pages(out)) >= 40
    assert not offsite, f"requests off the machine (refused): {offsite[:10]}"
    assert not broken_images, broken_images[:10]
    assert not problems, "\n".join(problems[:30])
    assert len(links) > 100       # the crawl followed the site's own links


def _typeset(page):
    return page.evaluate("""() => {
        const boxes = [...document.querySelectorAll('mjx-container')];
        return {count: boxes.length,
                wide: boxes.filter(b => b.getBoundingClientRect().width > 0).length,
                errors: document.querySelectorAll('mjx-merror, [data-mjx-error]').length,
                raw: [...document.querySelectorAll('article p, article li')]
                        .map(e => e.innerText).filter(t => /\\$\\$|\\\\\\(|\\\\frac|\\\\top/.test(t)).slice(0, 5)};
    }""")


@pytest.mark.parametrize("rel", ["dense_backprop.html", "log_loss.html", "walkthroughs/post003_stacked_autoencoder.html"])
def test_math_is_typeset_on_derivation_and_walkthrough_pages(server, browser, rel):
    visit = Visit(browser, server)
    try:
        math = _typeset(visit.open(server + rel))
    finally:
        visit.close()
    assert math["count"] >= 3, f"{rel}: MathJax typeset {math['count']} formulas"
    assert math["wide"] == math["count"], f"{rel}: {math['count'] - math['wide']} formulas typeset blank"
    assert math["errors"] == 0, f"{rel}: {math['errors']} MathJax errors"
    assert not math["raw"], f"{rel}: TeX left raw: {math['raw']}"


def test_a_walkthrough_page_shows_its_code_outputs_and_figures(server, browser):
    visit = Visit(browser, server)
    try:
        page = visit.open(server + "walkthroughs/post003_stacked_autoencoder.html")
        shown = page.evaluate("""() => ({
            code: document.querySelectorAll('.jp-CodeCell .jp-InputArea').length,
            text: [...document.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText).join('\\n'),
            figures: [...document.querySelectorAll('.jp-OutputArea-output img')]
                         .filter(i => i.naturalWidth > 100).length})""")
    finally:
        visit.close()
    assert shown["code"] >= 8
    assert "Replayed, not trained" in shown["text"] and "epoch  20/20" in shown["text"]
    assert "19 PASS, 0 FAIL" in shown["text"]              # the gradient check ran and printed its rows
    assert shown["figures"] >= 2                          # the data samples and the reference reconstructions


@pytest.mark.parametrize("how", ["http", "file"])
def test_search_finds_a_layer_by_name(built, server, browser, how):
    home = server if how == "http" else (built[0] / "index.html").as_uri()
    visit = Visit(browser, server if how == "http" else "file://")
    try:
        page = visit.open(home)
        page.click("label.md-search__icon, .md-search__input", timeout=5000)
        page.type("input.md-search__input", "dense_backward", delay=20)     # keystrokes, as a reader types
        page.wait_for_selector(".md-search-result__item", timeout=60000)    # the index builds on first use
        hits = page.evaluate("() => [...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)")
        pages = {h.split("?")[0].split("#")[0] for h in hits}
        for url in sorted(pages)[:8]:              # each page found does name the layer
            page = visit.open(url)
            assert "dense_backward" in page.content(), url
    finally:
        visit.close()
    assert len(pages) >= 3, hits
    assert not visit.errors, visit.errors


def test_the_site_never_builds_over_a_folder_of_the_users(tmp_path, capsys):
    """mkdocs empties the folder it builds into: a folder with other files, the repository or its docs,
    and a file are refused before anything is touched (exit 2, one line); a site built before is rebuilt."""
    from manual_ae import cli
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.tex").write_text("mine")
    for out in (mine, pathlib.Path(site.ROOT), pathlib.Path(site.DOCS), mine / "thesis.tex"):
        assert cli.main(["site", "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "--out" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert (mine / "thesis.tex").read_text() == "mine" and (pathlib.Path(site.DOCS) / "index.md").exists()
