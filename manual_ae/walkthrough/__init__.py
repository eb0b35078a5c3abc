"""What the walkthroughs (scripts/post*.py) call to show each step of a post: its data, its model's
weight dictionary, one real training step forward and backward, its gradient check, its training
and its results. The scripts carry the story; the mechanics live here, and everything shown is run,
not described.

Every walkthrough is one file in jupytext's percent format: `python scripts/<case>.py [flags]`
runs it as a script (text and files; figures written to the run folder), and Jupyter, VS Code or
Colab open it as a notebook (the same, with figures inline and one log line per epoch). In a
notebook the flags are the post's settings, or quick ones where the notebook's `QUICK` cell says so.

    from manual_ae import walkthrough
    args = walkthrough.arguments(__doc__, quick=QUICK)
    case = walkthrough.Walkthrough("stacked", args)
    case.show_data(); case.show_model(); case.show_step(); case.show_gradcheck()
    case.train(); case.show_figures(); case.show_numbers()

One job a module:
    flags.py       the script's flags, in a terminal and in a notebook; `--only` variants
    display.py     text, Markdown, images and figures, as a terminal or a notebook shows them
    references.py  the committed reference run (logs/) and figures (docs/figures/) of a plan
    backward.py    the backward on screen: its source, the step's values, each tensor against the tape
    checks.py      the gradient check of the layers a model calls and of the model (part 4)
    case.py        `Walkthrough`: one case's plan (train/plan.py), shown part by part
"""
from manual_ae.train.runlog import in_notebook
from manual_ae.walkthrough.backward import show_backward, show_source, show_tensors
from manual_ae.walkthrough.case import Walkthrough, friendly
from manual_ae.walkthrough.checks import checked_as, show_checks
from manual_ae.walkthrough.display import (ROOT, markdown_section, show_figure, show_image, show_markdown,
                                           show_text)
from manual_ae.walkthrough.flags import arguments, only_flag, variants
from manual_ae.walkthrough.references import reference_figures, reference_run
