"""A text language built only through neurosym's public API: strings and characters.

The base language already has the value types `str` and `char` (with literals `"ab"`
and `'a'`); this module adds string primitives the way a user outside the package
would, as `(name, type, function, doc)` records passed to `base_dsl().extend(...)`, so
it doubles as the proof that the public API is enough to grow a domain. The tasks of
the domain (FlashFill-style string transformations) are in neurosym.domains.text_tasks.

Choices that shape the programs found:

* `index_of` gives -1 when the character is absent (Python's `str.find`): a program can
  test for presence (`index_of c s < 0`), and a position of -1 fed to `slice` faults,
  so a program that relies on a separator being there fails where it is not.
* `slice` is strict: `slice i j s` faults unless 0 <= i <= j <= length. Python's
  clamping and negative indices would let a program fit short examples by accident and
  silently do something else on longer text; a fault prunes it instead.
* `split` is Python's `str.split(sep)`: empty parts are kept (`"a  b"` gives
  `["a", "", "b"]`) and `""` gives `[""]`, so `join (char_str c) (split c s)` is always `s`.
* Base primitives text has no use for are left out: stacks, folds, loops, zip_with,
  range, sort and integer *, / and %. Bottom-up search builds every well-typed term
  of each size, so each of them multiplies the terms at int and list types that the
  search must wade through before it reaches `join " " (reverse (split ' ' s))`
  (what is kept: lists, map and filter, logic, +, -, == and <). A user who needs one
  adds its record back: `text_dsl().extend(primitives=[base_dsl().primitive("fold")])`.

Every primitive is a plain Python function over `str` and `neurosym.lang.data.Char`;
user primitives get their results type-checked and cost one step per call, and any
exception they raise is a fault of the run, never an escape.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

from neurosym.lang.base import base_dsl
from neurosym.lang.data import Char
from neurosym.lang.dsl import DSL, Primitive

#: character literals a library of the text language starts with (separators, mostly)
CHAR_LITERALS: tuple[Char, ...] = tuple(Char(c) for c in " .,@-/_")
#: string literals: the empty string and the two usual joiners
STR_LITERALS: tuple[str, ...] = ("", " ", ", ")
#: base primitives a text language does without (see the module doc)
LEFT_OUT: tuple[str, ...] = ("empty_stack", "push", "pop", "top", "is_empty_stack", "fold", "loop", "zip_with",
                             "range", "sort", "*", "/", "%")


# -- implementations: plain Python, one argument per parameter -------------------------


def concat(a: str, b: str) -> str:
    return a + b


def split(sep: Char, s: str) -> tuple[str, ...]:
    return tuple(s.split(sep))


def join(sep: str, parts: tuple[str, ...]) -> str:
    return sep.join(parts)


def upper(s: str) -> str:
    return s.upper()


def lower(s: str) -> str:
    return s.lower()


def trim(s: str) -> str:
    return s.strip()


def str_length(s: str) -> int:
    return len(s)


def slice_(i: int, j: int, s: str) -> str:
    if not 0 <= i <= j <= len(s):
        raise IndexError(f"slice {i} {j} out of range for a string of length {len(s)}")
    return s[i:j]


def index_of(c: Char, s: str) -> int:
    return s.find(c)


def chars(s: str) -> tuple[Char, ...]:
    return tuple(Char(c) for c in s)


def from_chars(cs: tuple[Char, ...]) -> str:
    return "".join(cs)


def char_str(c: Char) -> str:
    return str(c)  # an exact str, not the Char itself: the result is typed str


def _case(convert: Callable[[str], str]) -> Callable[[Char], Char]:
    def change(c: Char) -> Char:
        out = convert(c)
        return Char(out) if len(out) == 1 else c  # 'ß'.upper() is 'SS': left as it is

    return change


char_upper = _case(str.upper)
char_lower = _case(str.lower)


def char_eq(a: Char, b: Char) -> bool:
    return a == b


def is_upper(c: Char) -> bool:
    return c.isupper()


def is_lower(c: Char) -> bool:
    return c.islower()


def is_digit(c: Char) -> bool:
    return "0" <= c <= "9"


def is_letter(c: Char) -> bool:
    return c.isalpha()


def is_space(c: Char) -> bool:
    return c.isspace()


#: (name, type, implementation, doc): the rows `text_dsl` adds, in this order
TEXT_PRIMITIVES: tuple[tuple[str, str, Callable, str], ...] = (
    ("concat", "str -> str -> str", concat, "The two strings one after the other."),
    ("split", "char -> str -> list str", split,
     "The parts between occurrences of the separator, empty parts kept (Python's str.split(sep))."),
    ("join", "str -> list str -> str", join, "The parts with the separator between each two."),
    ("upper", "str -> str", upper, "Every letter in upper case."),
    ("lower", "str -> str", lower, "Every letter in lower case."),
    ("trim", "str -> str", trim, "Without leading and trailing whitespace."),
    ("str_length", "str -> int", str_length, "Number of characters."),
    ("slice", "int -> int -> str -> str", slice_,
     "`slice i j s`: the characters from position i up to j (0-based); a fault unless 0 <= i <= j <= length."),
    ("index_of", "char -> str -> int", index_of, "Position of the first occurrence of the character; -1 if absent."),
    ("chars", "str -> list char", chars, "The characters of the string, in order."),
    ("from_chars", "list char -> str", from_chars, "The string of these characters."),
    ("char_str", "char -> str", char_str, "The one-character string of a character."),
    ("char_upper", "char -> char", char_upper, "The upper-case form of a letter; other characters unchanged."),
    ("char_lower", "char -> char", char_lower, "The lower-case form of a letter; other characters unchanged."),
    ("is_upper", "char -> bool", is_upper, "True for an upper-case letter."),
    ("is_lower", "char -> bool", is_lower, "True for a lower-case letter."),
    ("is_digit", "char -> bool", is_digit, "True for an ASCII digit, 0-9."),
    ("is_letter", "char -> bool", is_letter, "True for a letter."),
    ("is_space", "char -> bool", is_space, "True for whitespace."),
)


def _records(dsl: DSL) -> list[tuple | Primitive]:
    """The rows, and `char_eq` as a record: it commutes, which a tuple cannot say."""
    eq = dsl.primitive_record("char_eq", "char -> char -> bool", char_eq, "True when the two characters are the same.",
                              commutative=True)
    return [*TEXT_PRIMITIVES, eq]


@lru_cache(maxsize=1)
def text_dsl() -> DSL:
    """The text language: the base language without what text has no use for (LEFT_OUT),
    plus string and character primitives and separator literals (an immutable value,
    built once; workers rebuild it from its reference)."""
    base = base_dsl().without(*LEFT_OUT)
    return base.extend(primitives=_records(base), literals=CHAR_LITERALS + STR_LITERALS, name="text",
                       reference="neurosym.domains.text:text_dsl")


__all__ = ["CHAR_LITERALS", "LEFT_OUT", "STR_LITERALS", "TEXT_PRIMITIVES", "text_dsl"]
