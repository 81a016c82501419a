"""Every `>>>` example of dsl/README.md evaluates to the value written under it."""

import re

import pytest

from conftest import REPO
from neurosym.lang.program import load_program
from neurosym.lang.values import format_value

TEXT = (REPO / "dsl" / "README.md").read_text()
EXAMPLES = re.findall(r"^>>> (.+)\n(.+)$", TEXT, flags=re.MULTILINE)


def test_reference_has_examples():
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("program, expected", EXAMPLES, ids=[p[:40] for p, _ in EXAMPLES])
def test_reference_example(program, expected):
    result = load_program(program).compile().run()
    assert result.ok, result.error
    assert format_value(result.value) == expected
