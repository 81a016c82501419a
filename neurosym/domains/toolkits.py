"""Small libraries for narrow domains: a few generic routines plus the primitives that
matter there, so that enumeration reaches the programs of that domain in seconds.

These routines are the kind a curriculum learns by abstraction (see the library
issue): here they are written by hand, in the language itself, and the grammar is cut
down to the productions the domain uses. Nothing in them names a particular task.
"""

from __future__ import annotations

from neurosym.library import Library

#: counting symbols and checking order, for recognisers of block languages
WORD_ROUTINES = r"""
def count : int -> list int -> int = \k xs -> length (filter (\y -> y == k) xs);
def is_sorted : list int -> bool = \xs -> is_empty xs || fold (&&) true (zip_with (\a b -> not (b < a)) xs (tail xs));
"""

WORD_PRODUCTIONS = ("and", "==", "+", "*", "length", "count", "is_sorted", "0", "1", "2", "3")


def word_library() -> Library:
    """Recognisers of words over symbols 0..3 (a^n b^n and friends): counts, order,
    arithmetic on lengths."""
    return Library.base().with_routines(WORD_ROUTINES).only(*WORD_PRODUCTIONS)
