"""AST -> concrete syntax, the inverse of the parser: `parse(format_expr(p)) == p`.

Fully applied operators print infix, `if` prints as `if ... then ... else ...`, cons
chains ending in `[]` print as list literals, and variables are named by the depth of
their binder (x, y, z, u, v, w, x6, x7, ...), so equal programs print equally.
"""

from __future__ import annotations

from neurosym.lang.ast import Definition, Expr, Lam, Lit, Prim, Var, list_items, spine
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


Item = "str | tuple[Expr, int, int]"  # text to emit, or (expression, depth, level needed)


def _atom(e: Expr, depth: int) -> str | None:
    """The text of a leaf, or None for a compound expression."""
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


def _expand(e: Expr, depth: int, needed: int) -> list:
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
        if head.name in _INFIX and len(args) >= 2:
            symbol, level, left_level, right_level = _INFIX[head.name]
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


def format_expr(e: Expr, depth: int = 0) -> str:
    """Readable concrete syntax; `depth` names free variables as if under that many lambdas.

    Iterative (an explicit stack of pieces), so programs of any depth print."""
    out: list[str] = []
    work: list = [(e, depth, _TOP)]
    while work:
        item = work.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        expr, d, needed = item
        leaf = _atom(expr, d)
        if leaf is not None:
            out.append(leaf)
        else:
            work.extend(reversed(_expand(expr, d, needed)))
    return "".join(out)


def format_definition(d: Definition) -> str:
    type_part = f" : {format_type(d.type)}" if d.type is not None else ""  # type: ignore[arg-type]
    return f"def {d.name}{type_part} = {format_expr(d.body)}"
