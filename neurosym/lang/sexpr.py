"""The s-expression form, for interchange with stitch-core and for files.

`(map (lam (+ $0 1)) $0)`: applications are flattened into one list, `lam` binds one
variable, `$i` is a de Bruijn index, integers and `true`/`false` are literals, anything
else is a primitive or routine name. This is the format stitch-core reads and writes.

The reader is hand-written and iterative: it is used in inner loops (lark reads only a
few thousand programs a second) and must not recurse on deep programs.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, spine
from neurosym.lang.nesting import MAX_NESTING, nesting_message
from neurosym.lang.parser import ParseError, parse
from neurosym.lang.printer import format_literal

_TOKEN = re.compile(r"\s*(?:(\()|(\))|([^\s()]+))")
_INT = re.compile(r"-?\d+\Z")
_FLOAT = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?\Z")
#: characters a literal's atom may not hold raw (atoms are split at whitespace and parentheses)
_UNSAFE = re.compile(r"[\s()]")
LAMBDA_WORDS = ("lam", "lambda")


class SexprError(NeurosymError, ValueError):
    """Malformed s-expression text; the message names the position."""


def _atom_text(e: Expr, dsl: Any) -> str:
    if isinstance(e, Prim):
        return e.name
    if isinstance(e, Var):
        return f"${e.index}"
    if isinstance(e, Lit):  # type: ignore[unreachable]
        v = e.value
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        text = format_literal(v, dsl).removeprefix("(").removesuffix(")") if isinstance(v, float) else \
            format_literal(v, dsl)
        # a string's spaces and parentheses would split the atom: they become \u escapes
        return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    raise TypeError(f"not an atom: {e!r}")


def to_sexpr(e: Expr, dsl: Any = None) -> str:
    """Write a program as an s-expression (stitch-core's input format).

    Iterative, so that programs of any depth (long list literals) can be written.
    Literals: `3`, `-2`, `true`, `1.5`, `"a\u0020b"` (no raw spaces or parentheses), `'c'`,
    `@point"1,2"`."""
    parts: list[str] = []
    stack: list[object] = [e]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, Lam):
            parts.append("(lam ")
            stack.append(")")
            stack.append(item.body)
        elif isinstance(item, App):
            head, args = spine(item)
            parts.append("(")
            stack.append(")")
            for a in reversed(args):
                stack.append(a)
                stack.append(" ")
            stack.append(head)
        else:
            parts.append(_atom_text(item, dsl))  # type: ignore[arg-type]
    return "".join(parts)


def _atom(token: str, dsl: Any) -> Expr:
    if _FLOAT.match(token):
        return Lit(float(token))
    if token[0] in "\"'@":
        try:  # a literal of another kind: the concrete syntax reads it
            return parse(token, dsl)
        except ParseError as err:
            raise SexprError(f"bad literal {token[:40]!r}: {err.reason}") from None
    if token.startswith("$"):
        try:
            return Var(int(token[1:]))
        except ValueError:
            raise SexprError(f"bad variable {token!r}: expected $ followed by an index") from None
    if _INT.match(token):
        try:
            return Lit(int(token))
        except ValueError:  # past Python's limit on digits converted from text
            raise SexprError(f"integer literal of {len(token.lstrip('-'))} digits is too long") from None
    if token == "true":
        return Lit(True)
    if token == "false":
        return Lit(False)
    return Prim(token)


def _build(items: list, pos: int, dsl: Any) -> Expr:
    if not items:
        raise SexprError(f"empty list '()' at offset {pos}")
    first = items[0]
    if isinstance(first, str) and first in LAMBDA_WORDS:
        if len(items) != 2:
            raise SexprError(f"'(lam ...)' at offset {pos} needs exactly one body")
        return Lam(_as_expr(items[1], dsl))
    if len(items) == 1:
        raise SexprError(f"application at offset {pos} has no arguments")
    fn = _as_expr(first, dsl)
    for arg in items[1:]:
        fn = App(fn, _as_expr(arg, dsl))
    return fn


def _as_expr(item: object, dsl: Any) -> Expr:
    if isinstance(item, str):
        if item in LAMBDA_WORDS:
            raise SexprError(f"'{item}' must start a list: (lam BODY)")
        return _atom(item, dsl)
    return item  # already built


def parse_sexpr(text: str, dsl: Any = None) -> Expr:
    """Read one s-expression program (literals of a user's value type need its `dsl`)."""
    stack: list[tuple[int, list]] = []
    result: object = None
    pos = 0
    for m in _TOKEN.finditer(text):
        pos = m.start(1) if m.group(1) else m.start(2) if m.group(2) else m.start(3)
        if result is not None:
            raise SexprError(f"unexpected text after the program at offset {pos}")
        if m.group(1):
            stack.append((pos, []))
        elif m.group(2):
            if not stack:
                raise SexprError(f"unbalanced ')' at offset {pos}")
            start, items = stack.pop()
            node = _build(items, start, dsl)
            if stack:
                stack[-1][1].append(node)
            else:
                result = node
        else:
            token = m.group(3)
            if stack:
                stack[-1][1].append(token)
            else:
                result = _as_expr(token, dsl)
    if stack:
        raise SexprError(f"unclosed '(' at offset {stack[-1][0]}")
    if result is None:
        raise SexprError("empty input: no program found")
    if result.depth > MAX_NESTING:  # type: ignore[attr-defined]
        raise SexprError(nesting_message("the program", result.depth))  # type: ignore[attr-defined]
    return result  # type: ignore[return-value]


def canonical_hash(e: Expr) -> str:
    """A hash of the program that is stable across processes and machines (the hex
    sha256 of its s-expression)."""
    return hashlib.sha256(to_sexpr(e).encode()).hexdigest()
