"""Concrete syntax -> AST, with lark (grammar in dsl/grammar.lark).

Variables become de Bruijn indices, which need the enclosing scope: the parse tree is
converted top-down for scopes and bottom-up for nodes, with an explicit stack (one rule
function per grammar rule, in `_RULES`), so that no nesting depth makes Python recurse.
Names not bound by a lambda are primitive or routine references (`Prim`); whether they
exist is the type checker's business. Programs nested deeper than MAX_NESTING
(neurosym.lang.nesting) are refused with a ParseError saying so.

Parse errors are `ParseError`s carrying line, column, the offending line with a caret,
and what was expected.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import lark

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Definition, Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.nesting import MAX_NESTING, nesting_message
from neurosym.lang.types import CONSTRUCTORS, TCon, TVar, Type, arrow
from neurosym.resources import dsl_dir

Scope = tuple[str, ...]

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


def _name(children: list, scope: Scope) -> Expr:
    name = str(children[0])
    for i, bound in enumerate(scope):
        if bound == name:
            return Var(i)
    return Prim(name)


def _int_literal(token: lark.Token) -> int:
    digits = str(token)
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    if limit and len(digits) > limit:
        raise _SemanticError(f"integer literal of {len(digits)} digits is too long (at most {limit} digits)", token)
    return int(digits)


def _negint(children: list, scope: Scope) -> Expr:
    op, digits = children
    if str(op) != "-":
        raise _SemanticError(f"'({op}{digits})' is not valid; write a negative number as '(-{digits})'", op)
    return Lit(-_int_literal(digits))


def _section(children: list, scope: Scope) -> Expr:
    op = str(children[0])
    if op in DIRECT_OPERATORS:
        return Prim(DIRECT_OPERATORS[op])
    return Lam(Lam(INFIX[op](Var(1), Var(0))))  # sugar such as (>) becomes a two-argument lambda


def _listlit(children: list, scope: Scope) -> Expr:
    result: Expr = Prim("empty")
    for item in reversed([c for c in children if c is not None]):
        result = apply(Prim("cons"), item, result)
    return result


def _lambda(children: list, scope: Scope) -> Expr:
    node = children[-1]
    for _ in children[:-1]:
        node = Lam(node)
    return node


def _module(children: list, scope: Scope) -> Module:
    defs = tuple(c for c in children if isinstance(c, Definition))
    mains = [c for c in children if c is not None and not isinstance(c, Definition)]
    return Module(defs, mains[0] if mains else None)


def _tname(children: list, scope: Scope) -> Type:
    name = str(children[0])
    if name in CONSTRUCTORS:
        if CONSTRUCTORS[name]:
            raise _SemanticError(f"type constructor '{name}' needs {CONSTRUCTORS[name]} argument(s)", children[0])
        return TCon(name)
    return TVar(name)


def _tcon(children: list, scope: Scope) -> Type:
    head, *args = children
    name = str(head)
    if CONSTRUCTORS.get(name) != len(args):
        expected = CONSTRUCTORS.get(name)
        what = "is not a type constructor" if expected is None else f"takes {expected} argument(s), got {len(args)}"
        raise _SemanticError(f"'{name}' {what}", head)
    return TCon(name, tuple(args))


#: parse-tree rule -> its value from the values of its children (in the rule's scope)
_RULES: dict[str, Callable[[list, Scope], object]] = {
    "name": _name,
    "int": lambda c, scope: Lit(_int_literal(c[0])),
    "negint": _negint,
    "true": lambda c, scope: Lit(True),
    "false": lambda c, scope: Lit(False),
    "section": _section,
    "ifsection": lambda c, scope: Prim("if"),
    "listlit": _listlit,
    "app": lambda c, scope: App(c[0], c[1]),
    "binop": lambda c, scope: INFIX[str(c[1])](c[0], c[2]),
    "ifexpr": lambda c, scope: apply(Prim("if"), c[0], c[1], c[2]),
    "lambda": _lambda,
    "definition": lambda c, scope: Definition(str(c[0]), c[2], c[1]),
    "module": _module,
    "tname": _tname,
    "tcon": _tcon,
    "tarrow": lambda c, scope: arrow(c[0], c[1]),
}


def _child_scope(tree: lark.Tree, scope: Scope) -> Scope:
    """The scope of a rule's sub-expressions: a lambda binds its names, innermost first;
    a definition's body starts with nothing bound."""
    if tree.data == "lambda":
        for token in tree.children[:-1]:
            scope = (str(token),) + scope
        return scope
    if tree.data == "definition":
        return ()
    return scope


def _convert(tree: lark.Tree) -> object:
    """Parse tree -> AST, iteratively (post-order with an explicit stack), so that
    programs of any nesting depth convert without recursion."""
    values: list[object] = []
    work: list[tuple[object, Scope, bool]] = [(tree, (), False)]
    while work:
        node, scope, ready = work.pop()
        if not isinstance(node, lark.Tree):
            values.append(node)  # a token (or None for an absent optional part)
        elif not ready:
            work.append((node, scope, True))
            inner = _child_scope(node, scope)
            for child in reversed(node.children):
                work.append((child, inner, False))
        else:
            n = len(node.children)
            children = values[len(values) - n:] if n else []
            del values[len(values) - n:]
            values.append(_RULES[node.data](children, scope))
    return values[0]


class _SemanticError(Exception):
    def __init__(self, message: str, token: lark.Token) -> None:
        super().__init__(message)
        self.token = token


@lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    grammar = (dsl_dir() / "grammar.lark").read_text()
    return lark.Lark(grammar, parser="lalr", start=["module", "expr", "type"], maybe_placeholders=True)


#: a long line is shown as a window of this many characters around the error
_CONTEXT_WIDTH = 72


def _caret(text: str, line: int, column: int) -> str:
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if len(src) > _CONTEXT_WIDTH:
        start = max(0, min(column - 1 - _CONTEXT_WIDTH // 2, len(src) - _CONTEXT_WIDTH))
        window = src[start:start + _CONTEXT_WIDTH]
        prefix = "..." if start else ""
        suffix = "..." if start + _CONTEXT_WIDTH < len(src) else ""
        return f"  {prefix}{window}{suffix}\n  {' ' * (len(prefix) + column - 1 - start)}^"
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
        result = _convert(_parser().parse(text, start=start))
    except _SemanticError as inner:
        tok = inner.token
        raise ParseError(str(inner), tok.line, tok.column, _caret(text, tok.line, tok.column)) from None
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
    _check_nesting(result)
    return result


def _check_nesting(result: object) -> None:
    """Refuse programs past the nesting cap (the type checker and compiler recurse)."""
    exprs: list[Expr] = []
    if isinstance(result, Module):
        exprs = [d.body for d in result.definitions] + ([result.main] if result.main is not None else [])
    elif isinstance(result, (Prim, Lit, Var, Lam, App)):
        exprs = [result]
    for e in exprs:
        if e.depth > MAX_NESTING:
            raise ParseError(nesting_message("the program", e.depth))


def parse(text: str) -> Expr:
    """Parse one expression (no definitions)."""
    return _parse(text, "expr")  # type: ignore[return-value]


def parse_module(text: str) -> Module:
    """Parse `def name = expr; ...` definitions followed by an optional main expression."""
    return _parse(text, "module")  # type: ignore[return-value]


def parse_type(text: str) -> Type:
    """Parse a type such as `(a -> b) -> list a -> list b`."""
    return _parse(text, "type")  # type: ignore[return-value]
