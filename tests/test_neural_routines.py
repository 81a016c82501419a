"""Neural routines: typed modules, relaxed vs discrete execution, training through a
program, saving and reloading weights in the library store (synthetic images: no sklearn)."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from neurosym.lang.parser import parse, parse_type
from neurosym.lang.types import format_type
from neurosym.library import Library
from neurosym.library.store import StoreError, load_library, save_library
from neurosym.neural.modules import default_device, make_part
from neurosym.neural.relaxed import Dist, RelaxedProgram, RelaxError, batch_value, most_likely
from neurosym.neural.train import accuracy, predictions, train_program
from neurosym.neural.weights import from_routine, library_parts, to_routine

CPU = torch.device("cpu")
K = 4  # synthetic "digits" 0..3
_rng = np.random.default_rng(0)
PROTOTYPES = _rng.random((K, 8, 8)).astype(np.float32)


def images(n: int, seed: int) -> list[tuple[np.ndarray, int]]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, K, n)
    return [((PROTOTYPES[y] + 0.15 * rng.standard_normal((8, 8))).astype(np.float32), int(y)) for y in labels]


def lists(pool, n, length, fn, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        items = [pool[rng.randrange(len(pool))] for _ in range(length)]
        out.append(((tuple(i for i, _ in items),), fn([y for _, y in items])))
    return out


@pytest.fixture(scope="module")
def reader():
    """A reader trained on labels, then sharpened (logits x50) so it is confident."""
    part = make_part("image -> int", "mlp", seed=0, device=CPU, values=[0, K - 1], hidden=[32])
    train_program(parse("digit"), {"digit": part}, [((x,), y) for x, y in images(300, 1)], epochs=10)
    with torch.no_grad():
        part.net[-1].weight.mul_(50)
        part.net[-1].bias.mul_(50)
    return part


def test_factories_build_typed_modules_on_the_default_device():
    assert default_device().type == ("cuda" if torch.cuda.is_available() else "cpu")
    for factory, type_text, config, x in [
        ("mlp", "image -> int", {"values": [0, 9]}, np.zeros((8, 8))),
        ("cnn", "image -> bool", {}, np.zeros((8, 8))),
        ("mlp", "vector -> vector", {"out_dim": 3, "in_dim": 5}, np.zeros(5)),
        ("gru", "list image -> int", {"values": [0, 20]}, (np.zeros((8, 8)),) * 3),
    ]:
        part = make_part(type_text, factory, seed=0, **config)
        assert format_type(part.type) == type_text and part.device.type == default_device().type
        out = part.read(x)
        assert isinstance(out, {"int": int, "bool": bool, "vector": tuple}[part.kind])
    with pytest.raises(ValueError, match="values"):
        make_part("image -> int")
    with pytest.raises(ValueError, match="one argument"):
        make_part("image -> image -> int", values=[0, 1])


PROGRAMS = [
    r"\xs -> fold (+) 0 xs",
    r"\xs -> length (filter (\x -> x == 2) xs)",
    r"\xs -> fold (\x acc -> if acc < x then x else acc) 0 xs",
    r"\xs -> fold (\x acc -> x - acc) 1 (filter (\x -> 1 < x) xs)",
    r"\xs -> if is_empty (filter (\x -> x == 0) xs) then length xs else 7",
    r"\xs -> fold (\x acc -> acc + x) 0 (map (\x -> x + 1) xs)",
]


@pytest.mark.parametrize("text", PROGRAMS)
def test_relaxed_matches_discrete_on_certain_ints(text):
    """On certain (one-hot) inputs every relaxed primitive computes the exact value."""
    rng = random.Random(0)
    xs = [tuple(rng.randrange(4) for _ in range(5)) for _ in range(40)]
    expr = parse(text)
    out = RelaxedProgram(expr, {})(batch_value(xs, CPU))
    assert isinstance(out, Dist)
    assert torch.allclose(out.probs.max(1).values, torch.ones(len(xs)))  # still certain
    assert most_likely(out) == predictions(expr, {}, [(x,) for x in xs])


def test_sum_of_distributions_is_exact():
    a = Dist(torch.tensor([[0.5, 0.5]]), 0)
    b = Dist(torch.tensor([[0.2, 0.3, 0.5]]), 1)
    out = RelaxedProgram(parse(r"\x y -> x + y"), {})(a)(b)
    assert out.lo == 1 and torch.allclose(out.probs, torch.tensor([[0.1, 0.25, 0.4, 0.25]]))


@pytest.mark.parametrize("text", [
    r"\xs -> fold (+) 0 (map digit xs)",
    r"\xs -> length (filter (\x -> digit x == 3) xs)",
    r"\xs -> fold (\x acc -> if acc < digit x then digit x else acc) 0 xs",
])
def test_relaxed_and_discrete_agree_with_a_confident_reader(reader, text):
    pool = images(100, 7)
    data = lists(pool, 50, 6, sum, 3)
    expr = parse(text)
    relaxed = most_likely(RelaxedProgram(expr, {"digit": reader})(batch_value([x[0][0] for x in data], CPU)))
    assert relaxed == predictions(expr, {"digit": reader}, [x[0] for x in data])


def test_relaxed_reports_primitives_it_cannot_relax():
    with pytest.raises(RelaxError, match="head"):
        RelaxedProgram(parse(r"\xs -> head xs"), {})(batch_value([(1, 2)], CPU))


def test_a_neural_hole_trains_through_a_sum_in_seconds():
    """Only the sums are supervised; the hole learns to read the synthetic digits."""
    torch.manual_seed(0)
    pool = images(200, 11)
    data = [ex for n in (1, 2, 3) for ex in lists(pool, 150, n, sum, n)]
    hole = make_part("image -> int", "mlp", seed=0, device=CPU, values=[0, K - 1], hidden=[32])
    expr = parse(r"\xs -> fold (+) 0 (map hole xs)")
    report = train_program(expr, {"hole": hole}, data, epochs=25, lr=1e-2, max_seconds=20)
    test_pool = images(100, 12)
    assert accuracy(parse("hole"), {"hole": hole}, [((x,), y) for x, y in test_pool]) > 0.9
    assert accuracy(expr, {"hole": hole}, lists(test_pool, 50, 4, sum, 5)) > 0.8
    assert report.seconds < 30 and report.device == "cpu"


def test_saved_neural_routine_reloads_with_identical_outputs(reader, tmp_path):
    routine = to_routine(reader, "digit", val_accuracy=0.97, produced_by=("classify",), doc="reads a digit")
    lib = Library.base().with_neural(routine).with_used_by("digit", "sum")
    save_library(lib, tmp_path / "lib")
    assert (tmp_path / "lib" / "routines" / "digit.pt").is_file()
    back = load_library(tmp_path / "lib")
    assert back == lib
    stored = back.neural_routine("digit")
    assert stored.val_accuracy == 0.97 and stored.produced_by == ("classify",) and stored.used_by == ("sum",)
    assert back.production("digit").type == parse_type("image -> int")
    again = from_routine(stored, "cpu")
    x = torch.as_tensor(np.stack([i for i, _ in images(20, 5)]))
    assert torch.equal(again(x), reader(x))
    assert not any(p.requires_grad for p in again.parameters())
    assert all(p.requires_grad for p in library_parts(back, "cpu", trainable=True)["digit"].parameters())
    # a program of the reloaded library runs discretely
    data = lists(images(50, 6), 10, 3, sum, 1)
    expr = parse(r"\xs -> fold (+) 0 (map digit xs)")
    assert predictions(expr, library_parts(back, "cpu"), [d[0] for d in data]) == \
        predictions(expr, {"digit": reader}, [d[0] for d in data])


def test_damaged_weights_are_reported(reader, tmp_path):
    lib = Library.base().with_neural(to_routine(reader, "digit"))
    save_library(lib, tmp_path / "lib")
    weights = tmp_path / "lib" / "routines" / "digit.pt"
    weights.write_bytes(weights.read_bytes()[:-3])
    with pytest.raises(StoreError, match="digit.pt"):
        load_library(tmp_path / "lib")
    weights.unlink()
    with pytest.raises(StoreError, match="digit.pt: missing"):
        load_library(tmp_path / "lib")


def test_replacing_a_neural_routine_bumps_its_version(reader):
    lib = Library.base().with_neural(to_routine(reader, "digit"))
    lib2 = lib.with_neural(to_routine(reader, "digit", val_accuracy=0.5))
    assert lib2.neural_routine("digit").version == 2 and len(lib2.neural) == 1
    with pytest.raises(ValueError, match="already exists"):
        lib.with_neural(to_routine(reader, "map"))


def test_library_cli_lists_and_shows_neural_routines(reader, tmp_path):
    import argparse
    import io

    from rich.console import Console

    from neurosym.library_cli import add_library_commands

    lib = Library.base().with_neural(to_routine(reader, "digit", val_accuracy=0.9, produced_by=("classify",)))
    save_library(lib, tmp_path / "lib")

    def run(*argv: str) -> str:
        parser = argparse.ArgumentParser(prog="neurosym")
        add_library_commands(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(list(argv))
        out = io.StringIO()
        assert args.run(args, Console(file=out, width=240, color_system=None)) == 0
        return out.getvalue()

    listing = run("library", "list", "--library", str(tmp_path / "lib"))
    assert "digit" in listing and "image -> int" in listing and "0.900" in listing
    shown = run("library", "show", "digit", "--library", str(tmp_path / "lib"))
    assert "neural routine digit : image -> int" in shown and "classify" in shown and "digit.pt" in shown


def test_symbolic_search_runs_with_a_library_that_holds_neural_routines(reader):
    import neurosym as ns

    lib = Library.base().with_neural(to_routine(reader, "digit"))
    task = ns.Task.from_examples("inc", [([1, 2], [2, 3]), ([5], [6]), ([], [])])
    for method in ("enum", "gp"):
        assert ns.solve(task, library=lib, method=method, budget=ns.Budget(seconds=5)).solved
    with pytest.raises(RuntimeError, match="neural routine 'digit'"):
        lib.routine_values(ns.Limits())["digit"](np.zeros((8, 8)))


def test_run_step_saves_a_hole_then_reuses_and_fine_tunes_it():
    from neurosym.curriculum.perception import PerceptionStep, PerceptionTask, run_step
    from neurosym.neural.neural_search import HoleSpec

    pool, test_pool = images(200, 21), images(100, 22)
    classify = PerceptionTask("classify", "image -> int", tuple(((x,), y) for x, y in pool[:150]),
                              tuple(((x,), y) for x, y in pool[150:]), tuple(((x,), y) for x, y in test_pool))
    spec = HoleSpec("image -> int", "mlp", (("values", [0, K - 1]), ("hidden", [32])))
    lib, res = run_step(classify, PerceptionStep("classify", (spec,), (), max_size=1, epochs=10,
                                                 save_as=("reader",)), Library.base())
    assert res.program == "hole0" and res.saved == ("reader",) and res.test_accuracy > 0.9
    total = PerceptionTask("total", "list image -> int", tuple(lists(pool, 60, 3, sum, 1)),
                           tuple(lists(pool, 30, 3, sum, 2)), tuple(lists(test_pool, 30, 3, sum, 3)),
                           tuple(lists(test_pool, 30, 15, sum, 4)))
    step = PerceptionStep("total", (), ("map", "fold", "+", "0"), max_size=7, probe_epochs=1, epochs=2,
                          fine_tune=True)
    lib2, res2 = run_step(total, step, lib)
    assert "reader" in res2.program and res2.reused == ("reader",) and res2.test_accuracy > 0.8
    reader = lib2.neural_routine("reader")
    assert reader.version == 2 and reader.produced_by == ("classify", "total") and reader.used_by == ("total",)
    assert reader.weights != lib.neural_routine("reader").weights and lib2.version == lib.version + 1


def test_a_found_program_is_kept_as_a_routine_over_its_neural_parts(reader, tmp_path):
    from neurosym.curriculum.perception import PerceptionStep, PerceptionTask, run_step

    pool = images(120, 31)
    lib = Library.base().with_neural(to_routine(reader, "reader"))
    total = PerceptionTask("total", "list image -> int", tuple(lists(pool, 40, 3, sum, 1)),
                           tuple(lists(pool, 20, 3, sum, 2)), tuple(lists(pool, 20, 3, sum, 3)))
    step = PerceptionStep("total", (), ("map", "fold", "+", "0"), max_size=7, probe_epochs=1, epochs=1,
                          save_program_as="sum_images")
    lib2, res = run_step(total, step, lib)
    routine = lib2.routine("sum_images")
    assert routine.produced_by == ("total",) and format_type(routine.type) == "list image -> int"
    save_library(lib2, tmp_path / "lib")
    back = load_library(tmp_path / "lib")
    # a later program calls the symbolic routine, which calls the neural one, in both modes
    expr = parse(r"\xs -> sum_images xs + 1")
    inputs = [d[0] for d in total.test]
    parts = library_parts(back, "cpu")
    discrete = predictions(expr, parts, inputs, back)
    assert discrete == [y + 1 for (_, y) in total.test]
    relaxed = most_likely(RelaxedProgram(expr, parts, back)(batch_value([i[0] for i in inputs], CPU)))
    assert relaxed == discrete


def test_training_copes_with_batches_of_empty_lists():
    hole = make_part("image -> int", values=[0, 3], device=CPU, seed=0)
    expr = parse(r"\xs -> fold (+) 0 (map h xs)")
    data = [(((),), 0), (((PROTOTYPES[1],),), 1), (((PROTOTYPES[2], PROTOTYPES[1]),), 3)]
    train_program(expr, {"h": hole}, data, epochs=60, lr=1e-2)
    assert accuracy(expr, {"h": hole}, data) == 1.0
