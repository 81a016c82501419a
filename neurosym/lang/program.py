"""From program text to a checked, compiled program in one call.

Text may start with routine definitions (`def name [: type] = expr;`) that the main
expression uses; they are type-checked in order and compiled as routines. With a
library (`load_program(text, library=lib)`), the text may also use the library's
routines, in its main expression and in its own definitions alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol

from neurosym.lang.ast import Definition, Expr
from neurosym.lang.compiler import CompiledProgram, compile_program
from neurosym.lang.routine_compiler import compile_routines
from neurosym.lang.inline import inline
from neurosym.lang.parser import ParseError, parse_module
from neurosym.lang.base import base_dsl
from neurosym.lang.primitives import Limits
from neurosym.lang.typecheck import Env, check_definitions, check_type, infer_type
from neurosym.lang.types import Type


class RoutineSource(Protocol):
    """What a program needs of a library (neurosym.library.Library is one): its DSL,
    the types of its names, and its routines compiled for a run's limits."""

    dsl: Any

    def env(self) -> Mapping[str, Type]: ...

    def routine_values(self, limits: Limits) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class Program:
    """A parsed program: definitions, the main expression, the types in scope, and the
    library whose routines it may use (None: the base primitives only)."""

    main: Expr
    definitions: tuple[Definition, ...]
    env: Env
    library: RoutineSource | None = field(default=None, compare=False, repr=False)

    @property
    def dsl(self) -> Any:
        return self.env.dsl

    @property
    def type(self) -> Type:
        return infer_type(self.main, self.env)

    def check(self, expected: Type) -> Type:
        """Raise TypeCheckError unless the program can be used at `expected`."""
        return check_type(self.main, expected, self.env)

    def compile(self, limits: Limits = Limits(), routines: Mapping[str, Any] | None = None) -> CompiledProgram:
        """Compile for runs under `limits`. The program's own definitions, and its main
        expression, see `routines` (compiled routine values by name), by default those
        of the program's library."""
        if routines is None:
            routines = self.library.routine_values(limits) if self.library is not None else {}
        values = compile_routines(((d.name, d.body) for d in self.definitions), limits, initial=routines,
                                  dsl=self.dsl)
        return compile_program(self.main, limits, values, dsl=self.dsl)

    def inlined(self) -> Expr:
        """The main expression with the program's definitions and the library's routines
        expanded into base primitives (see neurosym.lang.inline)."""
        bodies = {r.name: r.body for r in getattr(self.library, "routines", ())}
        bodies.update((d.name, d.body) for d in self.definitions)
        return inline(self.main, bodies)


def load_program(text: str, env: Mapping[str, Type] | None = None, library: RoutineSource | None = None,
                 dsl: Any = None) -> Program:
    """Parse and type-check program text (raises ParseError or TypeCheckError).

    The language is `dsl`, else the library's, else the base language. Names in scope
    are `env` if given, else the names of `library` (its primitives and routines), else
    the DSL's primitives. A program loaded with a library compiles with the library's
    routines (see Program.compile)."""
    if dsl is None:
        dsl = library.dsl if library is not None else (env.dsl if isinstance(env, Env) else base_dsl())
    module = parse_module(text, dsl)
    if module.main is None:
        raise ParseError("the program has definitions but no main expression after them")
    if env is None:
        env = library.env() if library is not None else dsl.env()
    scope = check_definitions(module.definitions, env, dsl)
    infer_type(module.main, scope)  # type errors surface here, before any task is involved
    return Program(module.main, module.definitions, scope, library)
