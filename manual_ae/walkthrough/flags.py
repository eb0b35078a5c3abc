"""A walkthrough's flags: the command line in a terminal, the post's settings (or QUICK's) in a notebook."""
import copy
import os
import sys

from manual_ae import scripting
from manual_ae.train.runlog import in_notebook


def arguments(doc, quick=False, extra=None, argv=None):
    """The script's flags. In a terminal: the command line (`--quick` also when QUICK is True). In a
    notebook: the post's settings, or `--quick` when the notebook's QUICK cell says True (a kernel's
    own command line is not the walkthrough's). QUICK = "replay" (what `manual-ae site` sets) trains
    nothing and shows the committed reference run instead: `--replay`."""
    flag = "--replay" if quick == "replay" else "--quick" if quick else None
    if in_notebook():
        argv = [flag] if flag else []
    elif argv is None:
        argv = sys.argv[1:] + ([flag] if flag and flag not in sys.argv else [])
    return scripting.parse(doc, argv, extra)


def only_flag(kinds):
    """The `--only KIND` flag of a walkthrough with several variants (pass as `extra` to `arguments`)."""
    return lambda p: p.add_argument("--only", choices=kinds, help="train only this variant")


def variants(prefix, kinds, args):
    """{kind: Walkthrough of case PREFIX-KIND} for the variants `--only` keeps (all in a notebook), each in
    its own run folder: OUT/KIND with --out, else runs/PREFIX-KIND-<time>."""
    from manual_ae.walkthrough.case import Walkthrough
    chosen = {}
    for kind in kinds:
        if getattr(args, "only", None) in (None, kind):
            own = copy.copy(args)
            own.out = os.path.join(args.out, kind) if args.out else None
            chosen[kind] = Walkthrough(f"{prefix}-{kind}", own)
    return chosen
