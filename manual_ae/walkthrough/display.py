"""Showing things: text, Markdown, images and figures, as a terminal shows them and as a notebook does."""
import os

from manual_ae.train.runlog import in_notebook

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def show_text(lines):
    """Lines of text, as text in a terminal and as preformatted output in a notebook."""
    print("\n".join(lines) if isinstance(lines, (list, tuple)) else lines)


def show_markdown(text):
    if in_notebook():
        from IPython.display import Markdown, display
        display(Markdown(text))
    else:
        print(text)


def show_image(path):
    """A PNG or GIF: inline in a notebook; its path in a terminal."""
    if in_notebook():
        from IPython.display import Image, display
        display(Image(filename=path))
    else:
        print(f"figure: {path}")


def show_figure(fig, path):
    """A matplotlib figure: saved to `path`, then shown as `show_image` shows files."""
    from manual_ae import figures
    figures.save(fig, path)
    show_image(path)


def markdown_section(path, heading, rows_with=()):
    """The Markdown table under `heading` in a table file of logs/ (the claims tables), keeping only the
    rows that mention one of `rows_with` (all rows if empty)."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read()
    start = text.index(heading)
    block = text[start:].split("\n\n")
    table = next(b for b in block[1:] if b.lstrip().startswith("|")).strip().splitlines()
    keep = table[:2] + [r for r in table[2:] if not rows_with or any(w.lower() in r.lower() for w in rows_with)]
    return "\n".join(keep)


def fmt(value):
    """A number as the results tables show it ('-' for none)."""
    if value is None:
        return "-"
    return f"{value:.4f}" if isinstance(value, float) else str(value)
