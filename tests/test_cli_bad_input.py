"""Bad input on the command line and in the files it reads: one line, exit code 2.

Each case of the one table builds its input under tmp_path and gives the argv and a
fragment of the message that names the culprit (the file, option, task or routine).
The command runs in-process (`neurosym.cli.main`); a case that would otherwise hang is
bounded by a small candidates budget, and the --out cases replace the search with one
that fails the test, to show that the check comes before any search. A second table
holds user text that rich would read as markup: it must come out verbatim.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

import neurosym.cli
import neurosym.solve_cli
from conftest import REPO
from neurosym.cli import main
from neurosym.lang.parser import parse_type
from neurosym.library import Library
from neurosym.library.library import NeuralRoutine
from neurosym.library.store import save_library

TASKS = str(REPO / "examples" / "tasks" / "lists.json")
FIRST = Library.base().productions[0].name  # the first production in an index.json
GUARD = ["--candidates", "50"]  # bounds any search a case might start by mistake


def write(tmp: Path, name: str, content: str | bytes) -> str:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


def store(tmp: Path, edit=lambda index: index, library: Library | None = None) -> str:
    """A saved library in tmp/lib with its index.json passed through `edit` (dict -> dict or text)."""
    folder = save_library(library or Library.base(), tmp / "lib")
    index = edit(json.loads((folder / "index.json").read_text()))
    (folder / "index.json").write_text(index if isinstance(index, str) else json.dumps(index))
    return str(folder)


def weight(value: float):
    def edit(index: dict) -> dict:
        index["productions"][0]["log_weight"] = value
        return index
    return edit


def evil_name(index: dict) -> dict:
    for entry in index["neural_routines"] + index["productions"]:
        if entry["name"] == "reader":
            entry["name"] = "../../evil"
    return index


def neural_library() -> Library:
    reader = NeuralRoutine("reader", parse_type("image -> int"), "neurosym.neural.modules:digit_reader", "{}", b"\0")
    return Library.base().with_neural(reader)


def deny(mp: pytest.MonkeyPatch, name: str) -> None:
    """Reading file `name` fails as it would without permission (chmod 000 does not
    stop root, who runs these tests in some places)."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    mp.setattr(Path, "read_bytes", read_bytes)


def no_search(mp: pytest.MonkeyPatch) -> None:
    def searched(*args, **kwargs):
        raise AssertionError("the search started before the bad input was refused")

    mp.setattr(neurosym.solve_cli, "solve", searched)


def run_dir(tmp: Path, config: str | bytes = '{"config": {}}', state: str | bytes = '{"iteration": 0, '
            '"solutions": {}}') -> str:
    write(tmp, "run/config.json", config)
    write(tmp, "run/state.json", state)
    return str(tmp / "run")


def folder(tmp: Path, name: str) -> str:
    (tmp / name).mkdir()
    return str(tmp / name)


def counting() -> Library:
    return Library.base().with_routines(r"def count_both = \k xs -> length (filter (\y -> y == k) xs);")


def checkpoint(tmp: Path, data: dict) -> str:
    torch = pytest.importorskip("torch")
    torch.save(data, tmp / "c.pt")
    return str(tmp / "c.pt")


DEEP = "[" * 100_000 + "]" * 100_000
LONG_INT = "1" * 5000
CHECK = ["check", TASKS, "--program", "length"]

# (case id, setup(tmp, monkeypatch) -> argv, fragment of the message; {tmp} is tmp_path)
CASES = [
    # files that cannot be read
    ("task-file-not-utf8", lambda t, mp: ["check", write(t, "t.json", b'{"tasks": "\xff"}'), "--program", "length"],
     "{tmp}/t.json: not UTF-8 text (invalid start byte at byte 11)"),
    ("program-file-not-utf8", lambda t, mp: ["check", TASKS, "--program-file", write(t, "p.ns", b"map \xff")],
     "{tmp}/p.ns: not UTF-8 text"),
    ("task-file-is-a-directory", lambda t, mp: ["check", str(t), "--program", "length"],
     "{tmp}: is a directory, not a task file"),
    ("program-file-is-a-directory", lambda t, mp: ["check", TASKS, "--program-file", str(t)],
     "{tmp}: is a directory, not a program file"),
    ("task-file-unreadable", lambda t, mp: deny(mp, "lists.json") or CHECK,
     f"{TASKS}: permission denied (cannot read the task file)"),
    ("program-file-unreadable", lambda t, mp: deny(mp, "p.ns") or ["check", TASKS, "--program-file",
                                                                    write(t, "p.ns", "length")],
     "{tmp}/p.ns: permission denied (cannot read the program file)"),
    ("task-file-int-too-long", lambda t, mp: ["check", write(t, "t.json", '{"tasks": [{"name": "a", "examples": '
                                                           f'[{{"input": [1], "output": {LONG_INT}}}]}}]}}'),
                                              "--program", "length"],
     "{tmp}/t.json: a number too long to read (Exceeds the limit (4300 digits)"),
    ("task-file-nested-too-deep", lambda t, mp: ["check", write(t, "t.json", DEEP), "--program", "length"],
     "{tmp}/t.json: nested too deeply to read"),
    ("task-file-without-tasks", lambda t, mp: ["check", write(t, "t.json", '{"tasks": []}'), "--program", "length"],
     "{tmp}/t.json: holds no tasks"),
    ("task-file-without-tasks-solve", lambda t, mp: ["solve", write(t, "t.json", "[]"), *GUARD],
     "{tmp}/t.json: holds no tasks"),
    # stores
    ("store-int-too-long", lambda t, mp: [*CHECK, "--library", store(t, lambda i: json.dumps(i).replace(
        '"version": 0', f'"version": {LONG_INT}'))], "{tmp}/lib/index.json: a number too long to read"),
    ("store-nested-too-deep", lambda t, mp: [*CHECK, "--library", store(t, lambda i: DEEP)],
     "{tmp}/lib/index.json: nested too deeply to read"),
    ("store-weight-nan", lambda t, mp: ["solve", TASKS, *GUARD, "--library", store(t, weight(float("nan")))],
     f"{{tmp}}/lib/index.json: productions[0] ({FIRST}): log_weight is nan, not a finite number"),
    ("store-weight-minus-infinity", lambda t, mp: ["library", "list", "--library", store(t, weight(float("-inf")))],
     f"{{tmp}}/lib/index.json: productions[0] ({FIRST}): log_weight is -inf, not a finite number"),
    ("store-weight-int-past-float", lambda t, mp: [*CHECK, "--library", store(t, weight(10 ** 400))],
     "log_weight is 10000000000000000000... (401 digits), not a finite number"),
    ("store-without-index", lambda t, mp: ["solve", TASKS, *GUARD, "--library", str(t)],
     "--library {tmp}: no index.json, so not a library folder; give a library folder, or `--library base`"),
    ("library-mistyped", lambda t, mp: [*CHECK, "--library", str(t / "libary")],
     "--library {tmp}/libary: no such folder"),
    ("library-mistyped-curriculum", lambda t, mp: ["curriculum", "run", TASKS, "--out", str(t / "r"), *GUARD,
                                                   "--library", str(t / "libary")],
     "--library {tmp}/libary: no such folder"),
    ("library-diff-mistyped", lambda t, mp: ["library", "diff", str(t / "old"), "base"],
     "OLD {tmp}/old: no such folder; give a library folder, or 'base' for the base primitives alone"),
    ("neural-routine-path-traversal", lambda t, mp: ["library", "list", "--library",
                                                     store(t, evil_name, neural_library())],
     "{tmp}/lib/index.json: neural_routines[0]: routine name '../../evil' is not a plain identifier"),
    # numeric options
    *[(f"budget-{v}", lambda t, mp, v=v: ["solve", TASKS, "--budget", v, *GUARD],
       f"argument --budget: expected a finite number > 0, got '{v}'") for v in ("nan", "inf", "0", "-1", "x")],
    ("curriculum-budget-nan", lambda t, mp: ["curriculum", "run", TASKS, "--out", str(t / "r"), "--budget", "nan"],
     "argument --budget: expected a finite number > 0, got 'nan'"),
    ("candidates-zero", lambda t, mp: ["solve", TASKS, "--candidates", "0"],
     "argument --candidates: expected an integer >= 1, got '0'"),
    ("check-steps-negative", lambda t, mp: [*CHECK, "--steps", "-1"],
     "argument --steps: expected an integer >= 1, got '-1'"),
    ("jobs-zero", lambda t, mp: ["solve", TASKS, "--jobs", "0", *GUARD], "argument --jobs: expected an integer >= 1"),
    *[(f"test-fraction-{v}", lambda t, mp, v=v: ["curriculum", "run", TASKS, "--out", str(t / "r"),
                                                 "--test-fraction", v], f"argument --test-fraction: expected a "
       f"fraction in [0, 1), got '{v}'") for v in ("1", "-0.1", "nan")],
    ("iterations-zero", lambda t, mp: ["curriculum", "run", TASKS, "--out", str(t / "r"), "--iterations", "0"],
     "argument --iterations: expected an integer >= 1, got '0'"),
    ("diff-tolerance-nan", lambda t, mp: ["library", "diff", "base", "base", "--tolerance", "nan"],
     "argument --tolerance: expected a finite number >= 0, got 'nan'"),
    # --out, checked before the search
    ("out-in-missing-folder", lambda t, mp: no_search(mp) or ["solve", TASKS, "--out", str(t / "no" / "r.json")],
     "--out {tmp}/no/r.json: no folder {tmp}/no"),
    ("out-is-a-directory", lambda t, mp: no_search(mp) or ["solve", TASKS, "--out", str(t)],
     "--out {tmp}: is a directory; give a file name such as {tmp}/results.json"),
    ("graph-out-is-a-directory", lambda t, mp: ["library", "graph", "--out", folder(t, "g.png")],
     "--out {tmp}/g.png: is a directory; give a file name such as {tmp}/g.png/graph.png"),
    ("curriculum-out-is-a-file", lambda t, mp: ["curriculum", "run", TASKS, *GUARD, "--library", "base", "--out",
                                                write(t, "f", "x")], "{tmp}/f: is a file, not a run directory"),
    # recognition model checkpoints
    ("model-garbage", lambda t, mp: ["solve", TASKS, "--method", "neural", "--model", write(t, "m.pt", "garbage")],
     "{tmp}/m.pt: not a recognition model checkpoint of format 3"),
    ("model-crafted-dict", lambda t, mp: ["solve", TASKS, "--method", "neural", "--model", checkpoint(t, {
        "format": 3, "names": ["x"], "config": {}, "state": {}, "library": None})],
     "{tmp}/c.pt: not a recognition model checkpoint of format 3 ('config' should hold"),
    ("model-older-format", lambda t, mp: ["solve", TASKS, "--method", "neural", "--model", checkpoint(t, {
        "format": 2, "names": ["x"], "config": {}, "state": {}})],
     "{tmp}/c.pt: not a recognition model checkpoint of format 3: it is of format 2, written before the model "
     "read the examples' features and recorded its library; retrain it"),
    ("model-wrong-shapes", lambda t, mp: ["solve", TASKS, "--method", "neural", "--model", checkpoint(t, {
        "format": 3, "names": ["x"], "config": {"hidden": 2, "embedding": 2, "context": 2, "features": 0},
        "state": {}, "library": None})],
     "{tmp}/c.pt: the weights do not fit the model they describe (unexpected or missing "),
    ("model-crafted-library", lambda t, mp: ["solve", TASKS, "--method", "neural", "--model", checkpoint(t, {
        "format": 3, "names": ["x"], "config": {"hidden": 2, "embedding": 2, "context": 2, "features": 0},
        "state": {}, "library": {"dsl": "base 1", "routines": {"r": 3}}})],
     "{tmp}/c.pt: not a recognition model checkpoint of format 3 ('library' should name a DSL and map routine "
     "names to their bodies)"),
    # run directories
    ("report-config-a-list", lambda t, mp: ["report", run_dir(t, config="[]")],
     "{tmp}/run/config.json: a damaged record (not the JSON object a curriculum run writes)"),
    ("report-config-not-utf8", lambda t, mp: ["report", run_dir(t, config=b'{"config": "\xff"}')],
     "{tmp}/run/config.json: a damaged record (UnicodeDecodeError"),
    ("report-state-a-list", lambda t, mp: ["report", run_dir(t, state="[]")],
     "{tmp}/run/state.json: a damaged record (not the JSON object"),
    ("report-state-not-utf8", lambda t, mp: ["report", run_dir(t, state=b"\xfe")],
     "{tmp}/run/state.json: a damaged record (UnicodeDecodeError"),
    ("report-out-is-a-file", lambda t, mp: ["report", run_dir(t), "--out", write(t, "f", "x")],
     "--out {tmp}/f: is a file; the report is a folder"),
    ("resume-state-damaged", lambda t, mp: ["curriculum", "run", TASKS, *GUARD, "--resume", "--out", run_dir(
        t, config=json.dumps({"config": {"source": TASKS, "budget": None, "candidates": 50, "constants": "by-need",
                                        "split_share": 0.25, "subset": 8}}),
        state="[]")],
     "{tmp}/run/state.json: a damaged record (not a JSON object)"),
    ("resume-config-not-utf8", lambda t, mp: ["curriculum", "run", TASKS, *GUARD, "--resume", "--out",
                                              run_dir(t, config=b"\xff")],
     "{tmp}/run/config.json: a damaged record (UnicodeDecodeError)"),
    # names
    ("unknown-domain", lambda t, mp: ["tasks", "--domain", "lsts"],
     "--domain 'lsts': no such domain (did you mean 'lists'?)"),
    ("tasks-glob-matches-nothing", lambda t, mp: ["solve", "--domain", "lists", "--tasks", "revrse", *GUARD],
     "no task matches --tasks 'revrse' (did you mean 'reverse'"),
    ("unknown-routine", lambda t, mp: ["library", "show", "count_bth", "--library", store(t, library=counting())],
     "no routine named 'count_bth' in {tmp}/lib (did you mean 'count_both'?)"),
    ("unknown-option", lambda t, mp: ["solve", TASKS, "--budgett", "1"],
     "unrecognized arguments: --budgett 1 (see `neurosym --help`)"),
]


@pytest.mark.parametrize("setup, fragment", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_and_exit_code_2(setup, fragment, tmp_path, monkeypatch, capsys):
    argv = setup(tmp_path, monkeypatch)
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert "Traceback" not in out + err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert fragment.format(tmp=tmp_path) in lines[0]


def _terminal(monkeypatch) -> io.StringIO:
    """Make main() print to a terminal-like console 80 columns wide (progress bar and tables)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(neurosym.cli, "Console", lambda **kwargs: console)
    return buffer


def tasks_file(tmp: Path, *names: str) -> str:
    tasks = [{"name": n, "examples": [{"input": [1], "output": [1]}, {"input": [2], "output": [2]}]} for n in names]
    return write(tmp, "t.json", json.dumps({"tasks": tasks}))


FIND = ["--library", "base", "--candidates", "500"]  # enough to find \x -> [x]

# (case id, terminal?, setup(tmp) -> argv, text that must appear verbatim)
VERBATIM = [
    ("closing-tag-task-name", True, lambda t: ["solve", tasks_file(t, "[/]"), *FIND], "│ [/]"),
    ("markup-task-name", True, lambda t: ["solve", tasks_file(t, "[bold red]x"), *FIND], "│ [bold red]x"),
    ("program-with-brackets-table", True, lambda t: ["solve", tasks_file(t, "single"), *FIND], r"\x -> [x]"),
    ("closing-tag-task-name-line", False, lambda t: ["solve", tasks_file(t, "[/]"), *FIND],
     "[/]\tsolved\t2/2\t"),
    ("program-with-brackets-line", False, lambda t: ["solve", tasks_file(t, "single"), *FIND],
     "\t\\x -> [x]\n"),
    ("check-markup-task-name", False, lambda t: ["check", tasks_file(t, "[bold]b[/bold]"), "--program",
                                                 r"\x -> [x]"], "│ [bold]b[/bold] "),
    ("tasks-markup-task-name", False, lambda t: ["tasks", tasks_file(t, "[red]r")], "│ [red]r "),
]


@pytest.mark.parametrize("terminal, setup, text", [c[1:] for c in VERBATIM], ids=[c[0] for c in VERBATIM])
def test_user_text_is_printed_verbatim_not_as_markup(terminal, setup, text, tmp_path, monkeypatch, capsys):
    buffer = _terminal(monkeypatch) if terminal else None
    assert main(setup(tmp_path)) == 0
    out = buffer.getvalue() if buffer is not None else capsys.readouterr().out
    assert text in out
