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
    assert re.fullmatch(r"prior=0\.3 unguided_share=0\.5 median_speedup=(\S+) solved_unguided=\d+/6 solved_guided=\d+/6", last), last
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


@pytest.mark.parametrize("args, message", [
    (["--priors", "0.3,0"], "--priors and --unguided-shares compare on a validation domain: give --choose-on"),
    (["--unguided-shares", "0.5"], "--priors and --unguided-shares compare on a validation domain"),
    (["--prior", "1.5"], "argument --prior: a share between 0 and 1, got 1.5"),
    (["--candidates", "0"], "argument --candidates: expected an integer >= 1, got '0'"),
    (["--train-budget", "-1"], "argument --train-budget: expected a finite number > 0, got '-1'"),
    (["--unguided-share", "1"], "argument --unguided-share: a share between 0 and 1 (below 1), got 1.0"),
    (["--choose-on", "lists", "--priors", "0.3,x"],
     "argument --priors: expected numbers between 0 and 1 separated by commas, got '0.3,x'"),
])
def test_bench_guidance_refuses_bad_shares_before_any_work(args, message):
    out = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_guidance.py"), *args],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    assert out.returncode == 2 and message in out.stderr, out.stderr
    assert out.stdout == ""


@pytest.mark.slow
def test_bench_guidance_compares_priors_on_another_domain(tmp_path):
    """--choose-on with --priors and --unguided-shares: unguided search and guidance at each
    combination, outside the split."""
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_guidance.py"), "--limit", "12", "--iterations", "1",
         "--budget", "0.5", "--dreams", "10", "--epochs", "1", "--jobs", "1", "--data", str(DREAMCODER_TASKS),
         "--rundir", str(tmp_path / "run"), "--choose-on", "integers", "--priors", "0.3,0",
         "--unguided-shares", "0.5"],
        capture_output=True, text=True, timeout=300, cwd=REPO)
    assert out.returncode == 0, out.stderr
    last = out.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"choose_on=integers tasks=\d+ solved_unguided=\d+; "
                        r"prior=0\.3 unguided_share=0\.5: solved=\d+ median_speedup=\S+; "
                        r"prior=0\.0 unguided_share=0\.5: solved=\d+ median_speedup=\S+", last), last
