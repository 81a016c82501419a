"""Concrete syntax -> AST, with lark (grammar in dsl/grammar.lark).

Variables become de Bruijn indices, which need the enclosing scope: so each transformer
method returns a *builder*, a function from the scope (names bound so far, innermost
first) to the AST node, and the whole tree is built once the top is reached. Names not
bound by a lambda are primitive or routine references (`Prim`); whether they exist is
the type checker's business.

Parse errors are `ParseError`s carrying line, column, the offending line with a caret,
and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import lark

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Definition, Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.types import CONSTRUCTORS, TCon, TVar, Type, arrow
from neurosym.resources import dsl_dir

Scope = tuple[str, ...]
Builder = Callable[[Scope], Expr]

#: infix operator token -> function of the two operand builders' results
_NOT = Prim("not")


def _binary(name: str) -> Callable[[Expr, Expr], Expr]:
    return lambda a, b: apply(Prim(name), a, b)


INFIX: dict[str, Callable[[Expr, Expr], Expr]] = {
    "+": _binary("+"),
    "-": _binary("-"),
    "*": _binary("*"),
    "/": _binary("/"),
    "%": _binary("%"),
    "==": _binary("=="),
    "<": _binary("<"),
    "&&": _binary("and"),
    "||": _binary("or"),
    ">": lambda a, b: apply(Prim("<"), b, a),
    ">=": lambda a, b: App(_NOT, apply(Prim("<"), a, b)),
    "<=": lambda a, b: App(_NOT, apply(Prim("<"), b, a)),
    "!=": lambda a, b: App(_NOT, apply(Prim("=="), a, b)),
}

#: operators that name a primitive directly
DIRECT_OPERATORS = {op: op for op in ("+", "-", "*", "/", "%", "==", "<")} | {"&&": "and", "||": "or"}

_TERMINAL_NAMES = {
    "NAME": "a name",
    "INT": "an integer",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "SEMICOLON": "';'",
    "COLON": "':'",
    "EQUAL": "'='",
    "BACKSLASH": "'\\'",
    "__ANON_0": "'->'",
    "CMP": "a comparison",
    "ADDOP": "'+' or '-'",
    "MULOP": "'*', '/' or '%'",
    "SECTION": "an operator",
    "OR": "'||'",
    "AND": "'&&'",
    "IF": "'if'",
    "THEN": "'then'",
    "ELSE": "'else'",
    "DEF": "'def'",
    "TRUE": "'true'",
    "FALSE": "'false'",
    "$END": "end of input",
}


class ParseError(NeurosymError, ValueError):
    """Text that is not a program; `str()` shows position, caret and expectation."""

    def __init__(self, message: str, line: int = 0, column: int = 0, context: str = "") -> None:
        self.line, self.column, self.context, self.reason = line, column, context, message
        where = f"line {line}, column {column}: " if line else ""
        super().__init__(f"{where}{message}" + (f"\n{context}" if context else ""))


@dataclass(frozen=True)
class Module:
    """Parsed program text: routine definitions followed by an optional main expression."""

    definitions: tuple[Definition, ...]
    main: Expr | None


class _ToBuilders(lark.Transformer):
    """Turns the parse tree into builders (functions of the scope)."""

    def name(self, children: list) -> Builder:
        name = str(children[0])

        def build(scope: Scope) -> Expr:
            for i, bound in enumerate(scope):
                if bound == name:
                    return Var(i)
            return Prim(name)

        return build

    def int(self, children: list) -> Builder:
        node = Lit(int(children[0]))
        return lambda scope: node

    def negint(self, children: list) -> Builder:
        op, digits = children
        if str(op) != "-":
            raise _SemanticError(f"'({op}{digits})' is not valid; write a negative number as '(-{digits})'", op)
        node = Lit(-int(digits))
        return lambda scope: node

    def true(self, children: list) -> Builder:
        return lambda scope: Lit(True)

    def false(self, children: list) -> Builder:
        return lambda scope: Lit(False)

    def section(self, children: list) -> Builder:
        op = str(children[0])
        if op in DIRECT_OPERATORS:
            node: Expr = Prim(DIRECT_OPERATORS[op])
        else:  # sugar such as (>) becomes a two-argument lambda
            node = Lam(Lam(INFIX[op](Var(1), Var(0))))
        return lambda scope: node

    def ifsection(self, children: list) -> Builder:
        return lambda scope: Prim("if")

    def listlit(self, children: list) -> Builder:
        items = [c for c in children if c is not None]

        def build(scope: Scope) -> Expr:
            result: Expr = Prim("empty")
            for item in reversed(items):
                result = apply(Prim("cons"), item(scope), result)
            return result

        return build

    def app(self, children: list) -> Builder:
        fn, arg = children
        return lambda scope: App(fn(scope), arg(scope))

    def binop(self, children: list) -> Builder:
        left, op, right = children
        combine = INFIX[str(op)]
        return lambda scope: combine(left(scope), right(scope))

    def ifexpr(self, children: list) -> Builder:
        c, a, b = children
        return lambda scope: apply(Prim("if"), c(scope), a(scope), b(scope))

    def lambda_(self, children: list) -> Builder:
        *names, body = children
        names = [str(n) for n in names]

        def build(scope: Scope) -> Expr:
            inner = scope
            for n in names:
                inner = (n,) + inner
            node = body(inner)
            for _ in names:
                node = Lam(node)
            return node

        return build

    def definition(self, children: list) -> Definition:
        name, type_, body = children
        return Definition(str(name), body(()), type_)

    def module(self, children: list) -> Module:
        defs = tuple(c for c in children if isinstance(c, Definition))
        mains = [c for c in children if not isinstance(c, Definition)]
        return Module(defs, mains[0](()) if mains else None)

    # -- types
    def tname(self, children: list) -> Type:
        name = str(children[0])
        if name in CONSTRUCTORS:
            if CONSTRUCTORS[name]:
                raise _SemanticError(f"type constructor '{name}' needs {CONSTRUCTORS[name]} argument(s)", children[0])
            return TCon(name)
        return TVar(name)

    def tcon(self, children: list) -> Type:
        head, *args = children
        name = str(head)
        if CONSTRUCTORS.get(name) != len(args):
            expected = CONSTRUCTORS.get(name)
            what = "is not a type constructor" if expected is None else f"takes {expected} argument(s), got {len(args)}"
            raise _SemanticError(f"'{name}' {what}", head)
        return TCon(name, tuple(args))

    def tarrow(self, children: list) -> Type:
        return arrow(children[0], children[1])


# "lambda" is a Python keyword, so the transformer method has a trailing underscore.
setattr(_ToBuilders, "lambda", _ToBuilders.lambda_)


class _SemanticError(Exception):
    def __init__(self, message: str, token: lark.Token) -> None:
        super().__init__(message)
        self.token = token


@lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    grammar = (dsl_dir() / "grammar.lark").read_text()
    return lark.Lark(grammar, parser="lalr", start=["module", "expr", "type"], maybe_placeholders=True)


def _caret(text: str, line: int, column: int) -> str:
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    return f"  {src}\n  {' ' * (column - 1)}^"


def _describe(expected: set[str]) -> str:
    names = sorted({_TERMINAL_NAMES.get(t, repr(t.lower())) for t in expected})
    return ", ".join(names)


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset (the end of input included)."""
    before = text[:offset]
    return before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1


def _accepted_after(prefix: str, start: str) -> set[str]:
    """Terminals the parser accepts after `prefix` (LALR may reduce past the error point)."""
    try:
        interactive = _parser().parse_interactive(prefix, start=start)
        interactive.exhaust_lexer()
        return set(interactive.accepts())
    except lark.exceptions.LarkError:
        return set()


_KEYWORDS = {"TRUE", "FALSE", "IF", "BACKSLASH"}
_EXPRESSION_STARTS = {"NAME", "INT", "LPAR", "LSQB"}


def _expected(e: lark.exceptions.UnexpectedToken, prefix: str, start: str) -> set[str]:
    """What could have come instead. LALR's own list is the most to the point (it says
    `')'` where an expression could also continue) but, lexing by context, it leaves out
    keywords that may start an expression; those are added back from the parser state."""
    expected = set(e.expected)
    if not expected:
        return _accepted_after(prefix, start)
    if expected & _EXPRESSION_STARTS:
        expected |= _accepted_after(prefix, start) & _KEYWORDS
    return expected


def _parse(text: str, start: str) -> object:
    try:
        tree = _parser().parse(text, start=start)
        return _ToBuilders().transform(tree)
    except lark.exceptions.UnexpectedToken as e:
        at_end = e.token.type == "$END"
        got = "end of input" if at_end else repr(str(e.token))
        offset = len(text) if at_end else (e.token.start_pos or 0)
        expected = _expected(e, text[:offset], start)
        line, column = _position(text, offset) if at_end else (e.line, e.column)
        raise ParseError(f"unexpected {got}; expected {_describe(expected)}", line, column,
                         _caret(text, line, column)) from None
    except lark.exceptions.UnexpectedCharacters as e:
        raise ParseError(
            f"unexpected character {text[e.pos_in_stream]!r}; expected {_describe(e.allowed)}",
            e.line,
            e.column,
            _caret(text, e.line, e.column),
        ) from None
    except lark.exceptions.UnexpectedEOF as e:
        line, column = _position(text, len(text))
        raise ParseError(f"unexpected end of input; expected {_describe(set(e.expected))}", line, column,
                         _caret(text, line, column)) from None
    except lark.exceptions.VisitError as e:
        inner = e.orig_exc
        if isinstance(inner, _SemanticError):
            tok = inner.token
            raise ParseError(str(inner), tok.line, tok.column, _caret(text, tok.line, tok.column)) from None
        raise


def parse(text: str) -> Expr:
    """Parse one expression (no definitions)."""
    builder = _parse(text, "expr")
    return builder(())  # type: ignore[operator]


def parse_module(text: str) -> Module:
    """Parse `def name = expr; ...` definitions followed by an optional main expression."""
    return _parse(text, "module")  # type: ignore[return-value]


def parse_type(text: str) -> Type:
    """Parse a type such as `(a -> b) -> list a -> list b`."""
    return _parse(text, "type")  # type: ignore[return-value]
