"""`manual-ae site [--out DIR] [--execute [NAME ...]]`: the course website, built offline.

The site is the repository's own text, nothing written for it alone: docs/*.md (the derivations, their
math typeset by a committed copy of MathJax 3 in docs/assets/), each walkthrough as a page with its
outputs and figures (docs/walkthroughs/*.ipynb: the scripts/ walkthroughs executed with
QUICK = "replay", which trains nothing and shows the committed reference runs), the gradient-check report
and the mistakes gallery (logs/gradcheck_report.txt, logs/gradcheck_mistakes.txt), results, speed, and
the posts. mkdocs.yml at the top of the repository says how it is laid out; this module stages it and
builds it:

    build(out)      docs/ copied into a staging folder with the two report pages written from logs/, every
                    link to a file outside docs/ (logs/, scripts/, manual_ae/) pointed at a copy of that
                    file inside the site; then `mkdocs build --strict` into `out`
    execute(names)  the walkthroughs executed again in replay into docs/walkthroughs/ (a Jupyter kernel
                    each, two at a time), and the two reports regenerated; needed after a script changes
    stale()         the walkthroughs whose committed notebook no longer matches the script

No page makes a request off the machine: the theme's web fonts are off (`theme.font: false`), MathJax
and the search worker's iframe-worker shim are local files, and tests/test_site.py opens every page in
a real headless browser that refuses and reports any other request.
"""
import glob
import os
import re
import shutil
import sys
import tempfile
import time

from manual_ae import notebooks

ROOT = notebooks.ROOT
DOCS = os.path.join(ROOT, "docs")
EXECUTED = os.path.join(DOCS, "walkthroughs")
REPORTS = {   # page in the site: (committed text in logs/, its title, the command that writes it, what it shows)
    "gradcheck_report.md": ("logs/gradcheck_report.txt", "The gradient-check report", "manual-ae gradcheck",
                            "Every hand-written gradient of every layer and model, checked in float64 against "
                            "TensorFlow's autodiff tape and centered finite differences. [How to read it](gradient_check.md)."),
    "mistakes.md": ("logs/gradcheck_mistakes.txt", "The mistakes gallery", "manual-ae gradcheck --mistakes",
                    "The classic backprop mistakes, each made on purpose in a real layer, and what the report "
                    "says about it: where the gradient is wrong and what the mistake looks like. "
                    "[How to read it](gradient_check.md)."),
}
NAMED_DOC = re.compile(r"(?<![\w/.-])docs/([\w-]+)\.md(#[\w-]+)?")
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "manual_ae")
LINK = re.compile(r"(\]\()([^)\s#]+)(#[^)\s]*)?(\))")
NEED = ("mkdocs", "material", "mkdocs_jupyter")
INSTALL = "pip install -e '.[site]' (mkdocs, mkdocs-material, mkdocs-jupyter; all offline once installed)"


def _need():
    import importlib
    for module in NEED:
        try:
            importlib.import_module(module)
        except ImportError:
            raise ValueError(f"`manual-ae site` needs {module}: {INSTALL}") from None


def notebook_of(script):
    return os.path.join(EXECUTED, os.path.basename(script)[:-3] + ".ipynb")


def _cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def stale(names=None):
    """The walkthrough scripts whose executed notebook in docs/walkthroughs/ is missing or was made from
    another text of the script (its cells differ from the script's in replay)."""
    import nbformat
    found = []
    for script in notebooks.walkthroughs(names):
        path = notebook_of(script)
        if not os.path.exists(path) or _cells(nbformat.read(path, as_version=4)) != _cells(
                notebooks.to_notebook(script, quick="replay")):
            found.append(script)
    return found


def _execute_one(script, timeout):
    """One walkthrough in replay, in a kernel started in a scratch folder (its run folder goes there)."""
    import nbformat
    nb = notebooks.to_notebook(script, quick="replay")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="manual_ae_site_") as cwd:
        notebooks.execute(nb, cwd, timeout)
    for cell in nb.cells:                    # no timestamps: a re-run that shows the same is the same file
        cell.get("metadata", {}).pop("execution", None)
    nbformat.write(nb, notebook_of(script))
    return time.perf_counter() - t0


def execute(names=None, jobs=2, timeout=900, log=print):
    """Execute the walkthroughs (all, or those matching `names`) in replay into docs/walkthroughs/, `jobs`
    kernels at a time, and (with no names) regenerate the two committed reports; returns the exit status."""
    from concurrent.futures import ThreadPoolExecutor

    from manual_ae.errors import exit_status
    scripts = notebooks.walkthroughs(names)
    os.makedirs(EXECUTED, exist_ok=True)
    worst = 0
    with ThreadPoolExecutor(jobs) as pool:
        futures = {pool.submit(_execute_one, s, timeout): s for s in scripts}
        for future, script in futures.items():
            try:
                log(f"{os.path.relpath(notebook_of(script), ROOT)}: executed in replay in {future.result():.0f} s")
            except Exception as err:
                worst = worst or exit_status(err)
                lines = str(err).strip().splitlines()
                log(f"{os.path.relpath(script, ROOT)}: FAILED: {lines[-1] if lines else err!r}")
    if not names:
        import subprocess
        for page, (text, _, command, _) in REPORTS.items():
            args = command.split()[1:]
            with open(os.path.join(ROOT, text), "w", encoding="utf-8") as f:
                subprocess.run([sys.executable, "-m", "manual_ae", *args], stdout=f, cwd=ROOT, check=False)
            log(f"{text}: written by `{command}`")
    return worst


def _report_page(page):
    text, title, command, what = REPORTS[page]
    with open(os.path.join(ROOT, text), encoding="utf-8") as f:
        body = f.read().rstrip()
    return ("---\nhide:\n  - toc\n---\n\n"          # the rows need the width the contents column takes
            f"# {title}\n\n{what}\n\nWritten by `{command}` (committed as `{text}`; "
            f"`manual-ae site --execute` writes it again).\n\n```text\n{body}\n```\n")


def _copy(stage, rel, copied):
    """A copy of the repository's file `rel` under stage/repo/; its path there."""
    site_path = os.path.join(stage, "repo", rel)
    if rel not in copied:
        os.makedirs(os.path.dirname(site_path), exist_ok=True)
        shutil.copyfile(os.path.join(ROOT, rel), site_path)
        copied.add(rel)
    return site_path


def _listing(stage, rel, copied):
    """A page under stage/repo/REL/ listing the repository's folder `rel` (its files copied in, its
    sub-folders listed in turn); the page's path."""
    folder = os.path.join(ROOT, rel)
    entries = sorted(e for e in os.listdir(folder) if not e.startswith((".", "__")))
    lines = [f"# `{rel}/`", "", f"The files of the repository's folder `{rel}/`, as committed.", ""]
    for entry in entries:
        if os.path.isdir(os.path.join(folder, entry)):
            _listing(stage, os.path.join(rel, entry), copied)
            lines.append(f"- [{entry}/]({entry}/index.md)")
        else:
            _copy(stage, os.path.join(rel, entry), copied)
            lines.append(f"- [{entry}]({entry})")
    page = os.path.join(stage, "repo", rel, "index.md")
    with open(page, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return page


def _notebook_links(stage, copied):
    """The walkthroughs' links are relative to scripts/, where the scripts live; on the site the pages are
    walkthroughs/NAME.html. Point each at its page there: a walkthrough at its page, a doc at its page,
    any other file of the repository at a copy under repo/."""
    import nbformat
    scripts = os.path.join(ROOT, "scripts")
    walkthroughs = {os.path.basename(p) for p in notebooks.walkthroughs()}
    for path in glob.glob(os.path.join(stage, "walkthroughs", "*.ipynb")):
        nb = nbformat.read(path, as_version=4)

        def repoint(m):
            target = m.group(2)
            if "://" in target or target.startswith(("mailto:", "/")):
                return m.group(0)
            real = os.path.normpath(os.path.join(scripts, target))
            rel = os.path.relpath(real, ROOT)
            if os.path.dirname(real) == scripts and os.path.basename(real) in walkthroughs:
                new = os.path.basename(real)[:-3] + ".html"
            elif real.startswith(DOCS + os.sep):
                new = "../" + os.path.relpath(real, DOCS).replace(os.sep, "/")
                new = new[:-3] + ".html" if new.endswith(".md") else new
            elif real.startswith(ROOT + os.sep) and os.path.isfile(real):
                new = "../" + os.path.relpath(_copy(stage, rel, copied), stage).replace(os.sep, "/")
            else:
                return m.group(0)
            return m.group(1) + new + (m.group(3) or "") + m.group(4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = _named_docs(LINK.sub(repoint, cell.source))
        nbformat.write(nb, path)


def _named_docs(markdown):
    """A walkthrough names a derivation as text ("docs/log_loss.md derives it"): on the site the name
    links to its page (outside code spans and links; only pages that exist)."""
    def link(m):
        name = m.group(1)
        if not os.path.exists(os.path.join(DOCS, name + ".md")):
            return m.group(0)
        return f"[docs/{name}.md](../{name}.html{m.group(2) or ''})"
    parts = re.split(r"(`[^`]*`|\[[^\]]*\]\([^)]*\))", markdown)      # code spans and links kept as they are
    return "".join(part if i % 2 else NAMED_DOC.sub(link, part) for i, part in enumerate(parts))


def _outside_links(stage):
    """Point every Markdown link from a page to a file of the repository outside docs/ at a copy of that
    file under stage/repo/ (README.md at the home page); returns how many files were copied."""
    copied = set()
    for page in glob.glob(os.path.join(stage, "**", "*.md"), recursive=True):
        rel_dir = os.path.dirname(os.path.relpath(page, stage))
        with open(page, encoding="utf-8") as f:
            text = f.read()

        def repoint(m):
            target = m.group(2)
            if "://" in target or target.startswith(("mailto:", "/")):
                return m.group(0)
            real = os.path.normpath(os.path.join(DOCS, rel_dir, target))
            if real.startswith(DOCS + os.sep) or not real.startswith(ROOT + os.sep) or not os.path.exists(real):
                return m.group(0)
            rel = os.path.relpath(real, ROOT)
            if rel == "README.md":
                site_path = os.path.join(stage, "index.md")
            elif os.path.isdir(real):                    # a folder: a page listing it (and copies of its files)
                site_path = _listing(stage, rel, copied)
            else:
                site_path = _copy(stage, rel, copied)
            new = os.path.relpath(site_path, os.path.join(stage, rel_dir)).replace(os.sep, "/")
            return m.group(1) + new + (m.group(3) or "") + m.group(4)
        new_text = LINK.sub(repoint, text)
        if new_text != text:
            with open(page, "w", encoding="utf-8") as f:
                f.write(new_text)
    return len(copied)


def check_out(out):
    """mkdocs empties the folder it builds into: refuse one that holds anything but a site built before,
    and the repository itself or a folder of it with sources (a one-line error, exit 2)."""
    real = os.path.realpath(out)
    if real == ROOT or ROOT.startswith(real + os.sep) or any(
            real == os.path.join(ROOT, d) or real.startswith(os.path.join(ROOT, d) + os.sep)
            for d in ("docs", "manual_ae", "scripts", "tests", "logs", "runs")):
        raise ValueError(f"--out {out}: the site is built into a folder that mkdocs empties first; this one holds "
                         "the repository's files. Choose a new folder (default: site/)")
    if os.path.isfile(real):
        raise ValueError(f"--out {out} is a file; give a folder (default: site/)")
    if os.path.isdir(real) and os.listdir(real) and not (
            os.path.exists(os.path.join(real, "index.html")) and os.path.isdir(os.path.join(real, "assets"))):
        raise ValueError(f"--out {out} holds files that are not a site built before, and mkdocs empties the folder it "
                         "builds into: choose an empty or new folder")


def build(out="site", strict=True, log=print):
    """Build the site into `out` (mkdocs.yml's layout, docs staged as the module says); returns `out`."""
    _need()
    check_out(out)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    behind = stale()
    if behind:
        log("note: " + ", ".join(os.path.basename(s)[:-3] for s in behind) + ": the script changed since its "
            "notebook in docs/walkthroughs/ was executed (or it has none); `manual-ae site --execute` brings "
            "the pages up to date")
    out = os.path.abspath(out)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="manual_ae_site_src_") as tmp:
        stage = os.path.join(tmp, "docs")
        shutil.copytree(DOCS, stage)
        for page in REPORTS:
            with open(os.path.join(stage, page), "w", encoding="utf-8") as f:
                f.write(_report_page(page))
        copied = _outside_links(stage)
        _notebook_links(stage, set())
        config = load_config(os.path.join(ROOT, "mkdocs.yml"), docs_dir=stage, site_dir=out, strict=strict)
        jupyter = config.plugins["mkdocs-jupyter"].config           # its cache of converted notebooks: not
        jupyter["cache_dir"] = os.path.join(CACHE, "mkdocs-jupyter")  # in the working folder, with our others
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    pages = len([p for p in glob.glob(os.path.join(out, "**", "*.html"), recursive=True)
                 if not os.path.relpath(p, out).startswith("assets")])
    log(f"site: {pages} pages in {out} ({copied} repository files linked from the docs copied in; "
        f"{time.perf_counter() - t0:.0f} s). Open {os.path.join(out, 'index.html')}, or serve it: "
        f"python -m http.server -d {out}")
    return out


def serve(folder):
    """The built site in `folder` on a local port (http.server, quiet), in a daemon thread: (its URL, the
    server, whose shutdown() stops it). For the browser tests and the screenshots."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


def main(out="site", run=False, names=None, log=print):
    """`manual-ae site`: with `run` (--execute) the walkthroughs are executed again first; returns the exit
    status (manual_ae/errors.py)."""
    _need()
    check_out(out)                     # before minutes of executing, not after
    status = execute(names, log=log) if run else 0
    if status:
        log("the site was not built: a walkthrough failed in replay (above)")
        return status
    build(out, log=log)
    return 0
