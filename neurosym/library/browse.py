"""Browsing a library: list and find routines, show one, its dependency graph, diffs.

Everything here reads a `Library` and returns frozen dataclasses (or a networkx graph),
so the command line, notebooks and reports share one view of what a library holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import networkx as nx

from neurosym.errors import InvalidArgument
from neurosym.lang.ast import primitives_used
from neurosym.lang.parser import parse_type
from neurosym.lang.printer import format_expr
from neurosym.lang.sexpr import canonical_hash
from neurosym.lang.types import TVar, Type, UnificationError, format_type, free_vars, instance_of, rename, \
    split_arrow, unify
if TYPE_CHECKING:  # annotations only: Library's browsing methods call into this module
    from neurosym.library.library import Library, Routine

Match = Literal["usable", "unifies"]


def routines(lib: Library) -> tuple[Routine, ...]:
    """The learned routines, in the order they were learned (later ones may use earlier)."""
    return lib.routines


def _as_type(t: str | Type) -> Type:
    return parse_type(t) if isinstance(t, str) else t


def _unifies(a: Type, b: Type) -> bool:
    apart = rename(a, {v: TVar(f"{v}'r") for v in free_vars(a)})  # rename apart from b's variables
    try:
        unify(apart, b, {})
    except UnificationError:
        return False
    return True


def find(lib: Library, type: str | Type, match: Match = "usable") -> tuple[Routine, ...]:
    """Routines by type.

    match="usable" (default): routines that can be used *at* `type`, i.e. `type` is an
    instance of the routine's type (`(a -> a) -> a -> a` is found for
    `(int -> int) -> int -> int`; variables in the query stay fixed).
    match="unifies": routines whose type unifies with `type`, both sides may be
    specialised (`list a -> b` finds every routine taking a list first).
    """
    want = _as_type(type)
    if match == "usable":
        return tuple(r for r in lib.routines if instance_of(r.type, want))
    if match == "unifies":
        return tuple(r for r in lib.routines if _unifies(r.type, want))
    raise InvalidArgument(f"match must be 'usable' or 'unifies', not {match!r}")


@dataclass(frozen=True)
class RoutineView:
    """Everything a person wants to see about one routine."""

    name: str
    type: str
    definition: str  # `def name : type = body;`, as in its .ns file
    log_weight: float | None  # None when the routine is not a production (removed with `without`)
    doc: str
    produced_by: tuple[str, ...]
    used_by: tuple[str, ...]
    created: str
    version: int
    hash: str
    uses: tuple[str, ...]  # primitives and routines its body uses, sorted
    dependents: tuple[str, ...]  # routines whose bodies use it, in library order
    usage: str  # `name <arg type> ...`
    example_task: str | None  # the first task whose solution uses it


def usage(r: Routine) -> str:
    """`count <int> <list int>`: the routine applied to placeholders for its arguments."""
    params, _ = split_arrow(r.type)
    return " ".join([r.name] + [f"<{format_type(p)}>" for p in params])


def dependents(lib: Library, name: str) -> tuple[str, ...]:
    """Routines whose bodies use `name` directly."""
    return tuple(r.name for r in lib.routines if r.name != name and name in primitives_used(r.body))


def show(lib: Library, name: str) -> RoutineView:
    """The view of routine `name` (KeyError naming the routines there are if unknown)."""
    r = lib.routine(name)
    weights = {p.name: p.log_weight for p in lib.productions}
    return RoutineView(
        name=r.name, type=format_type(r.type), definition=f"def {r.name} : {format_type(r.type)} = "
                                                          f"{format_expr(r.body)};",
        log_weight=weights.get(r.name), doc=r.doc, produced_by=r.produced_by, used_by=r.used_by,
        created=r.created, version=r.version, hash=canonical_hash(r.body),
        uses=tuple(sorted(primitives_used(r.body))), dependents=dependents(lib, r.name),
        usage=usage(r), example_task=r.used_by[0] if r.used_by else None)


def graph(lib: Library) -> nx.DiGraph:
    """Dependency graph: an edge `routine -> what its body uses`. Nodes have `kind`
    ('routine' or 'primitive'); routines also `type` and `log_weight` (None if not a
    production). Literals are not nodes."""
    g = nx.DiGraph()
    weights = {p.name: p.log_weight for p in lib.productions}
    names = {r.name for r in lib.routines}
    for r in lib.routines:
        g.add_node(r.name, kind="routine", type=format_type(r.type), log_weight=weights.get(r.name))
    for r in lib.routines:
        for used in sorted(primitives_used(r.body)):
            if used not in names:
                g.add_node(used, kind="primitive")
            g.add_edge(r.name, used)
    return g


@dataclass(frozen=True)
class RoutineChange:
    """A routine whose definition changed between two libraries."""

    name: str
    old_definition: str
    new_definition: str
    old_hash: str
    new_hash: str


@dataclass(frozen=True)
class Reweight:
    """A production whose log-weight changed (`name` is `$var` for variables)."""

    name: str
    old: float
    new: float


@dataclass(frozen=True)
class LibraryDiff:
    """What changed from `old` to `new`; routines compared by the canonical hash of the body."""

    old_version: int
    new_version: int
    added: tuple[str, ...]  # routines only in new
    removed: tuple[str, ...]  # routines only in old
    changed: tuple[RoutineChange, ...]  # same name, different body
    updated: tuple[str, ...]  # same body, different type, doc or provenance
    reweighted: tuple[Reweight, ...]  # productions in both, with different weights
    productions_added: tuple[str, ...]
    productions_removed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.updated or self.reweighted
                    or self.productions_added or self.productions_removed)


def _definition(r: Routine) -> str:
    return f"def {r.name} : {format_type(r.type)} = {format_expr(r.body)};"


def _same(a: float, b: float, tolerance: float) -> bool:
    return a == b or (tolerance > 0 and math.isclose(a, b, rel_tol=0.0, abs_tol=tolerance))


def diff(old: Library, new: Library, tolerance: float = 0.0) -> LibraryDiff:
    """Differences from `old` to `new`. Weights within `tolerance` count as equal."""
    before = {r.name: r for r in old.routines}
    after = {r.name: r for r in new.routines}
    changed, updated = [], []
    for name in before.keys() & after.keys():
        a, b = before[name], after[name]
        if canonical_hash(a.body) != canonical_hash(b.body):
            changed.append(RoutineChange(name, _definition(a), _definition(b), canonical_hash(a.body),
                                         canonical_hash(b.body)))
        elif a != b:
            updated.append(name)
    old_w = {p.name: p.log_weight for p in old.productions}
    new_w = {p.name: p.log_weight for p in new.productions}
    reweighted = [Reweight(p.name, old_w[p.name], p.log_weight) for p in new.productions
                  if p.name in old_w and not _same(old_w[p.name], p.log_weight, tolerance)]
    if not _same(old.variable_log_weight, new.variable_log_weight, tolerance):
        reweighted.append(Reweight("$var", old.variable_log_weight, new.variable_log_weight))
    order = [r.name for r in new.routines]
    return LibraryDiff(
        old_version=old.version, new_version=new.version,
        added=tuple(n for n in order if n not in before),
        removed=tuple(r.name for r in old.routines if r.name not in after),
        changed=tuple(sorted(changed, key=lambda c: order.index(c.name))),
        updated=tuple(sorted(updated, key=order.index)),
        reweighted=tuple(reweighted),
        productions_added=tuple(p.name for p in new.productions if p.name not in old_w),
        productions_removed=tuple(p.name for p in old.productions if p.name not in new_w))


def _layers(g: nx.DiGraph) -> dict[str, int]:
    """Primitives at 0, each routine one above the highest thing it uses."""
    layer: dict[str, int] = {}
    if not nx.is_directed_acyclic_graph(g):  # not made by learning; draw it flat
        return {n: int(g.nodes[n]["kind"] == "routine") for n in g}
    for node in reversed(list(nx.topological_sort(g))):
        layer[node] = 1 + max((layer[s] for s in g.successors(node)), default=0) \
            if g.nodes[node]["kind"] == "routine" else 0
    return layer


def draw_graph(lib: Library, path: str | Path, title: str | None = None) -> Path:
    """Draw the dependency graph as a PNG: routines (orange, bold) in layers above the
    primitives (grey) they are built from, arrows from user to used."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    g = graph(lib)
    path = Path(path)
    if g.number_of_nodes() == 0:
        fig = Figure(figsize=(4, 2))
        FigureCanvasAgg(fig)
        fig.text(0.5, 0.5, "no routines", ha="center", va="center")
        fig.savefig(path, format="png")
        return path
    layer = _layers(g)
    nx.set_node_attributes(g, layer, "layer")
    pos = nx.multipartite_layout(g, subset_key="layer", align="horizontal", scale=1.0)
    widest = max(list(layer.values()).count(k) for k in set(layer.values()))
    fig = Figure(figsize=(max(6.0, 1.6 * widest), max(3.0, 1.4 * (max(layer.values()) + 1))), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    kinds = nx.get_node_attributes(g, "kind")
    rs = [n for n in g if kinds[n] == "routine"]
    ps = [n for n in g if kinds[n] == "primitive"]
    nx.draw_networkx_edges(g, pos, ax=ax, edge_color="#888888", arrows=True, arrowsize=12, node_size=2600)
    box = {"boxstyle": "round,pad=0.4"}
    nx.draw_networkx_labels(g, pos, labels={n: n for n in ps}, ax=ax, font_size=8,
                            bbox=box | {"fc": "#e5e5e5", "ec": "#999999"})
    nx.draw_networkx_labels(g, pos, labels={n: n for n in rs}, ax=ax, font_size=9, font_weight="bold",
                            bbox=box | {"fc": "#f4a261", "ec": "#b5651d"})
    ax.legend(handles=[Patch(color="#f4a261", label="routine"), Patch(color="#e5e5e5", label="primitive")],
              loc="upper left", fontsize=8, frameon=False)
    ax.set_title(title or f"library v{lib.version}: {len(rs)} routines", fontsize=10)
    ax.margins(0.15)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path
