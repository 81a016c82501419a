"""Runtime values beyond Python's own: stacks, pairs and characters.

Lists are tuples, ints and bools Python's, strings `str`, floats `float`. A `Stack` is
an immutable linked list (push and pop in O(1)); a `Pair` holds two values (a Python
tuple would be read as a list); a `Char` is a one-character `str` that knows it is a
character, so values type themselves (`Char("a")` is a `char`, `"a"` a `str`).
"""

from __future__ import annotations

from typing import Any


class Stack:
    """An immutable stack (a linked list of cells), cheap to push and pop."""

    __slots__ = ("top", "rest", "size", "_hash")

    def __init__(self, top: Any = None, rest: "Stack | None" = None, size: int = 0) -> None:
        self.top, self.rest, self.size = top, rest, size
        self._hash: int | None = None

    @staticmethod
    def from_items(items: Any) -> "Stack":
        """Build from a sequence listed bottom first."""
        s = EMPTY_STACK
        for x in items:
            s = Stack(x, s, s.size + 1)
        return s

    def items(self) -> tuple:
        """Elements bottom first."""
        out = []
        s = self
        while s.size:
            out.append(s.top)
            s = s.rest  # type: ignore[assignment]
        return tuple(reversed(out))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Stack) and self.items() == other.items()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(("stack", self.items()))
        return self._hash

    def __reduce__(self) -> tuple:
        # rebuilt (the empty stack stays EMPTY_STACK); the cached hash is salted per process
        return (Stack.from_items, (self.items(),))

    def __repr__(self) -> str:
        return f"Stack({list(self.items())!r})"


EMPTY_STACK = Stack()


class Pair:
    """An immutable pair of values, `pair a b` in the language."""

    __slots__ = ("first", "second", "_hash")

    def __init__(self, first: Any, second: Any) -> None:
        self.first, self.second = first, second
        self._hash: int | None = None

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Pair) and self.first == other.first and self.second == other.second)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(("pair", self.first, self.second))
        return self._hash

    def __reduce__(self) -> tuple:
        return (Pair, (self.first, self.second))

    def __repr__(self) -> str:
        return f"Pair({self.first!r}, {self.second!r})"


class Char(str):
    """One character, typed `char` (a plain `str` is typed `str`)."""

    __slots__ = ()

    def __new__(cls, text: str) -> "Char":
        if len(text) != 1:
            raise ValueError(f"a char is one character, got {text!r}")
        return super().__new__(cls, text)

    def __repr__(self) -> str:
        return f"Char({str.__repr__(self)})"

    def __reduce__(self) -> tuple:
        return (Char, (str(self),))
