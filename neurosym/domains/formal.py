"""Formal languages and stack tasks: the classic test of generalization in length.

Recurrent nets trained on short strings of a^n b^n fail on long ones (Joulin & Mikolov
2015, "Inferring algorithmic patterns with stack-augmented recurrent nets", Table 2);
a program that recognises the language is right for every n. Each task trains on sizes
n <= 5 and holds out larger n.

Words are lists of symbols, 0, 1, 2, 3 standing for a, b, c, d. Tasks ("n" is the size):

- `anbn` a^n b^n, `anbncn` a^n b^n c^n, `anbncndn` a^n b^n c^n d^n, `anb2n` a^n b^2n
  (all n >= 1), and `anbmcnm` a^n b^m c^(n+m) (n, m >= 1; size n+m): the five
  languages of Joulin & Mikolov. Recognisers: `list int -> bool`.
- `dyck`: balanced brackets, 0 opens and 1 closes; size = number of pairs.
- `stack-reverse`: a list of digits reversed (`list int -> list int`); size = length.
- `rpn-eval`: reverse-polish arithmetic (`list int -> int`); size = number of
  operators. Encoding: a non-negative int is an operand, pushed; -1 is +, -2 is *,
  -3 is - (each pops b, then a, and pushes a op b). Values stay within +-10^4.

Negative examples are near misses of a positive word of the same size: a wrong block
count, two adjacent symbols swapped, an extra symbol, or a missing one.
"""

from __future__ import annotations

import random
from typing import Iterable

from neurosym.errors import NotFound
from neurosym.task import Task

JOULIN_MIKOLOV = ("anbn", "anbncn", "anbncndn", "anb2n", "anbmcnm")
RECOGNIZERS = JOULIN_MIKOLOV + ("dyck",)
FORMAL_TASKS = RECOGNIZERS + ("stack-reverse", "rpn-eval")
MAX_TRAIN_N = 5
MAX_TEST_N = 20
PLUS, TIMES, MINUS = -1, -2, -3  # reverse-polish operator codes
_VALUE_BOUND = 10_000

# Block languages of a fixed shape: symbol i repeated ratio[i] * n times.
_RATIOS = {"anbn": (1, 1), "anbncn": (1, 1, 1), "anbncndn": (1, 1, 1, 1), "anb2n": (1, 2)}


def _ratio_program(ratio: tuple[int, ...]) -> str:
    """Compare the word with the one expected for n = length / (sum of the ratio)."""
    total = sum(ratio)
    if all(r == 1 for r in ratio):
        symbol = r"\i -> i / n"
    else:  # a^n b^2n
        symbol = r"\i -> if i < n then 0 else 1"
    return (
        rf"\xs -> (\n -> 0 < n && length xs == {total} * n && "
        rf"fold (&&) true (zip_with (==) xs (map ({symbol}) (range (length xs))))) (length xs / {total})"
    )


PROGRAMS: dict[str, str] = {name: _ratio_program(ratio) for name, ratio in _RATIOS.items()}
PROGRAMS["anbmcnm"] = (
    r"\xs -> (\p q -> 0 < p && 0 < q && length xs == 2 * (p + q) && fold (&&) true (zip_with (==) xs "
    r"(map (\i -> if i < p then 0 else if i < p + q then 1 else 2) (range (length xs))))) "
    r"(length (filter (\x -> x == 0) xs)) (length (filter (\x -> x == 1) xs))"
)
# Reads left to right (a right fold over the reversed word); a close with nothing open
# buries a 1 at the bottom of the stack, which no later symbol removes.
PROGRAMS["dyck"] = (
    r"\xs -> is_empty_stack (fold (\x s -> if x == 0 then push 0 s else if is_empty_stack s then push 1 s "
    r"else if top s == 0 then pop s else s) empty_stack (reverse xs))"
)
PROGRAMS["stack-reverse"] = r"fold (\x acc -> append acc [x]) []"
PROGRAMS["rpn-eval"] = (
    r"\ts -> top (fold (\t s -> if t < 0 then (\b r -> push (if t == (-1) then top r + b else if t == (-2) "
    r"then top r * b else top r - b) (pop r)) (top s) (pop s) else push t s) empty_stack (reverse ts))"
)

TYPES = {name: "list int -> bool" for name in RECOGNIZERS}
TYPES.update({"stack-reverse": "list int -> list int", "rpn-eval": "list int -> int"})


# -- membership and generation -----------------------------------------------------


def is_member(name: str, word: list[int]) -> bool:
    """Python reference: whether `word` belongs to the recogniser's language."""
    if name == "dyck":
        depth = 0
        for x in word:
            if x not in (0, 1):
                return False
            depth += 1 if x == 0 else -1
            if depth < 0:
                return False
        return depth == 0
    if name == "anbmcnm":
        p = next((i for i, x in enumerate(word) if x != 0), len(word))
        q = next((i for i, x in enumerate(word[p:]) if x != 1), len(word) - p)
        return p > 0 and q > 0 and word == [0] * p + [1] * q + [2] * (p + q)
    ratio = _RATIOS[name]
    n = len(word) // sum(ratio)
    return n > 0 and word == _expand([(s, r * n) for s, r in enumerate(ratio)])


def _expand(blocks: Iterable[tuple[int, int]]) -> list[int]:
    return [symbol for symbol, count in blocks for _ in range(count)]


def _blocks(name: str, n: int, rng: random.Random) -> list[tuple[int, int]]:
    if name == "anbmcnm":
        n = max(n, 2)
        a = rng.randint(1, n - 1)
        return [(0, a), (1, n - a), (2, n)]
    return [(s, r * n) for s, r in enumerate(_RATIOS[name])]


def _dyck(n: int, rng: random.Random) -> list[int]:
    word, opened, depth = [], 0, 0
    while len(word) < 2 * n:
        if opened < n and (depth == 0 or rng.random() < 0.5):
            word.append(0)
            opened, depth = opened + 1, depth + 1
        else:
            word.append(1)
            depth -= 1
    return word


def _near_miss(name: str, n: int, rng: random.Random) -> list[int]:
    alphabet = 2 if name == "dyck" else 4
    for _ in range(1000):
        kind = rng.choice(("count", "swap", "insert", "delete"))
        if kind == "count" and name != "dyck":
            blocks = _blocks(name, n, rng)
            j = rng.randrange(len(blocks))
            blocks[j] = (blocks[j][0], max(0, blocks[j][1] + rng.choice((-1, 1))))
            word = _expand(blocks)
        else:
            word = _dyck(n, rng) if name == "dyck" else _expand(_blocks(name, n, rng))
            if kind == "count":  # dyck: flip one bracket
                i = rng.randrange(len(word))
                word[i] = 1 - word[i]
            elif kind == "swap":
                i = rng.choice([i for i in range(len(word) - 1) if word[i] != word[i + 1]])
                word[i], word[i + 1] = word[i + 1], word[i]
            elif kind == "insert":
                word.insert(rng.randint(0, len(word)), rng.randrange(alphabet))
            elif word:
                del word[rng.randrange(len(word))]
        if not is_member(name, word):
            return word
    raise RuntimeError(f"no near miss found for {name} at n={n}")  # pragma: no cover


def recognizer_examples(name: str, n: int, positive: bool, rng: random.Random) -> list[int]:
    """A word of size n in the language (positive) or a near miss outside it."""
    if name not in RECOGNIZERS:
        raise NotFound(f"unknown recogniser {name!r}; choose from {', '.join(RECOGNIZERS)}")
    if not positive:
        return _near_miss(name, n, rng)
    return _dyck(n, rng) if name == "dyck" else _expand(_blocks(name, n, rng))


def rpn_expression(n: int, rng: random.Random) -> list[int]:
    """A random reverse-polish expression with n operators over operands 0-9."""
    tokens: list[int] = []
    stack: list[int] = []
    operands, operators = n + 1, n
    while operands or operators:
        if operands and (len(stack) < 2 or rng.random() < 0.5):
            value = rng.randint(0, 9)
            tokens.append(value)
            stack.append(value)
            operands -= 1
            continue
        b, a = stack.pop(), stack.pop()
        results = {PLUS: a + b, TIMES: a * b, MINUS: a - b}
        op = rng.choice([o for o, v in results.items() if abs(v) <= _VALUE_BOUND])
        tokens.append(op)
        stack.append(results[op])
        operators -= 1
    return tokens


def evaluate_rpn(tokens: list[int]) -> int:
    """Python reference for `rpn-eval`."""
    stack: list[int] = []
    for t in tokens:
        if t >= 0:
            stack.append(t)
        else:
            b, a = stack.pop(), stack.pop()
            stack.append(a + b if t == PLUS else a * b if t == TIMES else a - b)
    return stack[-1]


# -- tasks ---------------------------------------------------------------------------


def _instance(name: str, n: int, positive: bool, rng: random.Random) -> tuple[list[int], object]:
    if name == "stack-reverse":
        word = [rng.randint(0, 9) for _ in range(n)]
        return word, word[::-1]
    if name == "rpn-eval":
        tokens = rpn_expression(n, rng)
        return tokens, evaluate_rpn(tokens)
    return recognizer_examples(name, n, positive, rng), positive


def formal_language_task(
    name: str,
    max_train_n: int = MAX_TRAIN_N,
    test_ns: Iterable[int] = range(1, MAX_TEST_N + 1),
    n_train: int = 20,
    seed: int = 0,
) -> Task:
    """A task trained on sizes 1..max_train_n (0.. for the non-recognisers), tested on `test_ns`.

    Recognisers get half positive training examples (fewer when the small sizes have
    fewer distinct words) and near misses for the rest; held-out: one positive and one
    negative per size (two instances per size for the other tasks).
    """
    if name not in FORMAL_TASKS:
        raise NotFound(f"unknown formal task {name!r}; choose from {', '.join(FORMAL_TASKS)}")
    rng = random.Random(seed)
    recogniser = name in RECOGNIZERS
    low = 1 if recogniser else 0
    train: list[tuple[list[int], object]] = []
    seen: set[tuple[int, ...]] = set()

    def add(positive: bool, target: int) -> None:
        for _ in range(50 * n_train):
            if len(train) >= target:
                return
            word, output = _instance(name, rng.randint(low, max(low, max_train_n)), positive, rng)
            if tuple(word) not in seen:
                seen.add(tuple(word))
                train.append((word, output))

    add(True, n_train // 2 if recogniser else n_train)
    add(False, n_train)
    rng.shuffle(train)
    held_out = []
    for n in test_ns:
        for positive in (True, False):
            for attempt in range(20):  # avoid repeating training words where possible
                word, output = _instance(name, n, positive, rng)
                if tuple(word) not in seen or attempt == 19:
                    break
            held_out.append((word, output))
    return Task.from_examples(name, train, held_out, type=TYPES[name])


def formal_tasks(seed: int = 0) -> list[Task]:
    """Every formal task, trained on n <= 5 and held out on 6 <= n <= 20."""
    return [
        formal_language_task(name, test_ns=range(MAX_TRAIN_N + 1, MAX_TEST_N + 1), seed=seed)
        for name in FORMAL_TASKS
    ]


def reference_solutions() -> dict[str, str]:
    """Task name -> reference program text."""
    return dict(PROGRAMS)
