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

import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import lark

from neurosym.errors import NeurosymError, ParseError  # noqa: F401 - ParseError re-exported
from neurosym.lang.ast import App, Definition, Expr, Lam, Lit, Prim, Var, apply
from neurosym.lang.nesting import MAX_NESTING, nesting_message
from neurosym.lang.data import Char
from neurosym.lang.base import base_dsl
from neurosym.lang.types import Type
from neurosym.resources import dsl_dir

Scope = tuple[str, ...]

#: operators that are sugar over others: `a > b` is `b < a`, `a >= b` is `not (a < b)`,
#: `a <= b` is `not (b < a)`, `a != b` is `not (a == b)` (whatever primitives the DSL
#: spells `<` and `==`, and its `not`)
SUGAR: dict[str, tuple[str, bool, bool]] = {  # symbol -> (underlying symbol, swap operands, negate)
    ">": ("<", True, False), ">=": ("<", False, True), "<=": ("<", True, True), "!=": ("==", False, True),
}


class _Syntax:
    """What the parser needs of a DSL: the primitive each infix symbol names, its type
    names, and how its value types read literals."""

    def __init__(self, dsl: Any) -> None:
        self.dsl = dsl

    def infix(self, symbol: str, token: lark.Token) -> str:
        p = self.dsl.infix(symbol)
        if p is None:
            raise _SemanticError(f"operator {symbol!r} means nothing in DSL {self.dsl.name!r} (no primitive "
                                 "is spelled so)", token)
        return p.name

    def binary(self, symbol: str, token: lark.Token, a: Expr, b: Expr) -> Expr:
        if symbol not in SUGAR:
            return apply(Prim(self.infix(symbol, token)), a, b)
        under, swap, negate = SUGAR[symbol]
        node = apply(Prim(self.infix(under, token)), *((b, a) if swap else (a, b)))
        if negate:
            if self.dsl.get_primitive("not") is None:
                raise _SemanticError(f"operator {symbol!r} needs a primitive 'not' in DSL {self.dsl.name!r}", token)
            node = App(Prim("not"), node)
        return node

    def section(self, symbol: str, token: lark.Token) -> Expr:
        if symbol in SUGAR:  # (>) becomes a two-argument lambda
            return Lam(Lam(self.binary(symbol, token, Var(1), Var(0))))
        return Prim(self.infix(symbol, token))


_TERMINAL_NAMES = {
    "NAME": "a name",
    "INT": "an integer",
    "FLOAT": "a number",
    "STRING": "a string",
    "CHAR": "a character",
    "TYPE_TEXT": "a type",
    "TYPED": "a literal",
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


@dataclass(frozen=True)
class Module:
    """Parsed program text: routine definitions followed by an optional main expression."""

    definitions: tuple[Definition, ...]
    main: Expr | None


def _name(children: list, scope: Scope, syntax: _Syntax) -> Expr:
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


def _negint(children: list, scope: Scope, syntax: _Syntax) -> Expr:
    op, digits = children
    if str(op) != "-":
        raise _SemanticError(f"'({op}{digits})' is not valid; write a negative number as '(-{digits})'", op)
    return Lit(-_int_literal(digits))


def _negfloat(children: list, scope: Scope, syntax: _Syntax) -> Expr:
    op, digits = children
    if str(op) != "-":
        raise _SemanticError(f"'({op}{digits})' is not valid; write a negative number as '(-{digits})'", op)
    return Lit(-float(str(digits)))


def _string(children: list, scope: Scope, syntax: _Syntax) -> Expr:
    token = children[0]
    try:
        return Lit(json.loads(str(token)))
    except ValueError:
        raise _SemanticError(f"bad string literal {str(token)[:40]}", token) from None


def _char(children: list, scope: Scope, syntax: _Syntax) -> Expr:
    token = children[0]
    inner = str(token)[1:-1]
    try:
        text = json.loads('"' + inner.replace("\\'", "'").replace('"', '\\"') + '"')
        return Lit(Char(text))
    except ValueError:
        raise _SemanticError(f"bad character literal {str(token)}", token) from None


def _typed(children: list, scope: Scope, syntax: _Syntax) -> Expr:
    token = children[0]
    name, _, quoted = str(token)[1:].partition('"')
    vt = syntax.dsl.value_type_named(name)
    if vt is None or vt.literal is None:
        why = "no such type" if vt is None else "the type has no literals"
        raise _SemanticError(f"literal @{name}: {why} in DSL {syntax.dsl.name!r}", token)
    try:
        return Lit(vt.literal.read(json.loads('"' + quoted)))
    except Exception as err:  # the type's reader refuses the text
        raise _SemanticError(f"literal @{name}: cannot read {quoted[:-1][:40]!r} ({err})", token) from None


def _section(children: list, scope: Scope, syntax: _Syntax) -> Expr:
    return syntax.section(str(children[0]), children[0])


def _listlit(children: list, scope: Scope, syntax: _Syntax) -> Expr:
    result: Expr = Prim("empty")
    for item in reversed([c for c in children if c is not None]):
        result = apply(Prim("cons"), item, result)
    return result


def _lambda(children: list, scope: Scope, syntax: _Syntax) -> Expr:
    node = children[-1]
    for _ in children[:-1]:
        node = Lam(node)
    return node


def _module(children: list, scope: Scope, syntax: _Syntax) -> Module:
    defs = tuple(c for c in children if isinstance(c, Definition))
    mains = [c for c in children if c is not None and not isinstance(c, Definition)]
    return Module(defs, mains[0] if mains else None)


def _definition(children: list, scope: Scope, syntax: _Syntax) -> Definition:
    name, type_text, body = children
    declared = None
    if type_text is not None:
        try:
            declared = syntax.dsl.parse_type(str(type_text))
        except ParseError as err:
            raise _SemanticError(err.reason, type_text) from None
    return Definition(str(name), body, declared)


#: parse-tree rule -> its value from the values of its children (in the rule's scope)
_RULES: dict[str, Callable[[list, Scope, _Syntax], object]] = {
    "name": _name,
    "int": lambda c, scope, syntax: Lit(_int_literal(c[0])),
    "float": lambda c, scope, syntax: Lit(float(str(c[0]))),
    "negint": _negint,
    "negfloat": _negfloat,
    "string": _string,
    "char": _char,
    "typed": _typed,
    "true": lambda c, scope, syntax: Lit(True),
    "false": lambda c, scope, syntax: Lit(False),
    "section": _section,
    "ifsection": lambda c, scope, syntax: Prim("if"),
    "listlit": _listlit,
    "app": lambda c, scope, syntax: App(c[0], c[1]),
    "binop": lambda c, scope, syntax: syntax.binary(str(c[1]), c[1], c[0], c[2]),
    "ifexpr": lambda c, scope, syntax: apply(Prim("if"), c[0], c[1], c[2]),
    "lambda": _lambda,
    "definition": _definition,
    "module": _module,
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


def _convert(tree: lark.Tree, syntax: _Syntax) -> object:
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
            values.append(_RULES[node.data](children, scope, syntax))
    return values[0]


class _SemanticError(Exception):
    def __init__(self, message: str, token: lark.Token) -> None:
        super().__init__(message)
        self.token = token


@lru_cache(maxsize=1)
def _parser() -> lark.Lark:
    grammar = (dsl_dir() / "grammar.lark").read_text()
    return lark.Lark(grammar, parser="lalr", start=["module", "expr"], maybe_placeholders=True)


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


def _parse(text: str, start: str, dsl: Any = None) -> object:
    if dsl is None:
        dsl = base_dsl()
    try:
        result = _convert(_parser().parse(text, start=start), _Syntax(dsl))
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


def parse(text: str, dsl: Any = None) -> Expr:
    """Parse one expression (no definitions) of `dsl` (the base language by default:
    the DSL says which primitive each infix operator names and how literals read)."""
    return _parse(text, "expr", dsl)  # type: ignore[return-value]


def parse_module(text: str, dsl: Any = None) -> Module:
    """Parse `def name = expr; ...` definitions followed by an optional main expression."""
    return _parse(text, "module", dsl)  # type: ignore[return-value]


def parse_type(text: str, dsl: Any = None) -> Type:
    """Parse a type such as `(a -> b) -> list a -> list b`: a type variable is one letter
    with optional digits, any other name must be a value type of `dsl` (the base
    language by default). See neurosym.lang.types.read_type."""
    return (dsl if dsl is not None else base_dsl()).parse_type(text)
