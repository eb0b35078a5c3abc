"""The posts' cases, one module per post: which model with which options, the data and its recipe,
the hyperparameters, the published numbers, reports, figures and claims. `manual-ae list` reads
CASES and PIPELINES; the run recipe (manual_ae/train/run.py) trains them."""
from manual_ae.posts import post000, post001, post002, post003, post004
from manual_ae.posts.case import Case, Pipeline

POSTS = (post000, post001, post002, post003, post004)
CASES = {c.name: c for post in POSTS for c in post.CASES}
PIPELINES = {p.name: p for post in POSTS for p in getattr(post, "PIPELINES", [])}


def get_case(name):
    """A case or pipeline by name; a clear error listing the choices otherwise."""
    try:
        return CASES[name] if name in CASES else PIPELINES[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose one of: {', '.join(list(CASES) + list(PIPELINES))} "
                         "(`manual-ae list` shows them with their posts)") from None

