"""bench_guidance.py runs end to end on a few tasks and prints its last line."""

import re
import subprocess
import sys

import pytest

from conftest import DREAMCODER_TASKS, REPO

pytest.importorskip("torch")


def test_bench_guidance_prints_its_figures(tmp_path):
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_guidance.py"), "--limit", "12", "--iterations", "1",
         "--budget", "1", "--dreams", "10", "--epochs", "2", "--jobs", "1", "--data", str(DREAMCODER_TASKS),
         "--rundir", str(tmp_path / "run")],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert out.returncode == 0, out.stderr
    last = out.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"median_speedup=(\S+) solved_unguided=\d+/6 solved_guided=\d+/6", last), last
    assert (tmp_path / "run" / "model" / "recognition.pt").exists()


@pytest.mark.slow
def test_bench_guidance_chooses_on_another_domain(tmp_path):
    """--choose-on compares the two kinds of guidance on a domain outside the split."""
    common = [sys.executable, str(REPO / "benchmarks" / "bench_guidance.py"), "--limit", "12", "--iterations", "1",
              "--budget", "0.5", "--dreams", "10", "--epochs", "1", "--jobs", "1", "--data", str(DREAMCODER_TASKS),
              "--rundir", str(tmp_path / "run")]
    out = subprocess.run(common + ["--choose-on", "integers"], capture_output=True, text=True, timeout=300, cwd=REPO)
    assert out.returncode == 0, out.stderr
    last = out.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"choose_on=integers tasks=\d+ solved_unigram=\d+ solved_contextual=\d+ "
                        r"unigram_over_contextual_candidates_geomean=\S+ over \d+ tasks", last), last
