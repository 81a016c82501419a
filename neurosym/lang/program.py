"""From program text to a checked, compiled program in one call.

Text may start with routine definitions (`def name [: type] = expr;`) that the main
expression uses; they are type-checked in order and compiled as routines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from neurosym.lang.ast import Definition, Expr
from neurosym.lang.compiler import CompiledProgram, compile_program, compile_routines
from neurosym.lang.parser import ParseError, parse_module
from neurosym.lang.primitives import Limits, primitive_types
from neurosym.lang.typecheck import check_definitions, check_type, infer_type
from neurosym.lang.types import Type


@dataclass(frozen=True)
class Program:
    """A parsed program: definitions, the main expression, and the types in scope."""

    main: Expr
    definitions: tuple[Definition, ...]
    env: Mapping[str, Type]

    @property
    def type(self) -> Type:
        return infer_type(self.main, self.env)

    def check(self, expected: Type) -> Type:
        """Raise TypeCheckError unless the program can be used at `expected`."""
        return check_type(self.main, expected, self.env)

    def compile(self, limits: Limits = Limits(), routines: Mapping[str, Any] | None = None) -> CompiledProgram:
        values = dict(routines or {})
        values.update(compile_routines(((d.name, d.body) for d in self.definitions), limits))
        return compile_program(self.main, limits, values)


def load_program(text: str, env: Mapping[str, Type] | None = None) -> Program:
    """Parse and type-check program text (raises ParseError or TypeCheckError)."""
    module = parse_module(text)
    if module.main is None:
        raise ParseError("the program has definitions but no main expression after them")
    scope = check_definitions(module.definitions, env if env is not None else primitive_types())
    infer_type(module.main, scope)  # type errors surface here, before any task is involved
    return Program(module.main, module.definitions, scope)
