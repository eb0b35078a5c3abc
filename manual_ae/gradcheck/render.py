"""The gradient-check rows, rendered: every printer of them is here, reading the rows' fields.

    text(items)        the full report: every column, then the notes (the terminal, `manual-ae gradcheck`)
    compact(items)     the columns that fit a notebook (the walkthroughs' part 4)
    html(items)        the compact table as an HTML table (a notebook's rich output, the course site)
    records(items)     one dictionary per row, JSON-ready (`manual-ae gradcheck --json FILE`)
    failure_lines(rows)  one FAIL line per failing gradient (the command's stderr)

`items` is a list of (label, rows, note) triples: a check's name as the report shows it, its
core.Row list, and a note on how it was configured (or None). docs/gradient_check.md explains the
columns.
"""
import html as _html
import json

from manual_ae.gradcheck.core import TAPE_TOL


def _name(label, row):
    return label if row.entry in label else row.entry     # a check with several parts names each


def _shape(row):
    return "x".join(str(s) for s in row.shape) or "scalar"


def _worst(row):
    if not row.worst:
        return "-"
    index, hand, tape, num = row.worst
    return f"[{','.join(map(str, index))}] {hand:.3e} / {tape:.3e} / {num:.3e}"


WIDTH = 100     # no line of the report is wider


def wrap(line, indent="    "):
    """A long line folded at WIDTH columns, its continuation lines indented."""
    import textwrap
    return textwrap.wrap(line, WIDTH, subsequent_indent=indent, break_on_hyphens=False,
                         break_long_words=False) or [""]


def notes(items):
    """What each unusual row means, in order: zero gradients, kinks, diagnoses (with the worst entry),
    tape-only entries, notes; each folded at WIDTH columns."""
    lines = []
    for label, rows, note in items:
        for row in rows:
            name = _name(label, row)
            if row.zero:
                lines.append(f"{name} {row.param}: its gradient is zero on both sides: {row.zero}")
            places = [f"entry {list(k)}" for k in row.kinks if k != "direction"]
            places += ["the random direction"] if "direction" in row.kinks else []
            if places:
                lines.append(f"{name} {row.param}: a kink inside the finite-difference step at {', '.join(places)}: "
                             "not judged there (the steps h and h/2, or the two sides, disagree)")
            if row.diagnosis:
                worst = f" (worst entry {_worst(row)}: hand / tape / numeric)" if row.worst else ""
                lines.append(f"{name} {row.param} FAILS: {row.diagnosis}{worst}")
        if rows and rows[0].tape_only:     # the entry's inputs sit on a kink or clip edge: one note for it
            lines.append(f"{label}: judged against the tape only: {rows[0].tape_only}")
        if note:
            lines.append(f"{label}: {note}")
    return [folded for line in lines for folded in wrap(line)]


def legend(items):
    """What the results and the names of the failures seen mean (docs/gradient_check.md has them all)."""
    from manual_ae.gradcheck.core import MISTAKES
    rows = [r for _, rs, _ in items for r in rs]
    lines = ["result: PASS all three agree; PASS (tape) judged against the tape only (the input sits on a kink "
             "or a clip edge); ZERO exactly zero on both sides, and the note says why; FAIL a gradient is wrong "
             "(its diagnosis is above). The columns: docs/gradient_check.md"]
    seen = [name for name in MISTAKES if any((r.diagnosis or "").startswith(name + ":") for r in rows)]
    lines += [f"{name}: {MISTAKES[name]}" for name in seen]
    return [folded for line in lines for folded in wrap(line)]


def text(items):
    """The full report: a heading line per check, a row per gradient (at most WIDTH columns), a rule,
    the notes, the legend. The worst entry of a failing row is in its note (every row's: in records)."""
    header = (f"{'check / gradient':<22}{'shape':<11}{'vs tape':>9}{'vs numeric':>12}{'element':>10}{'direction':>11}"
              f"{'sampled':>12}  result")
    lines = [header, "-" * WIDTH]
    for label, rows, _ in items:
        shown = None
        for row in rows:
            name = _name(label, row)
            if name != shown:
                lines += wrap(name)
                shown = name
            direction = f"{row.err_dir:11.1e}" if "direction" not in row.kinks else f"{'kink':>11}"
            lines.append(f"  {row.param[:19]:<20}{_shape(row)[:10]:<11}{row.err_tape:9.1e}{row.err_num:12.1e}"
                         f"{row.err_elem:10.1e}{direction}{f'{row.sampled}/{row.size}':>12}  {row.result}")
    return lines + ["-" * WIDTH] + notes(items) + legend(items)


def compact(items, models=()):
    """The columns that fit a notebook, at most WIDTH wide: a heading line per check (`models`: the
    entries to mark "model"), a row per gradient (gradient, shape, vs tape, vs numeric, direction,
    result); then the notes, and the legend when a row fails."""
    rows = [r for _, rs, _ in items for r in rs]
    pw = min(max([len(r.param) for r in rows] + [16]) + 2, 24)
    lines = [f"{'check / gradient':<{pw + 2}}{'shape':<12}{'vs tape':>9}{'vs numeric':>12}{'direction':>11}  result",
             "-" * min(WIDTH, pw + 2 + 12 + 9 + 12 + 11 + 13)]
    shown = None
    for r in rows:
        if r.entry != shown:
            lines += wrap(("model " if r.entry in models else "") + r.entry)
            shown = r.entry
        lines.append(f"  {r.param[:pw - 1]:<{pw}}{_shape(r)[:11]:<12}{r.err_tape:>9.1e}{r.err_num:>12.1e}"
                     f"{r.err_dir:>11.1e}  {r.result}")
    return lines + ["-" * min(WIDTH, pw + 2 + 12 + 9 + 12 + 11 + 13)] + notes(items) + \
        (legend(items) if any(not r.passed for r in rows) else [])


def html(items, models=()):
    """The compact table as HTML (a failing row in red), the notes as a list under it."""
    esc = _html.escape
    head = "".join(f"<th>{h}</th>" for h in ("check", "gradient", "shape", "vs tape", "vs numeric", "direction",
                                             "result"))
    body = []
    for label, rows, _ in items:
        for r in rows:
            style = "" if r.passed else ' style="color:#b00"'
            cells = [("model " if r.entry in models else "") + r.entry, r.param, _shape(r),
                     f"{r.err_tape:.1e}", f"{r.err_num:.1e}", f"{r.err_dir:.1e}", r.result]
            body.append(f"<tr{style}>" + "".join(f"<td>{esc(str(c))}</td>" for c in cells) + "</tr>")
    listed = "".join(f"<li>{esc(n)}</li>" for n in notes(items))
    return (f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            + (f"<ul>{listed}</ul>" if listed else ""))


def records(items):
    """One JSON-ready dictionary per row: the entry, the gradient, its status and errors, the worst
    entry as a multi-index, and the diagnosis of a failure."""
    out = []
    for label, rows, note in items:
        for r in rows:
            index, hand, tape, num = r.worst if r.worst else ((), None, None, None)
            out.append(dict(entry=_name(label, r), gradient=r.param, shape=list(r.shape), status=r.result,
                            passed=r.passed, errors=dict(tape=r.err_tape, numeric=r.err_num, element=r.err_elem,
                                                         direction=r.err_dir),
                            tolerances=dict(tape=TAPE_TOL, numeric=r.num_tol), sampled=r.sampled, size=r.size,
                            worst=dict(index=[int(i) for i in index], hand=hand, tape=tape, numeric=num),
                            zero=r.zero, tape_only=r.tape_only, kinks=[list(k) if k != "direction" else k
                                                                       for k in r.kinks],
                            diagnosis=r.diagnosis, note=note))
    return out


def write_json(path, items):
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"rows": records(items)}, f, indent=1, default=float)


def failure_lines(rows):
    """One line per failing gradient, short enough for a terminal: where, how far off, and why."""
    return [f"FAIL {r.entry} d{r.param}: vs tape {r.err_tape:.2e} (<= {TAPE_TOL:g}), vs numeric {r.err_num:.2e}, "
            f"direction {r.err_dir:.2e} (<= {r.num_tol:g})" + (f": {r.diagnosis}" if r.diagnosis else "")
            for r in rows if not r.passed]
