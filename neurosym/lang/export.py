"""Export a program as the source of a plain Python function that runs without neurosym.

`to_python_source(expr, name="program", library=None)` inlines the library's routines
(`neurosym.lang.inline`), infers the program's type over the base primitives and writes
one function `name(arg1, ..., argN)`, N the number of arguments of that type, with only
the helpers and classes it needs (a right `fold`, `loop`, a checked `head`, ...), which
need only the standard library. Lists are Python lists, in and out; stacks are a small
immutable `_Stack` class inside, lists (bottom first) at the boundary; functions are
curried one-argument callables (`f(x)(y)`), including those passed as arguments.

The exported code computes what the evaluator computes on every input where the
evaluator succeeds (differentially tested). It has no step budget and no caps on list
length or integer size: where the evaluator stops with a budget failure, the exported
function runs on (possibly for a long time); where the evaluator faults (head of [],
division by zero), it raises IndexError or ZeroDivisionError. Laziness is kept: `if`
evaluates one branch, `and`/`or` short-circuit.

Deep programs: the generator is iterative, and it keeps the generated code shallow so
that Python's parser and compiler accept it. An expression nested deeper than
`MAX_NEST` is split into assignments to temporaries, and a lambda or branch that needs
statements is lifted into a module-level function of its free variables (so the code
is never indented more than one level), which works for programs as deep as the type
checker accepts (neurosym.lang.nesting.MAX_NESTING). Running it, a lambda nested N
deep inside others still takes N Python frames, as in the evaluator. The caller
compiles the generated text, if at all; nothing here evaluates it.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from neurosym.errors import NeurosymError
from neurosym.lang.ast import App, Expr, Lam, Lit, Prim, Var, primitives_used
from neurosym.lang.inline import inline
from neurosym.lang.rewrite import fold_tree, shift
from neurosym.lang.base import base_dsl
from neurosym.lang.printer import format_expr, variable_name
from neurosym.lang.typecheck import check_type, infer_type
from neurosym.lang.types import TCon, Type, format_type, split_arrow

#: the deepest a generated expression nests before parts of it go to temporaries
MAX_NEST = 16

_HELPERS: dict[str, str] = {
    "_head": '''def _head(xs):
    if not xs:
        raise IndexError("head of the empty list")
    return xs[0]''',
    "_tail": '''def _tail(xs):
    if not xs:
        raise IndexError("tail of the empty list")
    return list(xs[1:])''',
    "_index": '''def _index(i, xs):
    if not 0 <= i < len(xs):
        raise IndexError(f"index {i} out of range for a list of length {len(xs)}")
    return xs[i]''',
    "_fold": '''def _fold(f, z, xs):
    """A right fold: f(x)(acc) for each x, the last item first."""
    for x in reversed(xs):
        z = f(x)(z)
    return z''',
    "_zip_with": '''def _zip_with(f, xs, ys):
    return [f(x)(y) for x, y in zip(xs, ys)]''',
    "_loop": '''def _loop(n, f, x):
    """f applied n times (not at all when n <= 0)."""
    for _ in range(n):
        x = f(x)
    return x''',
    "_Stack": '''class _Stack:
    """An immutable stack: its top item, the stack below it and its size."""

    __slots__ = ("top", "rest", "size")

    def __init__(self, top=None, rest=None, size=0):
        self.top, self.rest, self.size = top, rest, size


_EMPTY_STACK = _Stack()


def _push(x, s):
    return _Stack(x, s, s.size + 1)


def _pop(s):
    if not s.size:
        raise IndexError("pop of the empty stack")
    return s.rest


def _top(s):
    if not s.size:
        raise IndexError("top of the empty stack")
    return s.top


def _stack(items):
    """A stack from a list, bottom first."""
    s = _EMPTY_STACK
    for x in items:
        s = _push(x, s)
    return s


def _plain(v):
    """Stacks back to lists (bottom first), inside lists too."""
    if isinstance(v, _Stack):
        items = []
        while v.size:
            items.append(_plain(v.top))
            v = v.rest
        return items[::-1]
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v''',
}

# A primitive's Python form is its record's `source` template (neurosym.lang.dsl.Primitive):
# `{i}` is argument i as it is and `<i>` argument i without its outer parentheses; its
# `helpers` name the blocks of _HELPERS the template calls.

_SLOT = re.compile(r"\{(\d)\}|<(\d)>")


def _bare(expr: str) -> str:
    """`expr` without one pair of parentheses around all of it (where there is one)."""
    if not (expr.startswith("(") and expr.endswith(")")):
        return expr
    level = 0
    for i, ch in enumerate(expr):
        level += ch == "("
        level -= ch == ")"
        if level == 0 and i < len(expr) - 1:
            return expr  # `(a) + (b)`: the first parenthesis closes early
    return expr[1:-1]


def _fill(template: str, exprs: list[str]) -> str:
    return _SLOT.sub(lambda m: exprs[int(m[1])] if m[1] is not None else _bare(exprs[int(m[2])]), template)


class ExportError(NeurosymError, ValueError):
    """A program that cannot be exported (it uses a name that is not a base primitive)."""


@dataclass(frozen=True)
class _Code:
    """Generated code for one sub-term: statements to run first, then an expression."""

    expr: str
    stmts: tuple[str, ...] = ()
    depth: int = 1
    free: frozenset[int] = frozenset()  # binder depths it refers to
    closures: bool = False  # does the expression create a function value?
    lam: tuple[int, "_Code"] | None = None  # (binder depth, body) when it is `lambda p: body`
    items: tuple[str, ...] | None = None  # the items when it is a list display `[a, b]`
    pure: bool = False  # evaluating it cannot fail nor cost anything (a function literal)


@dataclass(frozen=True)
class _Partial:
    """A primitive applied to fewer arguments than it takes (so far)."""

    name: str
    args: tuple[_Code, ...] = ()


@dataclass
class _Writer:
    prefix: str
    dsl: Any
    helpers: set[str] = field(default_factory=set)
    lifted: list[str] = field(default_factory=list)
    counter: int = 0

    def fresh(self, kind: str) -> str:
        self.counter += 1
        return f"{kind}{self.counter}"

    # -- making code shallow ----------------------------------------------------------
    def spill(self, code: _Code) -> _Code:
        if code.depth <= 1:
            return code
        temp = self.fresh("t")
        return _Code(temp, code.stmts + (f"{temp} = {_bare(code.expr)}",), 1, code.free, code.closures)

    def lift(self, code: _Code, params: list[int], own: str | None = None) -> str:
        """A module-level function computing `code` from the binders `params` (and a last
        parameter `own`); returns its name."""
        fname = f"_{self.prefix}_{self.fresh('f')}"
        names = [variable_name(d) for d in params] + ([own] if own else [])
        body = [f"    {s}" for s in code.stmts] + [f"    return {_bare(code.expr)}"]
        self.lifted.append(f"def {fname}({', '.join(names)}):\n" + "\n".join(body))
        return fname

    def strict(self, template: str, parts: list[_Code], **extra: Any) -> _Code:
        """`template` over parts that are all evaluated (temporaries are fine)."""
        if 1 + max((p.depth for p in parts), default=0) > MAX_NEST:
            parts = [self.spill(p) for p in parts]
        return self.join(template, parts, **extra)

    @staticmethod
    def join(template: str, parts: list[_Code], **extra: Any) -> _Code:
        return _Code(_fill(template, [p.expr for p in parts]), tuple(s for p in parts for s in p.stmts),
                     1 + max((p.depth for p in parts), default=0), frozenset().union(*(p.free for p in parts)),
                     any(p.closures for p in parts), **extra)

    def delayed(self, code: _Code) -> _Code:
        """Code in a position evaluated only sometimes: statements (or too deep an
        expression) move into a lifted function, called there."""
        if not code.stmts and code.depth <= MAX_NEST // 2:
            return code
        free = sorted(code.free)
        fname = self.lift(code, free)
        return _Code(f"{fname}({', '.join(variable_name(d) for d in free)})", (), 1, code.free, code.closures)

    # -- the nodes --------------------------------------------------------------------
    def lam(self, depth: int, body: _Code) -> _Code:
        param = variable_name(depth)
        free = body.free - {depth}
        if not body.stmts and body.depth < MAX_NEST:
            return _Code(f"(lambda {param}: {_bare(body.expr)})", (), body.depth + 1, free, True, (depth, body), True)
        outer = sorted(free)
        fname = self.lift(body, outer, param)
        if not outer:
            return _Code(fname, (), 1, free, True, pure=True)
        args = ", ".join([variable_name(d) for d in outer] + [param])
        return _Code(f"(lambda {param}: {fname}({args}))", (), 2, free, True, pure=True)

    def record(self, name: str) -> Any:
        return self.dsl.primitive(name)

    def base(self, name: str) -> bool:
        """Is `name` the base language's primitive of that name (whose output this
        writer knows how to make read better: comprehensions, list displays)?"""
        return self.dsl.get_primitive(name) is base_dsl().get_primitive(name)

    def saturated(self, name: str, args: list[_Code]) -> _Code:
        record = self.record(name)
        template = record.source
        self.helpers.update(record.helpers)
        if name in ("map", "filter") and self.base(name) and args[0].lam is not None:
            binder, body = args[0].lam
            param = variable_name(binder)
            if not body.closures:  # a comprehension; closures would share its variable
                form = f"[<1> for {param} in {{0}}]" if name == "map" else f"[{param} for {param} in {{0}} if {{1}}]"
                xs = args[1]
                if 2 + max(xs.depth, body.depth) > MAX_NEST:
                    xs = self.spill(xs)
                joined = self.join(form, [xs, body])
                return _Code(joined.expr, joined.stmts, joined.depth, xs.free | (body.free - {binder}),
                             xs.closures)
        if name == "empty" and self.base(name):
            return _Code("[]", items=())
        if name == "cons" and self.base(name) and args[1].items is not None:  # a list display, `[a, b, c]`
            parts = args if 2 + max(args[0].depth, args[1].depth) <= MAX_NEST else [self.spill(a) for a in args]
            if parts[1].items is None:  # spilled: a variable now
                return self.join("[<0>, *{1}]", parts)
            head, rest = parts
            items = (_bare(head.expr),) + rest.items
            return _Code("[" + ", ".join(items) + "]", head.stmts + rest.stmts, 1 + max(head.depth, rest.depth),
                         head.free | rest.free, head.closures or rest.closures, items=items)
        lazy = record.lazy  # argument positions evaluated only sometimes
        parts = [self.delayed(a) if i in lazy else a for i, a in enumerate(args)]
        if 1 + max((p.depth for p in parts), default=0) > MAX_NEST:
            parts = [p if i in lazy else self.spill(p) for i, p in enumerate(parts)]
        return self.join(template, parts)

    def value(self, item: "_Code | _Partial") -> _Code:
        """A primitive applied to too few arguments, as a curried function value."""
        if isinstance(item, _Code):
            return item
        arity = self.record(item.name).arity
        if arity == 0 or len(item.args) == arity:
            return self.saturated(item.name, list(item.args))
        # arguments are evaluated once, when the partial application is (as the evaluator does)
        bound = [a if a.depth <= 1 or a.pure else self.spill(a) for a in item.args]
        params = [self.fresh("p") for _ in range(arity - len(bound))]
        body = self.saturated(item.name, bound + [_Code(p) for p in params])
        text = _bare(body.expr)
        for p in reversed(params):
            text = f"lambda {p}: {text}"
        return _Code(f"({text})", body.stmts, body.depth + 1, body.free, True)


def _generate(expr: Expr, depth: int, writer: _Writer) -> _Code:
    def combine(node: Expr, d: int, kids: list[Any]) -> Any:
        if isinstance(node, Var):
            binder = d - 1 - node.index
            return _Code(variable_name(binder), free=frozenset({binder}))
        if isinstance(node, Lit):
            return _Code(repr(str(node.value)) if isinstance(node.value, str) else repr(node.value))
        if isinstance(node, Prim):
            record = writer.dsl.get_primitive(node.name)
            if record is None or record.source is None:
                raise ExportError(f"cannot export '{node.name}': not a primitive with a Python form (a routine "
                                  "of another library, or a neural routine?); pass the library that defines it")
            arity = record.arity
            return writer.saturated(node.name, []) if arity == 0 else _Partial(node.name)
        if isinstance(node, Lam):
            return writer.lam(d, writer.value(kids[0]))
        fn, arg = kids
        arg = writer.value(arg)
        if isinstance(fn, _Partial):
            args = fn.args + (arg,)
            if len(args) == writer.record(fn.name).arity:
                return writer.saturated(fn.name, list(args))
            return _Partial(fn.name, args)
        return writer.strict("{0}(<1>)", [fn, arg])

    return writer.value(fold_tree(expr, combine, depth))


def _mentions_stack(t: Type) -> bool:
    if isinstance(t, TCon):
        return t.name == "stack" or any(_mentions_stack(a) for a in t.args)
    return False


def _convert_in(t: Type, value: str, level: int = 0) -> str:
    """An expression turning the user's form of `value` (lists) into the inner one."""
    if not _mentions_stack(t) or not isinstance(t, TCon) or t.name == "->":
        return value
    item = f"e{level}"
    inner = _convert_in(t.args[0], item, level + 1)
    if t.name == "stack":
        return f"_stack({value})" if inner == item else f"_stack([{inner} for {item} in {value}])"
    return f"[{inner} for {item} in {value}]"


def _main_body(expr: Expr, arity: int) -> Expr:
    """The body of `expr` under exactly `arity` binders (eta-expanding where it has fewer
    leading lambdas than its type has arguments)."""
    body, k = expr, 0
    while k < arity and isinstance(body, Lam):
        body, k = body.body, k + 1
    if k < arity:
        body = shift(body, arity - k)
        for i in range(arity - k - 1, -1, -1):
            body = App(body, Var(i))
    return body


def to_python_source(expr: Expr, name: str = "program", library: Any = None, type: "Type | str | None" = None) -> str:
    """The source of a Python function `name` computing `expr`, standing on its own.

    `library` (a Library, or a mapping from routine names to bodies) supplies the
    routines the program uses; they are inlined first. The function takes as many
    arguments as `type` has (a task's type, say; by default the program's own inferred
    type). Raises ExportError for a name that is not a base primitive after inlining,
    TypeCheckError for an ill-typed program or one that does not fit `type`. The
    function has no step budget (see the module docstring)."""
    if not name.isidentifier() or name.startswith("_") or name in _KEYWORDS:
        raise ExportError(f"{name!r} is not a usable Python function name")
    dsl = getattr(library, "dsl", None) or base_dsl()
    base = inline(expr, library) if library is not None else expr
    exportable = {p.name for p in dsl.primitives if p.source is not None}
    unknown = sorted(primitives_used(base) - exportable)
    if unknown:
        raise ExportError(f"cannot export a program using {', '.join(repr(u) for u in unknown)}: not a "
                          "primitive with a Python form; pass the library that defines it (neural routines "
                          "cannot be exported)")
    if type is None:
        program_type = infer_type(base, dsl.env(), dsl)
    else:
        program_type = dsl.parse_type(type) if isinstance(type, str) else type
        check_type(base, program_type, dsl.env(), dsl)
    params, result = split_arrow(program_type)
    writer = _Writer(name, dsl)
    code = _generate(_main_body(base, len(params)), len(params), writer)
    names = [variable_name(d) for d in range(len(params))]
    lines = [f"def {name}({', '.join(names)}):", f'    r"""{_doc(expr, base, program_type)}', '    """']
    for n, t in zip(names, params):
        converted = _convert_in(t, n)
        if converted != n:
            writer.helpers.add("_Stack")
            lines.append(f"    {n} = {converted}")
    lines += [f"    {s}" for s in code.stmts]
    out = code.expr
    if "_Stack" in writer.helpers and (_mentions_stack(result) or not isinstance(result, TCon)):
        out = f"_plain({out})"
    lines.append(f"    return {_bare(out)}")
    blocks = [_HELPERS[h] for h in sorted(writer.helpers)] + writer.lifted + ["\n".join(lines)]
    header = f'"""{name}: exported by neurosym; needs only the Python standard library."""'
    return header + "\n\n\n" + "\n\n\n".join(blocks) + "\n"


def _doc(original: Expr, base: Expr, program_type: Type) -> str:
    text = _clip(format_expr(original))
    lines = [f"{text} : {format_type(program_type)}", ""]
    if base != original:
        lines += [f"Inlined over the base primitives: {_clip(format_expr(base))}", ""]
    lines += ["Exported by neurosym; runs without it. Unlike neurosym's evaluator it has no step",
              "budget or size caps: it gives the evaluator's result wherever that succeeds."]
    text = "\n".join(f"    {line}" if line else "" for line in lines).lstrip()
    return text.replace('"""', "'''")


def _clip(text: str, width: int = 300) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


#: names the generated code uses, which the function's own name must not shadow
_KEYWORDS = frozenset(keyword.kwlist) | {"list", "len", "map", "filter", "sorted", "reversed", "range", "max", "zip",
                                         "isinstance", "IndexError"}
