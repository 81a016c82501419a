"""bench_library.py runs end to end on a few tasks and prints its figure line."""

import re
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.mark.slow
def test_bench_library_prints_its_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_library.py"), "--limit", "12", "--iterations", "1",
         "--budget", "1", "--jobs", "1", "--rundir", str(tmp_path / "run")],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = proc.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"test_solved_base=\d+/6 test_solved_library=\d+/6 routines=\d+ compression=\d+\.\d+", last)
