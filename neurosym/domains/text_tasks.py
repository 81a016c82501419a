"""String-transformation tasks in the spirit of FlashFill and the SyGuS PBE string track.

Each task is one row: a name, its type, a Python reference function, a reference
solution in the text language (neurosym.domains.text; a test checks that it passes
every example) and an input sampler. Samplers take a `Scale`: training inputs have few,
short words (so that search can fit them), held-out inputs more and longer words, so
every held-out input is longer than every training input and a held-out score says
whether a program generalizes beyond the text it was fitted on. Everything is
reproducible from a seed; built only through the public API (`Task.from_examples`).
"""

from __future__ import annotations

import random
import string
import zlib
from dataclasses import dataclass
from typing import Any, Callable

from neurosym import Task
from neurosym.domains.text import text_dsl
from neurosym.lang.data import Char

N_TRAIN, N_HELD_OUT = 8, 6


@dataclass(frozen=True)
class Scale:
    """How big sampled text is: words per phrase, letters per word, characters of a
    run of mixed letters and digits, and whether it is held-out text."""

    words: tuple[int, int]
    letters: tuple[int, int]
    span: tuple[int, int]
    held_out: bool


TRAIN = Scale(words=(1, 3), letters=(2, 5), span=(3, 8), held_out=False)
HELD_OUT = Scale(words=(4, 6), letters=(6, 9), span=(12, 20), held_out=True)

Sampler = Callable[[random.Random, Scale], str]


@dataclass(frozen=True)
class TextSpec:
    """One text task: reference function, reference solution and input sampler."""

    name: str
    type: str
    fn: Callable[[str], Any]
    program: str
    sampler: Sampler


# -- samplers ------------------------------------------------------------------------


def _count(rng: random.Random, bounds: tuple[int, int], least: int = 1) -> int:
    return rng.randint(max(bounds[0], least), max(bounds[1], least))


def _word(rng: random.Random, sc: Scale, least: int = 1) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(_count(rng, sc.letters, least)))


def _words(least: int = 1, exactly: int | None = None, case: str = "lower", sep: str = " ",
           min_letters: int = 1) -> Sampler:
    """A phrase of words; `case`: lower, title (Capitalized) or mixed (random per letter)."""
    def shape(rng: random.Random, w: str) -> str:
        if case == "title":
            return w.capitalize()
        if case == "mixed":
            return "".join(c.upper() if rng.random() < 0.5 else c for c in w)
        return w

    def sample(rng: random.Random, sc: Scale) -> str:
        n = exactly if exactly is not None else _count(rng, sc.words, least)
        return sep.join(shape(rng, _word(rng, sc, min_letters)) for _ in range(n))

    return sample


def _acronym_phrase(rng: random.Random, sc: Scale) -> str:
    """Capitalized words with small lower-case words between (`Bank of America`)."""
    words = [_word(rng, sc, 2).capitalize() for _ in range(_count(rng, sc.words, 2))]
    out = [words[0]]
    for w in words[1:]:
        if rng.random() < 0.5:
            out.append(rng.choice(["of", "and", "the", "for"]))
        out.append(w)
    return " ".join(out)


def _alnum(digits: bool | None = True) -> Sampler:
    """Letters and digits; `digits`: True at least one, False none, None either (half)."""
    def sample(rng: random.Random, sc: Scale) -> str:
        n = _count(rng, sc.span)
        want = digits if digits is not None else rng.random() < 0.5
        pool = string.ascii_letters + (string.digits * 2 if want else "")
        text = [rng.choice(pool) for _ in range(n)]
        if want:
            text[rng.randrange(n)] = rng.choice(string.digits)
        return "".join(text)

    return sample


def _email(rng: random.Random, sc: Scale) -> str:
    user = ".".join(_word(rng, sc) for _ in range(_count(rng, (sc.words[0], sc.words[1] - 1), 2)))
    return f"{user}@{_word(rng, sc, 2)}.{rng.choice(['com', 'org', 'net', 'io'])}"


def _host(rng: random.Random, sc: Scale) -> str:
    return f"www.{_word(rng, sc, 2)}.{rng.choice(['com', 'org', 'net'])}"


def _file_name(rng: random.Random, sc: Scale) -> str:
    stem = "_".join(_word(rng, sc) for _ in range(_count(rng, sc.words)))
    return f"{stem}.{rng.choice(['pdf', 'txt', 'csv', 'py', 'md'])}"


def _path(rng: random.Random, sc: Scale) -> str:
    return "/".join(_word(rng, sc) for _ in range(_count(rng, sc.words, 2)))


def _date(rng: random.Random, sc: Scale) -> str:
    """d/m/yy in training, dd/mm/yyyy held out (longer)."""
    d, m = rng.randint(1, 28), rng.randint(1, 12)
    if sc.held_out:
        return f"{d:02d}/{m:02d}/{rng.randint(1900, 2099)}"
    return f"{d}/{m}/{rng.randint(10, 99)}"


def _phone(rng: random.Random, sc: Scale) -> str:
    groups = _count(rng, (sc.words[0] + 1, sc.words[1]), 2)
    size = (2, 3) if not sc.held_out else (3, 4)
    return "-".join("".join(rng.choice(string.digits) for _ in range(rng.randint(*size))) for _ in range(groups))


def _padded(rng: random.Random, sc: Scale) -> str:
    text = _words()(rng, sc)
    left, right = rng.randint(0, 2), rng.randint(0, 2)
    if left + right == 0:
        left = 1
    return " " * left + text + " " * right


def _spaced(rng: random.Random, sc: Scale) -> str:
    words = [_word(rng, sc) for _ in range(_count(rng, sc.words, 2))]
    return "".join(w + " " * rng.randint(1, 3) for w in words[:-1]) + words[-1]


def _maybe_spaced(rng: random.Random, sc: Scale) -> str:
    """Words run together a quarter of the time (no space: -1), else a phrase."""
    return _words(2, sep="" if rng.random() < 0.25 else " ")(rng, sc)


# -- reference functions that need more than a lambda ---------------------------------------


def _title(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in s.split(" "))


def _dirname(s: str) -> str:
    return "/".join(s.split("/")[:-1])


def _ymd(s: str) -> str:
    return "-".join(reversed(s.split("/")))


def _t(name: str, type_: str, fn: Callable[[str], Any], program: str, sampler: Sampler) -> TextSpec:
    return TextSpec(name, type_, fn, program, sampler)


S2S, S2I, S2C, S2B = "str -> str", "str -> int", "str -> char", "str -> bool"
_PHRASE, _PHRASE2, _NAMES2 = _words(), _words(2), _words(exactly=2, case="title")
_UNDERSCORE, _SLASH, _DASH = "(char_str '_')", "(char_str '/')", "(char_str '-')"
_CAPITALIZE = r"concat (upper (slice 0 1 w)) (slice 1 (str_length w) w)"  # of a word w

TEXT_SPECS: list[TextSpec] = [
    # case
    _t("to-upper", S2S, str.upper, "upper", _words(case="mixed")),
    _t("to-lower", S2S, str.lower, "lower", _words(case="mixed")),
    _t("capitalize-first", S2S, lambda s: s[:1].upper() + s[1:], rf"\w -> {_CAPITALIZE}", _PHRASE2),
    _t("title-case", S2S, _title, rf"""\s -> join " " (map (\w -> {_CAPITALIZE}) (split ' ' s))""", _PHRASE2),
    _t("swap-case", S2S, str.swapcase,
       r"\s -> from_chars (map (\c -> if is_upper c then char_lower c else char_upper c) (chars s))",
       _words(case="mixed")),
    # words
    _t("first-word", S2S, lambda s: s.split(" ")[0], r"\s -> head (split ' ' s)", _PHRASE2),
    _t("last-word", S2S, lambda s: s.split(" ")[-1], r"\s -> head (reverse (split ' ' s))", _PHRASE2),
    _t("second-word", S2S, lambda s: s.split(" ")[1], r"\s -> index 1 (split ' ' s)", _words(3)),
    _t("count-words", S2I, lambda s: len(s.split(" ")), r"\s -> length (split ' ' s)", _PHRASE),
    _t("drop-first-word", S2S, lambda s: " ".join(s.split(" ")[1:]), r"""\s -> join " " (tail (split ' ' s))""",
       _PHRASE2),
    _t("reverse-words", S2S, lambda s: " ".join(s.split(" ")[::-1]), r"""\s -> join " " (reverse (split ' ' s))""",
       _PHRASE2),
    _t("word-lengths", "str -> list int", lambda s: [len(w) for w in s.split(" ")],
       r"\s -> map str_length (split ' ' s)", _PHRASE),
    _t("remove-spaces", S2S, lambda s: s.replace(" ", ""), r"""\s -> join "" (split ' ' s)""", _PHRASE2),
    _t("snake-case", S2S, lambda s: s.replace(" ", "_"), rf"\s -> join {_UNDERSCORE} (split ' ' s)", _PHRASE2),
    _t("kebab-case", S2S, lambda s: s.lower().replace(" ", "-"), rf"\s -> lower (join {_DASH} (split ' ' s))",
       _words(2, case="title")),
    _t("comma-list", S2S, lambda s: s.replace(",", ", "), r"""\s -> join ", " (split ',' s)""", _words(2, sep=",")),
    _t("count-fields", S2I, lambda s: len(s.split(",")), r"\s -> length (split ',' s)", _words(sep=",")),
    # names
    _t("initials", S2S, lambda s: "".join(w[0] for w in s.split(" ")),
       r"\s -> from_chars (map (\w -> head (chars w)) (split ' ' s))", _words(2, case="title")),
    _t("initials-upper", S2S, lambda s: "".join(w[0] for w in s.split(" ")).upper(),
       r"\s -> upper (from_chars (map (\w -> head (chars w)) (split ' ' s)))", _PHRASE2),
    _t("last-comma-first", S2S, lambda s: ", ".join(s.split(" ")[::-1]), r"""\s -> join ", " (reverse (split ' ' s))""",
       _NAMES2),
    _t("name-to-email-user", S2S, lambda s: s.lower().replace(" ", "."),
       r"\s -> lower (join (char_str '.') (split ' ' s))", _NAMES2),
    _t("first-initial-last-name", S2S, lambda s: f"{s[0]}. {s.split(' ')[1]}",
       r"""\s -> concat (slice 0 1 s) (concat (char_str '.') (concat " " (index 1 (split ' ' s))))""", _NAMES2),
    _t("username", S2S, lambda s: (s[0] + s.split(" ")[1]).lower(),
       r"\s -> lower (concat (slice 0 1 s) (index 1 (split ' ' s)))", _NAMES2),
    # emails and the web
    _t("email-user", S2S, lambda s: s.split("@")[0], r"\s -> head (split '@' s)", _email),
    _t("email-domain", S2S, lambda s: s.split("@")[1], r"\s -> index 1 (split '@' s)", _email),
    _t("email-user-words", S2S, lambda s: s.split("@")[0].replace(".", " "),
       r"""\s -> join " " (split '.' (head (split '@' s)))""", _email),
    _t("domain-name", S2S, lambda s: s.split(".")[1], r"\s -> index 1 (split '.' s)", _host),
    # files and paths
    _t("file-extension", S2S, lambda s: s.split(".")[-1], r"\s -> head (reverse (split '.' s))", _file_name),
    _t("file-stem", S2S, lambda s: s.split(".")[0], r"\s -> head (split '.' s)", _file_name),
    _t("path-basename", S2S, lambda s: s.split("/")[-1], r"\s -> head (reverse (split '/' s))", _path),
    _t("path-dirname", S2S, _dirname, rf"\s -> join {_SLASH} (reverse (tail (reverse (split '/' s))))", _path),
    # dates and numbers
    _t("date-dmy-to-ymd", S2S, _ymd, rf"\s -> join {_DASH} (reverse (split '/' s))", _date),
    _t("strip-dashes", S2S, lambda s: s.replace("-", ""), r"""\s -> join "" (split '-' s)""", _phone),
    _t("count-digits", S2I, lambda s: sum(c.isdigit() for c in s), r"\s -> length (filter is_digit (chars s))",
       _alnum()),
    _t("keep-digits", S2S, lambda s: "".join(c for c in s if c.isdigit()),
       r"\s -> from_chars (filter is_digit (chars s))", _alnum()),
    _t("remove-digits", S2S, lambda s: "".join(c for c in s if not c.isdigit()),
       r"\s -> from_chars (filter (\c -> not (is_digit c)) (chars s))", _alnum()),
    _t("has-digit", S2B, lambda s: any(c.isdigit() for c in s), r"\s -> not (is_empty (filter is_digit (chars s)))",
       _alnum(None)),
    _t("acronym", S2S, lambda s: "".join(c for c in s if c.isupper()), r"\s -> from_chars (filter is_upper (chars s))",
       _acronym_phrase),
    # characters
    _t("first-char", S2C, lambda s: Char(s[0]), r"\s -> head (chars s)", _PHRASE),
    _t("last-char", S2C, lambda s: Char(s[-1]), r"\s -> head (reverse (chars s))", _PHRASE),
    _t("reverse-string", S2S, lambda s: s[::-1], r"\s -> from_chars (reverse (chars s))", _PHRASE),
    _t("abbreviate", S2S, lambda s: s[:3], "slice 0 3", _words(exactly=1, case="title", min_letters=4)),
    _t("drop-first-char", S2S, lambda s: s[1:], r"\s -> from_chars (tail (chars s))", _PHRASE),
    _t("index-of-space", S2I, lambda s: s.find(" "), r"index_of ' '", _maybe_spaced),
    # spaces
    _t("trim", S2S, str.strip, "trim", _padded),
    _t("collapse-spaces", S2S, lambda s: " ".join(w for w in s.split(" ") if w),
       r"""\s -> join " " (filter (\w -> not (str_length w == 0)) (split ' ' s))""", _spaced),
]


# -- building tasks ---------------------------------------------------------------------


def _task_rng(name: str, seed: int) -> random.Random:
    """A generator per task, so adding a task leaves the others' examples unchanged."""
    return random.Random(seed * 1_000_003 + zlib.crc32(name.encode()))


def _sample(spec: TextSpec, scale: Scale, count: int, rng: random.Random, avoid: set[str]) -> list[tuple[str, Any]]:
    """`count` distinct inputs with their outputs; a boolean task gets both answers."""
    out: list[tuple[str, Any]] = []
    quota = {True: (count + 1) // 2, False: count // 2}
    for _ in range(500 * count):
        if len(out) == count:
            return out
        text = spec.sampler(rng, scale)
        if text in avoid:
            continue
        output = spec.fn(text)
        if isinstance(output, bool):
            if quota[output] == 0:
                continue
            quota[output] -= 1
        avoid.add(text)
        out.append((text, output))
    raise RuntimeError(f"task '{spec.name}': could only sample {len(out)} of {count} distinct examples")


def build_text_task(spec: TextSpec, seed: int = 0) -> Task:
    """Training examples on short text, held-out ones on longer text."""
    rng = _task_rng(spec.name, seed)
    seen: set[str] = set()
    train = _sample(spec, TRAIN, N_TRAIN, rng, seen)
    held_out = _sample(spec, HELD_OUT, N_HELD_OUT, rng, seen)
    return Task.from_examples(spec.name, train, held_out, type=spec.type, dsl=text_dsl())


def text_tasks(seed: int = 0) -> list[Task]:
    """All built-in text tasks, reproducible from `seed`."""
    return [build_text_task(spec, seed) for spec in TEXT_SPECS]


def reference_solutions() -> dict[str, str]:
    """Task name -> reference program text (in the text language)."""
    return {spec.name: spec.program for spec in TEXT_SPECS}


__all__ = ["HELD_OUT", "N_HELD_OUT", "N_TRAIN", "TEXT_SPECS", "TRAIN", "Scale", "TextSpec", "build_text_task",
           "reference_solutions", "text_tasks"]
