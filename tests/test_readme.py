"""The README's Python snippets run as written (so the quickstart cannot rot)."""

import re

import pytest

from conftest import REPO

BLOCKS = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), flags=re.DOTALL)


def test_readme_has_python_blocks():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_block_runs(code, capsys):
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own documentation
    out = capsys.readouterr().out
    assert out.strip()
    if "ns.solve(task)" in code:
        assert "\\x -> map (\\y -> y + 1) x" in out and "True 1.0" in out
