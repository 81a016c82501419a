"""neurosym.lang.rewrite.rename_primitives: the one renaming of primitives and routines
that abstraction learning, redocumenting and perception curricula share."""

from neurosym.lang.nesting import MAX_NESTING
from neurosym.lang.parser import parse
from neurosym.lang.printer import format_expr
from neurosym.lang.rewrite import rename_primitives


def test_names_are_renamed_under_lambdas_and_applications_and_others_kept():
    program = parse(r"\x -> map (\y -> old y + 1) (old_too (reverse x))")
    renamed = rename_primitives(program, {"old": "new", "old_too": "other", "absent": "z"})
    assert format_expr(renamed) == r"\x -> map (\y -> new y + 1) (other (reverse x))"
    assert rename_primitives(program, {}) is program  # nothing renamed: the same tree, not a copy


def test_programs_nested_to_the_cap_are_renamed_without_recursion():
    depth = MAX_NESTING - 5
    program = parse("\\x -> " + "old (" * depth + "x" + ")" * depth)
    expected = parse("\\x -> " + "f (" * depth + "x" + ")" * depth)
    assert rename_primitives(program, {"old": "f"}) == expected
