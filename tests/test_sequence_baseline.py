"""The LSTM baseline for the formal-language recognisers: fits, reproduces, reads long words."""

import random

import pytest

torch = pytest.importorskip("torch")

from neurosym.domains.formal import formal_language_task, recognizer_examples  # noqa: E402
from neurosym.neural.sequence_baseline import (  # noqa: E402
    LSTMRecognizer,
    lstm_accuracy,
    train_lstm_recognizer,
)


def training_set(name: str = "anbn") -> tuple[list[list[int]], list[bool]]:
    task = formal_language_task(name)
    return [list(e.inputs[0]) for e in task.examples], [bool(e.output) for e in task.examples]


def test_fits_the_anbn_training_words():
    words, labels = training_set()
    model = train_lstm_recognizer(words, labels, seed=0, device="cpu", max_seconds=30)
    assert isinstance(model, LSTMRecognizer)
    assert model.train_report is not None
    assert model.train_report.stopped_because == "converged"
    assert model.train_report.train_accuracy == 1.0
    assert lstm_accuracy(model, words, labels) == 1.0


def test_same_seed_same_predictions():
    words, labels = training_set("anbmcnm")
    rng = random.Random(7)
    probe = [recognizer_examples("anbmcnm", n, pos, rng) for n in range(1, 30) for pos in (True, False)]
    state = torch.random.get_rng_state()
    a = train_lstm_recognizer(words, labels, seed=3, device="cpu", max_seconds=30)
    b = train_lstm_recognizer(words, labels, seed=3, device="cpu", max_seconds=30)
    assert torch.equal(state, torch.random.get_rng_state())  # the global RNG is left alone
    assert a.train_report.epochs == b.train_report.epochs
    assert a.predict(probe) == b.predict(probe)
    for (k, x), y in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(x, y), k


def test_long_and_empty_words():
    model = LSTMRecognizer()
    n = 100
    long_words = [[0] * n + [1] * n, [0] * n + [1] * (n - 1), [0, 1, 2, 3] * 100, []]
    predictions = model.predict(long_words, batch_size=3)  # several batches, mixed lengths
    assert len(predictions) == 4 and all(isinstance(p, bool) for p in predictions)
    assert predictions[0] == model.accepts(long_words[0])
    assert 0.0 <= lstm_accuracy(model, long_words, [True, False, False, False]) <= 1.0


def test_rejects_bad_input():
    model = LSTMRecognizer()
    with pytest.raises(ValueError, match="symbol 4"):
        model.predict([[0, 1, 4]])
    with pytest.raises(ValueError, match="labels"):
        train_lstm_recognizer([[0, 1]], [True, False], device="cpu")
