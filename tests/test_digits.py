"""The digits perception domain and the HOUDINI-style sequence (needs scikit-learn)."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="the digits domain reads scikit-learn's bundled images (extra `vision`)")

from neurosym.domains.digits import classify_task, list_task, load_pools, run_digit_curriculum  # noqa: E402
from neurosym.library.store import load_library  # noqa: E402
from neurosym.neural.weights import library_parts  # noqa: E402


def test_pools_are_disjoint_and_reproducible():
    pools = load_pools(0)
    assert len(pools.train) + len(pools.val) + len(pools.test) == 1797
    seen = {img.tobytes() for img, _ in pools.train + pools.val}
    unseen = [img for img, _ in pools.test if img.tobytes() not in seen]
    assert len(unseen) >= 0.97 * len(pools.test)  # load_digits has a few exact duplicates
    assert all(a is b for (a, _), (b, _) in zip(pools.test, load_pools(0).test))
    assert pools.train[0][0].shape == (8, 8) and pools.train[0][0].dtype == np.float32


def test_list_tasks_label_their_lists():
    pools = load_pools(0)
    label = {id(img): y for img, y in pools.train + pools.val + pools.test}
    task = list_task("count_digit_3", n_train=20, length=4, n_test=10, long_factor=5, pools=pools)
    assert task.type == "list image -> int"
    for (xs,), y in task.train + task.test:
        assert len(xs) == 4 and y == [label[id(x)] for x in xs].count(3)
    assert all(len(xs) == 20 for (xs,), _ in task.test_long)
    test_ids = {id(img) for img, _ in pools.test}
    assert all(id(x) in test_ids for (xs,), _ in task.test + task.test_long for x in xs)
    assert all(id(x) not in test_ids for (xs,), _ in task.train + task.val for x in xs)
    for name, fn in (("sum_digits", sum), ("max_digit", max)):
        for (xs,), y in list_task(name, n_train=10, pools=pools).train:
            assert y == fn(label[id(x)] for x in xs)
    with pytest.raises(ValueError, match="unknown digits task"):
        list_task("median_digit", pools=pools)
    assert classify_task(50, pools=pools).train[0][1] == pools.train[0][1]


def test_curriculum_reuses_the_digit_reader_in_the_sum_task(tmp_path):
    results = run_digit_curriculum(str(tmp_path / "run"), n_train=120, n_classify=400, epochs=10, small=True,
                                   names=("classify_digit", "sum_digits"))
    classify, total = results
    assert classify.saved == ("digit_reader",) and classify.test_accuracy > 0.85
    assert "digit_reader" in total.program and total.reused == ("digit_reader",)
    assert total.test_accuracy > 0.5
    lib = load_library(tmp_path / "run" / "library")
    reader = lib.neural_routine("digit_reader")
    assert reader.produced_by == ("classify_digit",) and reader.used_by == ("sum_digits",)
    assert reader.val_accuracy == pytest.approx(classify.val_accuracy)
    assert "digit_reader" in library_parts(lib, "cpu")
    lines = (tmp_path / "run" / "results.jsonl").read_text().splitlines()
    assert [json.loads(line)["task"] for line in lines] == ["classify_digit", "sum_digits"]
    assert json.loads((tmp_path / "run" / "config.json").read_text())["seed"] == 0


def test_perception_config_round_trips_through_json():
    from dataclasses import asdict

    from neurosym.curriculum.perception import config_from_dict
    from neurosym.domains.digits import default_config

    config = default_config(seed=3)
    assert config_from_dict(json.loads(json.dumps(asdict(config)))) == config
