"""The fuzz suite of benchmarks/fuzz_eval.py: random well-typed programs and the nasty
shapes of issue 11 never escape the tools as exceptions. A short run is part of the
default tests; the full 10,000-program run is marked slow."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from conftest import REPO

SCRIPT = REPO / "benchmarks" / "fuzz_eval.py"
LAST_LINE = re.compile(r"escapes=(\d+) over_1s=(\d+) max_rss_mb=(\d+)")


def _fuzz_module():
    spec = importlib.util.spec_from_file_location("fuzz_eval", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_short_fuzz_run_has_no_escapes(capsys):
    assert _fuzz_module().main(["--programs", "300", "--searches", "1", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    match = LAST_LINE.fullmatch(out.strip().splitlines()[-1])
    assert match, out[-2000:]
    assert match.group(1) == "0", out[-4000:]
    assert "ESCAPE" not in out


def test_the_fuzz_counts_an_escape(capsys):
    fuzz = _fuzz_module().Fuzz(verbose=False)
    fuzz.check("a broken tool", lambda: [][1])
    fuzz.check("a clean error", lambda: __import__("neurosym").parse("map ("))
    assert (fuzz.escapes, fuzz.cases) == (1, 2)
    assert "ESCAPE in a broken tool: IndexError" in capsys.readouterr().out


@pytest.mark.slow
def test_ten_thousand_programs_have_no_escapes():
    proc = subprocess.run([sys.executable, str(SCRIPT), "--programs", "10000"], cwd=REPO, capture_output=True,
                          text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    match = LAST_LINE.fullmatch(proc.stdout.strip().splitlines()[-1])
    assert match, proc.stdout[-3000:]
    assert match.group(1) == "0", proc.stdout[-6000:]
