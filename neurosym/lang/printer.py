"""AST -> concrete syntax, the inverse of the parser: `parse(format_expr(p)) == p`.

Fully applied infix primitives (those the DSL spells `+`, `&&`, ...) print infix, `if`
prints as `if ... then ... else ...`, cons chains ending in `[]` print as list
literals, literals in their syntax (`1.5`, `"text"`, `'c'`, `@point"1,2"`), and
variables are named by the depth of their binder (x, y, z, u, v, w, x6, x7, ...), so
equal programs print equally. The DSL (the base language by default) says which
primitives are infix and how its own value types print their literals.
"""

from __future__ import annotations

import json
from typing import Any

from neurosym.lang.ast import Definition, Expr, Lam, Lit, Prim, Var, list_items, spine
from neurosym.lang.base import base_dsl
from neurosym.lang.data import Char
from neurosym.lang.dsl import INFIX_LEVELS, NAME
from neurosym.lang.types import format_type

# precedence levels, loosest first
_TOP, _OR, _AND, _CMP, _ADD, _MUL, _APP, _ATOM = range(8)

_BASE_NAMES = ("x", "y", "z", "u", "v", "w")
#: words the grammar reserves; a primitive of that name could not be read back
RESERVED = {"if", "then", "else", "def", "true", "false"}


def variable_name(depth: int) -> str:
    """Name of the variable bound by the lambda at `depth` (0 = outermost)."""
    return _BASE_NAMES[depth] if depth < len(_BASE_NAMES) else f"x{depth}"


def _name_of(index: int, depth: int) -> str:
    binder = depth - 1 - index
    return variable_name(binder) if binder >= 0 else f"${index - depth}"


Item = "str | tuple[Expr, int, int]"  # text to emit, or (expression, depth, level needed)


def format_literal(value: Any, dsl: Any = None) -> str:
    """A literal in the language's syntax: `true`, `(-3)`, `1.5`, `"ab"`, `'c'`, `@point"1,2"`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"(-{-value})" if value < 0 else str(value)
    if isinstance(value, float):
        text = repr(abs(value))
        if "e" in text and "." not in text.split("e")[0]:
            text = text.replace("e", ".0e")
        return f"(-{text})" if value < 0 else text
    if isinstance(value, Char):
        inner = json.dumps(str(value), ensure_ascii=False)[1:-1].replace('\\"', '"').replace("'", "\\'")
        return f"'{inner}'"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    for vt in (dsl or base_dsl()).types:
        if vt.literal is not None and vt.python and isinstance(value, vt.python):
            return f"@{vt.name}{json.dumps(vt.literal.show(value), ensure_ascii=False)}"
    raise ValueError(f"no literal syntax for {type(value).__name__} values")


def _atom(e: Expr, depth: int, dsl: Any) -> str | None:
    """The text of a leaf, or None for a compound expression."""
    if isinstance(e, Var):
        return _name_of(e.index, depth)
    if isinstance(e, Lit):
        return format_literal(e.value, dsl)
    if isinstance(e, Prim):
        if e.name == "empty":
            return "[]"
        if e.name == "if":
            return "(if)"
        if not NAME.match(e.name):  # an operator's primitive, unapplied: a section
            return f"({e.name})"
        return e.name
    return None


def _wrapped(items: list, level: int, needed: int) -> list:
    return ["(", *items, ")"] if level < needed else items


def _joined(parts: list, separator: str) -> list:
    out: list = []
    for i, part in enumerate(parts):
        if i:
            out.append(separator)
        out.append(part)
    return out


def _expand(e: Expr, depth: int, needed: int, dsl: Any) -> list:
    """One step of printing: `e` as text pieces and sub-expressions still to print."""
    if isinstance(e, Lam):
        names = []
        while isinstance(e, Lam):
            names.append(variable_name(depth))
            depth += 1
            e = e.body
        return _wrapped([f"\\{' '.join(names)} -> ", (e, depth, _TOP)], _TOP, needed)
    items = list_items(e)
    if items is not None:
        return ["[", *_joined([(x, depth, _TOP) for x in items], ", "), "]"]
    head, args = spine(e)
    if isinstance(head, Prim):
        if head.name == "if" and len(args) >= 3:
            c, a, b = ((x, depth, _TOP) for x in args[:3])
            return _apply_rest(["if ", c, " then ", a, " else ", b], args[3:], depth, needed)
        p = dsl.get_primitive(head.name)
        if p is not None and p.infix is not None and len(args) >= 2:
            symbol = p.infix
            level, left_level, right_level = INFIX_LEVELS[symbol]
            text = [(args[0], depth, left_level), f" {symbol} ", (args[1], depth, right_level)]
            if len(args) == 2:
                return _wrapped(text, level, needed)
            return _apply_rest(text, args[2:], depth, needed)
    parts = [(head, depth, _APP)] + [(a, depth, _ATOM) for a in args]
    return _wrapped(_joined(parts, " "), _APP, needed)


def _apply_rest(text: list, rest: list[Expr], depth: int, needed: int) -> list:
    if not rest:
        return _wrapped(text, _TOP, needed)
    parts = [["(", *text, ")"]] + [[(a, depth, _ATOM)] for a in rest]
    return _wrapped([piece for part in _joined(parts, [" "]) for piece in part], _APP, needed)


def format_expr(e: Expr, depth: int = 0, dsl: Any = None) -> str:
    """Readable concrete syntax; `depth` names free variables as if under that many lambdas.

    Iterative (an explicit stack of pieces), so programs of any depth print."""
    dsl = dsl if dsl is not None else base_dsl()
    out: list[str] = []
    work: list = [(e, depth, _TOP)]
    while work:
        item = work.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        expr, d, needed = item
        leaf = _atom(expr, d, dsl)
        if leaf is not None:
            out.append(leaf)
        else:
            work.extend(reversed(_expand(expr, d, needed, dsl)))
    return "".join(out)


def format_definition(d: Definition, dsl: Any = None) -> str:
    type_part = f" : {format_type(d.type)}" if d.type is not None else ""  # type: ignore[arg-type]
    return f"def {d.name}{type_part} = {format_expr(d.body, dsl=dsl)}"
