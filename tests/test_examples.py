"""Every script in examples/ runs to completion (small settings), so no example rots.

They spawn a Python process each (a minute or more in all): marked slow, run with
`python -m pytest -m slow tests/test_examples.py`."""

import os
import subprocess
import sys

import pytest

from conftest import REPO

SCRIPTS = sorted((REPO / "examples").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_example_runs(script, tmp_path):
    env = dict(os.environ, NEUROSYM_EXAMPLE_SMALL="1", MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip()
