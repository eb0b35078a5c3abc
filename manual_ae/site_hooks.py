"""mkdocs hooks of the course website (mkdocs.yml `hooks:`): the walkthrough pages' outputs are kept out
of the search index. Their tensor tables and logs run to megabytes, which the search would have to index
in the browser (from the file system, on the page's own thread) before it answered; the text and the
code of each walkthrough, and every doc, are searched.

The search plugin indexes `page.content` in its on_page_context; these two hooks run just before it (the
outputs taken out) and just after it (the page given back whole)."""
from mkdocs.plugins import CombinedEvent, event_priority

_whole = {}


@event_priority(100)
def _outputs_out(context, page, **kwargs):
    if page.file.src_path.endswith(".ipynb") and page.content:
        from bs4 import BeautifulSoup
        _whole[page.file.src_path] = page.content
        soup = BeautifulSoup(page.content, "html.parser")
        for output in soup.select("div.jp-OutputArea"):
            output.decompose()
        page.content = str(soup)
    return context


@event_priority(-100)
def _outputs_back(context, page, **kwargs):
    if page.file.src_path in _whole:
        page.content = _whole.pop(page.file.src_path)
    return context


class _Both(CombinedEvent):
    """Both handlers under one event's name (mkdocs registers a callable CombinedEvent's parts)."""
    def __call__(self, *args, **kwargs):
        raise TypeError("registered through its parts")


on_page_context = _Both(_outputs_out, _outputs_back)
