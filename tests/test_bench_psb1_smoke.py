"""The PSB1 benchmark runs end to end and ends with its machine-readable line."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import REPO as ROOT

SCRIPT = ROOT / "benchmarks" / "bench_psb1.py"


@pytest.mark.parametrize("method", ["enum", "gp"])
def test_bench_psb1_one_short_run(method: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--method", method, "--runs", "1", "--budget", "5", "--problems", "count-odds"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    assert "ERROR" not in proc.stdout, proc.stdout
    assert re.search(r"count-odds\s+successes [01]/1 .* PushGP 8/100 \(8%\)", proc.stdout), proc.stdout
    assert re.fullmatch(r"psb1_beats=[01]/1", lines[-1]), proc.stdout
    assert lines[0].startswith(f"PSB1, method={method}: 1 run(s) (seeds 0-0) x 5 s per problem"), proc.stdout
    # enum is deterministic: a sketch's predicate on a subset of the cases, in well under 2 s
    # (5 s of budget leaves room on a busy machine)
    if method == "enum":
        assert re.search(r"count-odds\s+successes 1/1", proc.stdout), proc.stdout
