"""A curriculum run as one self-contained HTML page: `write_report(rundir, out)`.

The page shows the run's configuration, its learning curves, a table of figures per
iteration, every solved task with its program, the library (each routine's doc, definition,
type, weight, provenance, what it uses and what uses it) and the routines' dependency
graph. Pictures are PNGs written beside the page and also embedded in it (data URIs),
so the page alone can be mailed or archived. All text is escaped.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from neurosym.errors import NeurosymError
from neurosym.lang.base import base_dsl
from neurosym.lang.dsl import DSL, load_dsl
from neurosym.library import Library
from neurosym.library.browse import draw_graph, show
from neurosym.library.store import INDEX, load_library

__all__ = ["RunRecords", "ReportError", "read_run", "write_report"]


class ReportError(NeurosymError, ValueError):
    """RUNDIR is missing or is not a curriculum run directory."""


@dataclass(frozen=True)
class RunRecords:
    """What a run directory holds, read back."""

    rundir: Path
    config: dict[str, Any]  # config.json as written
    figures: tuple[Any, ...]  # IterationFigures, one per finished iteration
    solutions: dict[str, str]  # task -> program text
    library: Library


def run_dsl(config: dict[str, Any], where: Path) -> DSL:
    """The DSL a run's config.json records, rebuilt from its import path (the base
    language for a record of it, or one written before DSLs were recorded)."""
    entry = config.get("dsl")
    if not isinstance(entry, dict) or entry.get("name") == base_dsl().name:
        return base_dsl()
    reference = entry.get("reference")
    if not isinstance(reference, str):
        raise ReportError(f"{where}: the run is in DSL {entry.get('name')!r}, which it records no import path for; "
                          "give it with --dsl module:attr")
    try:
        return load_dsl(reference)
    except Exception as err:  # noqa: BLE001 - the user's module: any failure, in one line
        raise ReportError(f"{where}: the run's DSL {reference!r} cannot be loaded ({err}); "
                          "give it with --dsl module:attr") from None


def read_run(rundir: str | Path, dsl: DSL | None = None) -> RunRecords:
    """Read RUNDIR's records (ReportError naming what is missing), in `dsl` (default: the
    one config.json records)."""
    from neurosym.curriculum.run import _read_figures

    rundir = Path(rundir)
    if not rundir.is_dir():
        raise ReportError(f"{rundir}: no such directory")
    config_path = rundir / "config.json"
    if not config_path.is_file():
        raise ReportError(f"{rundir}: not a curriculum run directory (no config.json); "
                          "make one with `neurosym curriculum run --out RUNDIR`")
    config = _record(config_path, "config")
    state = _record(rundir / "state.json", "solutions") if (rundir / "state.json").is_file() else {}
    solutions = state.get("solutions", {})
    if not all(isinstance(v, str) for v in solutions.values()):
        raise ReportError(f"{rundir / 'state.json'}: a damaged record ('solutions' should map tasks to programs)")
    try:
        figures = tuple(_read_figures(rundir / "iterations.jsonl"))
    except (ValueError, TypeError, KeyError, RecursionError, OSError) as err:  # ValueError: bad JSON, not UTF-8
        raise ReportError(f"{rundir / 'iterations.jsonl'}: a damaged record ({type(err).__name__}: "
                          f"{str(err)[:80]})") from None
    dsl = dsl if dsl is not None else run_dsl(config, config_path)
    library = (load_library(rundir / "library", dsl=dsl) if (rundir / "library" / INDEX).is_file()
               else Library.base(dsl=dsl))
    return RunRecords(rundir, config, figures, dict(solutions), library)


def _record(path: Path, key: str) -> dict[str, Any]:
    """config.json or state.json as a JSON object whose `key` entry (its `config`, its
    `solutions`), if any, is an object too; ReportError naming the file otherwise."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, RecursionError, OSError) as err:  # ValueError: bad JSON or not UTF-8
        raise ReportError(f"{path}: a damaged record ({type(err).__name__}: {str(err)[:80]})") from None
    if not isinstance(data, dict) or not isinstance(data.get(key, {}), dict):
        raise ReportError(f"{path}: a damaged record (not the JSON object a curriculum run writes)")
    return data


def _out_folder(out: Path) -> Path:
    """The report's folder, made if needed, before any picture is drawn."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"--out {out}: is a file; the report is a folder (report.html and its PNGs)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ReportError(f"--out {out}: cannot make the folder ({err.strerror or err})") from None
    return out


_CSS = """
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:2em auto;max-width:1180px;
color:#222;padding:0 1em;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #e4e4e4;padding-bottom:.2em;margin-top:1.8em}
.sub{color:#666;margin-top:0}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em;width:100%}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f7}tr:nth-child(even) td{background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code,pre{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.88em}
pre{white-space:pre-wrap;margin:0}
img{max-width:100%;border:1px solid #eee}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{background:#f3f5f7;border-radius:6px;padding:.6em 1em}
.card b{display:block;font-size:1.5em}.muted{color:#888}.tag{background:#fde9c9;border-radius:3px;padding:0 4px}
"""


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img src="data:image/png;base64,{data}" alt="{_e(alt)}" data-file="{_e(path.name)}">'


def _table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    cls = lambda i: ' class="num"' if i in numeric else ""  # noqa: E731
    out = ["<table><tr>" + "".join(f"<th{cls(i)}>{_e(h)}</th>" for i, h in enumerate(head)) + "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td{cls(i)}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>")
    return "\n".join(out) + "</table>"


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.0%})" if b else "-"


def _summary(rec: RunRecords) -> str:
    last = rec.figures[-1] if rec.figures else None
    cards = [("iterations", f"{len(rec.figures)}/{rec.config.get('config', {}).get('iterations', '?')}"),
             ("train solved", _pct(last.solved_train, last.total_train) if last else "-"),
             ("test solved", _pct(last.solved_test, last.total_test) if last and last.total_test else "-"),
             ("test solved by the starting library", _pct(last.solved_test_base, last.total_test)
              if last and last.total_test and last.solved_test_base is not None else "-"),
             ("routines", str(len(rec.library.routines))),
             ("wake time", f"{sum(f.wake_seconds for f in rec.figures):.1f} s")]
    return '<div class="cards">' + "".join(f'<div class="card"><b>{_e(v)}</b>{_e(k)}</div>' for k, v in cards) + "</div>"


def _config(rec: RunRecords) -> str:
    rows = [[f"<code>{_e(k)}</code>", f"<code>{_e(json.dumps(v))}</code>"]
            for k, v in rec.config.get("config", {}).items()]
    for key in ("seed", "neurosym_version", "dsl", "dsl_version", "library"):
        if key in rec.config:
            rows.append([f"<code>{_e(key)}</code>", f"<code>{_e(json.dumps(rec.config[key]))}</code>"])
    for key in ("train_tasks", "test_tasks"):
        if key in rec.config:
            rows.append([f"<code>{_e(key)}</code>", f"{len(rec.config[key])} tasks"])
    return _table(["field", "value"], rows)


def _started_from(config: dict[str, Any]) -> str:
    """Which library the run started from, for the page's first line."""
    entry = config.get("library")
    if not isinstance(entry, dict):
        return "a library it does not record"
    where = {"base": "the base library", "shipped": "the shipped library", "python": "a library built in Python"}
    return f"{where.get(entry.get('source'), entry.get('path') or '?')} (version {entry.get('version', '?')})"


def _iterations(rec: RunRecords) -> str:
    rows = [[str(f.iteration), _e(_pct(f.solved_train, f.total_train)),
             _e(_pct(f.solved_test, f.total_test)) if f.total_test else "-",
             "-" if f.held_out_accuracy is None else f"{f.held_out_accuracy:.0%}",
             f"{f.wake_seconds:.1f}", f"{f.sleep_seconds:.1f}", f"{f.candidates:,}", str(f.library_size),
             str(f.corpus_size), f"{f.compression:.2f}",
             ", ".join(f'<span class="tag">{_e(r)}</span>' for r in f.new_routines) or '<span class="muted">-</span>']
            for f in rec.figures]
    return _table(["iteration", "train solved", "test solved", "held-out acc.", "wake (s)", "sleep (s)",
                   "candidates", "routines", "corpus", "compression", "new routines"], rows,
                  numeric={3, 4, 5, 6, 7, 8, 9})


def _solved(rec: RunRecords) -> str:
    names = {r.name for r in rec.library.routines}
    rows = []
    for task in sorted(rec.solutions):
        program = rec.solutions[task]
        used = sorted(n for n in names if _mentions(program, n))
        rows.append([_e(task), f"<pre>{_e(program)}</pre>", ", ".join(f"<code>{_e(u)}</code>" for u in used)])
    unsolved = [t for t in rec.config.get("train_tasks", []) if t not in rec.solutions]
    text = _table(["task", "program", "routines used"], rows) if rows else '<p class="muted">no task solved yet</p>'
    if unsolved:
        text += (f"<p><b>Unsolved training tasks ({len(unsolved)}):</b> "
                 + ", ".join(_e(t) for t in unsolved) + "</p>")
    return text


def _mentions(program: str, name: str) -> bool:
    import re

    return re.search(rf"(?<![\w']){re.escape(name)}(?![\w'])", program) is not None


def _neural(rec: RunRecords) -> str:
    from neurosym.lang.types import format_type

    rows = [[f"<b><code>{_e(n.name)}</code></b>", f"<code>{_e(format_type(n.type))}</code>", f"<code>{_e(n.factory)}</code>",
             "-" if n.val_accuracy is None else f"{n.val_accuracy:.1%}", f"{len(n.weights):,}", _e(n.created or "-"),
             _e(", ".join(n.produced_by)) or "-", _e(", ".join(n.used_by)) or "-"]
            for n in rec.library.neural]
    return _table(["neural routine", "type", "module", "held-out accuracy", "weight bytes", "created", "trained on",
                   "used by tasks"], rows, numeric={3, 4})


def _library(rec: RunRecords) -> str:
    lib = rec.library
    if not lib.routines:
        return '<p class="muted">the library holds the base primitives only (no routines learned)</p>'
    rows = []
    for r in lib.routines:
        v = show(lib, r.name)
        rows.append([f"<b><code>{_e(v.name)}</code></b>", f"<code>{_e(v.type)}</code>",
                     _e(v.doc) or '<span class="muted">-</span>', f"<pre>{_e(v.definition)}</pre>",
                     "-" if v.log_weight is None else f"{v.log_weight:.2f}", _e(v.created or "-"),
                     ", ".join(f"<code>{_e(u)}</code>" for u in v.uses),
                     ", ".join(f"<code>{_e(u)}</code>" for u in v.dependents) or "-",
                     f"{len(v.used_by)}: " + _e(", ".join(v.used_by)) if v.used_by else "0"])
    return _table(["routine", "type", "what it does", "definition", "log-weight", "created", "uses",
                   "used by routines", "used by tasks"], rows, numeric={4})


def write_report(rundir: str | Path, out: str | Path | None = None, dsl: DSL | None = None) -> Path:
    """Write `report.html` (and the PNGs it shows) for run RUNDIR into `out`
    (default RUNDIR/report), reading it in `dsl` (default: the run's); returns the page's path."""
    from neurosym.curriculum.report import draw_learning_curve

    rec = read_run(rundir, dsl)
    folder = _out_folder(Path(out) if out is not None else rec.rundir / "report")
    curve, deps = folder / "learning_curve.png", folder / "library_graph.png"
    if rec.figures:
        draw_learning_curve(rec.figures, curve)
    draw_graph(rec.library, deps, title="routine dependencies")
    cfg = rec.config.get("config", {})
    title = f"neurosym run: {cfg.get('source') or rec.rundir.name}"
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        (f'<p class="sub">run directory <code>{_e(rec.rundir.resolve())}</code>, neurosym '
         f"{_e(rec.config.get('neurosym_version', '?'))}, DSL {_e(rec.library.dsl.describe())}, started from "
         f"{_e(_started_from(rec.config))}</p>"),
        _summary(rec),
        "<h2>Learning curves</h2>",
        _img(curve, "learning curves") if rec.figures else '<p class="muted">no iteration finished yet</p>',
        "<h2>Iterations</h2>", _iterations(rec) if rec.figures else '<p class="muted">none</p>',
        f"<h2>Solved tasks ({len(rec.solutions)})</h2>", _solved(rec),
        f"<h2>Library ({len(rec.library.routines)} routines)</h2>", _library(rec),
        _neural(rec) if rec.library.neural else "",
        "<h3>Dependency graph</h3>", _img(deps, "routine dependency graph"),
        "<h2>Configuration</h2>", _config(rec),
        "</body></html>",
    ]
    page = folder / "report.html"
    page.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return page
