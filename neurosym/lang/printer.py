"""AST -> concrete syntax, the inverse of the parser: `parse(format_expr(p)) == p`.

Fully applied operators print infix, `if` prints as `if ... then ... else ...`, cons
chains ending in `[]` print as list literals, and variables are named by the depth of
their binder (x, y, z, u, v, w, x6, x7, ...), so equal programs print equally.
"""

from __future__ import annotations

from neurosym.lang.ast import Definition, Expr, Lam, Lit, Prim, Var, spine
from neurosym.lang.types import format_type

# precedence levels, loosest first
_TOP, _OR, _AND, _CMP, _ADD, _MUL, _APP, _ATOM = range(8)

#: primitive -> (infix symbol, level, left operand level, right operand level)
_INFIX = {
    "or": ("||", _OR, _OR, _AND),
    "and": ("&&", _AND, _AND, _CMP),
    "==": ("==", _CMP, _ADD, _ADD),
    "<": ("<", _CMP, _ADD, _ADD),
    "+": ("+", _ADD, _ADD, _MUL),
    "-": ("-", _ADD, _ADD, _MUL),
    "*": ("*", _MUL, _MUL, _APP),
    "/": ("/", _MUL, _MUL, _APP),
    "%": ("%", _MUL, _MUL, _APP),
}
_SYMBOLIC = {"+", "-", "*", "/", "%", "==", "<"}
_BASE_NAMES = ("x", "y", "z", "u", "v", "w")
#: words the grammar reserves; a primitive of that name could not be read back
RESERVED = {"if", "then", "else", "def", "true", "false"}


def variable_name(depth: int) -> str:
    """Name of the variable bound by the lambda at `depth` (0 = outermost)."""
    return _BASE_NAMES[depth] if depth < len(_BASE_NAMES) else f"x{depth}"


def _name_of(index: int, depth: int) -> str:
    binder = depth - 1 - index
    return variable_name(binder) if binder >= 0 else f"${index - depth}"


def _wrap(text: str, level: int, needed: int) -> str:
    return f"({text})" if level < needed else text


def _list_items(e: Expr) -> list[Expr] | None:
    """The elements of a cons chain ending in `empty`, or None if `e` is not one."""
    items = []
    while True:
        if e == Prim("empty"):
            return items
        head, args = spine(e)
        if head != Prim("cons") or len(args) != 2:
            return None
        items.append(args[0])
        e = args[1]


def _fmt(e: Expr, depth: int, needed: int) -> str:
    if isinstance(e, Var):
        return _name_of(e.index, depth)
    if isinstance(e, Lit):
        if isinstance(e.value, bool):
            return "true" if e.value else "false"
        return f"(-{-e.value})" if e.value < 0 else str(e.value)
    if isinstance(e, Prim):
        if e.name == "empty":
            return "[]"
        if e.name == "if":
            return "(if)"
        if e.name in _SYMBOLIC:
            return f"({e.name})"
        return e.name
    if isinstance(e, Lam):
        names = []
        while isinstance(e, Lam):
            names.append(variable_name(depth))
            depth += 1
            e = e.body
        return _wrap(f"\\{' '.join(names)} -> {_fmt(e, depth, _TOP)}", _TOP, needed)
    items = _list_items(e)
    if items is not None:
        return "[" + ", ".join(_fmt(x, depth, _TOP) for x in items) + "]"
    head, args = spine(e)
    if isinstance(head, Prim):
        if head.name == "if" and len(args) >= 3:
            c, a, b = (_fmt(x, depth, _TOP) for x in args[:3])
            text = f"if {c} then {a} else {b}"
            return _apply_rest(text, args[3:], depth, needed)
        if head.name in _INFIX and len(args) >= 2:
            symbol, level, left_level, right_level = _INFIX[head.name]
            text = f"{_fmt(args[0], depth, left_level)} {symbol} {_fmt(args[1], depth, right_level)}"
            if len(args) == 2:
                return _wrap(text, level, needed)
            return _apply_rest(text, args[2:], depth, needed)
    parts = [_fmt(head, depth, _APP)] + [_fmt(a, depth, _ATOM) for a in args]
    return _wrap(" ".join(parts), _APP, needed)


def _apply_rest(text: str, rest: list[Expr], depth: int, needed: int) -> str:
    if not rest:
        return _wrap(text, _TOP, needed)
    parts = [f"({text})"] + [_fmt(a, depth, _ATOM) for a in rest]
    return _wrap(" ".join(parts), _APP, needed)


def format_expr(e: Expr, depth: int = 0) -> str:
    """Readable concrete syntax; `depth` names free variables as if under that many lambdas."""
    return _fmt(e, depth, _TOP)


def format_definition(d: Definition) -> str:
    type_part = f" : {format_type(d.type)}" if d.type is not None else ""  # type: ignore[arg-type]
    return f"def {d.name}{type_part} = {format_expr(d.body)}"
