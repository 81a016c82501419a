"""How deep a program may nest, and room on Python's stack for the walks that recurse.

Programs are trees; a few walks over them recurse (type inference, compilation, and the
compiled closures themselves). Rather than let Python's recursion limit (1,000 frames)
decide where they break, with a RecursionError, the language has one documented cap:
a program may nest at most `MAX_NESTING` levels (a list literal of n items nests about
n deep, `x + x + ... + x` with n terms about 2n), and texts or ASTs beyond it are
refused with a ParseError or TypeCheckError that says so. Walks up to the cap run
inside `recursion_room`, which raises the interpreter's limit for their duration only.
Parsing, printing and the s-expression reader and writer are iterative and need no room.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

#: the deepest program the parser and type checker accept (running has its own,
#: smaller cap: neurosym.lang.primitives.Limits.max_depth)
MAX_NESTING = 1000

#: Python frames a recursive walk may use per level of nesting (type inference uses
#: about three per level, unification of the types at that level a few more)
FRAMES_PER_LEVEL = 8

#: below this many levels the default limit always suffices (callers may skip the room)
SHALLOW = 60


def nesting_message(what: str, depth: int) -> str:
    """The one message for a program past the cap."""
    return (f"{what} nests {depth} levels deep; the cap is {MAX_NESTING} "
            "(a list literal of n items nests about n levels, a chain of n infix operators about 2n)")


@contextmanager
def recursion_room(depth: int) -> Iterator[None]:
    """Let a recursive walk over a program `depth` levels deep run without hitting
    Python's recursion limit (restored afterwards). Cheap when `depth` is small."""
    if depth <= SHALLOW:
        yield
        return
    old = sys.getrecursionlimit()
    need = _frames_in_use() + depth * FRAMES_PER_LEVEL + 200
    if need <= old:
        yield
        return
    sys.setrecursionlimit(need)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _frames_in_use() -> int:
    frame, n = sys._getframe(), 0
    while frame is not None:
        frame, n = frame.f_back, n + 1
    return n
