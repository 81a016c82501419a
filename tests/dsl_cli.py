"""Languages for the tests of `--dsl` and of stores across DSLs (importable as `dsl_cli`:
tests/ is on sys.path under pytest, and CLI tests in a subprocess put it on PYTHONPATH).

DSL ("dsl_cli:DSL", named "cli_test"): the base language, `shout`, `exclaim`, a value
type `temp` with literals `@temp"21"` and `warmer : temp -> temp`, and a few literals
of str, char, float and temp. GROWN ("dsl_cli:GROWN") is the same language, same name,
with one more primitive (`whisper`), as a language looks after it has grown. OTHER
("dsl_cli:OTHER", named "cli_other") is a different language, TINY ("dsl_cli:TINY") one of
ints alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from neurosym.lang.base import base_dsl
from neurosym.lang.data import Char
from neurosym.lang.dsl import DSL as Language, LiteralSyntax, Primitive, ValueType


@dataclass(frozen=True)
class Temp:
    degrees: int


TEMP = ValueType("temp", python=(Temp,), samples=(Temp(0), Temp(20)),
                 literal=LiteralSyntax(show=lambda t: str(t.degrees), read=lambda text: Temp(int(text))),
                 doc="A temperature in whole degrees.")

DSL = base_dsl().extend(
    types=[TEMP],
    primitives=[Primitive("shout", "str -> str", fn=str.upper, doc="Upper case.", cost=1),
                Primitive("exclaim", "str -> str", fn=lambda s: s + "!", doc="With an exclamation mark.", cost=1),
                Primitive("warmer", "temp -> temp", fn=lambda t: Temp(t.degrees + 1), doc="One degree more.",
                          cost=1)],
    literals=["!", Char("x"), 1.5, Temp(21)], name="cli_test", reference="dsl_cli:DSL")

GROWN = DSL.extend(primitives=[Primitive("whisper", "str -> str", fn=str.lower, doc="Lower case.", cost=1)],
                   name="cli_test", reference="dsl_cli:GROWN")

OTHER = base_dsl().extend(primitives=[Primitive("shout", "str -> str", fn=str.upper, doc="Upper case.", cost=1)],
                          name="cli_other", reference="dsl_cli:OTHER")

NOT_A_DSL = 42

TINY = Language.of("tiny", [ValueType("int", python=(int,), samples=(0, 1))],
                   [Primitive("inc", "int -> int", fn=lambda n: n + 1, doc="One more.", cost=1)], reference="dsl_cli:TINY")
