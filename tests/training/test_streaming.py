"""Arrays past the streaming threshold go to the device batch by batch, with the batches of the whole copy."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers
from fitorch.training import data

N, FEATURES, BATCH = 50, 3, 8


def _arrays(float_dtype=np.float32):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, FEATURES)).astype(float_dtype)
    y = rng.integers(0, 3, N)
    weights = rng.random(N).astype(np.float32)
    return x, y, weights


def _adapter(monkeypatch, streamed, x, y=None, sample_weight=None, device="cpu", **kwargs):
    # The threshold is a module constant: a small one makes this small dataset "too big".
    monkeypatch.setattr(data, "STREAM_THRESHOLD_BYTES", 64 if streamed else 2 * 1024**3)
    torch.manual_seed(0)  # the shuffling seed comes from torch's global RNG
    adapter = data.make_adapter(x, y, sample_weight, batch_size=BATCH, device=torch.device(device), **kwargs)
    assert adapter.streamed is streamed
    return adapter


def _leaves(batch):
    return [leaf for leaf in fitorch.utils.tree.flatten(batch) if leaf is not None]


CASES = {
    "shuffled": dict(shuffle=True),
    "in_order": dict(shuffle=False),
    "steps_across_passes": dict(shuffle=True, steps=4),  # epochs end mid-pass and cross into the next
    "class_and_sample_weight": dict(shuffle=True, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, with_weights=True),
    "float64_and_dict_inputs": dict(shuffle=True, float64=True, as_dict=True),
}


@pytest.mark.parametrize("case", list(CASES))
def test_streamed_batches_equal_the_whole_copy(monkeypatch, case):
    options = dict(CASES[case])
    with_weights, float64, as_dict = (options.pop(k, False) for k in ("with_weights", "float64", "as_dict"))
    x, y, weights = _arrays(np.float64 if float64 else np.float32)
    if as_dict:
        x = {"a": x, "b": x[:, :1] * 2}
    whole = _adapter(monkeypatch, False, x, y, weights if with_weights else None, **options)
    streamed = _adapter(monkeypatch, True, x, y, weights if with_weights else None, **options)
    assert whole.seed == streamed.seed
    for epoch in range(3):
        start = 2 if epoch == 1 else 0  # a resumed epoch skips what the interrupted run did
        expected, received = list(whole.epoch(start)), list(streamed.epoch(start))
        assert len(expected) == len(received) > 0
        for one, other in zip(expected, received, strict=True):
            for a, b in zip(_leaves(one), _leaves(other), strict=True):
                assert a.dtype == b.dtype and a.device == b.device
                torch.testing.assert_close(a, b, rtol=0, atol=0)
        assert whole.state() == streamed.state()
    for a, b in zip(_leaves(whole.first_batch()), _leaves(streamed.first_batch()), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def _full_size_tensors_on(obj, device, seen=None):
    """Every tensor reachable from ``obj``'s attributes that is on ``device`` and holds all N samples."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, torch.Tensor):
        return [obj] if obj.device == device and obj.ndim and obj.shape[0] == N else []
    if isinstance(obj, dict):
        children = list(obj.values())
    elif isinstance(obj, (list, tuple)):
        children = list(obj)
    elif isinstance(obj, data.DataAdapter):
        children = list(vars(obj).values())
    else:
        return []
    return [t for child in children for t in _full_size_tensors_on(child, device, seen)]


def test_streaming_never_puts_the_whole_dataset_on_the_device(monkeypatch):
    """On the ``meta`` device (a device that is not the host, on any machine) only batches arrive."""
    x, y, weights = _arrays(np.float64)
    meta = torch.device("meta")
    whole = _adapter(monkeypatch, False, x, y, weights, device="meta", shuffle=True)
    assert len(_full_size_tensors_on(whole, meta)) == 3  # the check sees a whole copy where there is one
    streamed = _adapter(monkeypatch, True, x, y, weights, device="meta", shuffle=True)
    assert _full_size_tensors_on(streamed, meta) == []
    for batch in streamed.epoch():
        for leaf in _leaves(batch):
            assert leaf.device == meta and leaf.shape[0] <= BATCH
    assert _full_size_tensors_on(streamed, meta) == []
    # What stays on the host shares the caller's memory: the float64 data is not converted whole either.
    assert [t.data_ptr() for t in streamed.tensors] == [a.ctypes.data for a in (x, y, weights)]


def test_the_threshold_counts_host_bytes_only(monkeypatch):
    monkeypatch.setattr(data, "STREAM_THRESHOLD_BYTES", 1000)
    cpu = torch.device("cpu")
    assert data.streams([np.zeros(1001, dtype=np.uint8)], cpu)
    assert not data.streams([np.zeros(1000, dtype=np.uint8)], cpu)
    assert not data.streams([torch.zeros(10_000)], cpu)  # already on the target: nothing to copy
    assert data.streams([torch.zeros(10_000)], torch.device("meta"))


def test_fit_and_evaluate_give_the_same_model_streamed_or_not(monkeypatch):
    x, y, _ = _arrays()

    def trained(threshold):
        monkeypatch.setattr(data, "STREAM_THRESHOLD_BYTES", threshold)
        torch.manual_seed(0)
        model = fitorch.Sequential(
            [layers.Input(shape=(FEATURES,)), layers.Dense(4, activation="relu"), layers.Dense(3)]
        )
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, batch_size=BATCH, epochs=2, validation_split=0.2, verbose=0)
        return model, history.history, model.evaluate(x, y, batch_size=BATCH, verbose=0)

    whole_model, whole_history, whole_eval = trained(2 * 1024**3)
    streamed_model, streamed_history, streamed_eval = trained(64)
    for a, b in zip(whole_model.state_dict().values(), streamed_model.state_dict().values(), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert whole_history == streamed_history
    assert whole_eval == streamed_eval


def test_one_ahead_makes_the_next_item_before_handing_out_the_current():
    made = []

    def produce():
        for i in range(4):
            made.append(i)
            yield i

    seen = []
    for item in data._one_ahead(produce()):
        seen.append((item, list(made)))
    assert seen == [(0, [0, 1]), (1, [0, 1, 2]), (2, [0, 1, 2, 3]), (3, [0, 1, 2, 3])]
    assert list(data._one_ahead(iter([]))) == []
