"""timeseries_dataset_from_array: Keras' windows and targets, batched, shuffled reproducibly, and fit-ready.

Keras 3 builds these datasets with tf.data or grain, neither installed here, so the
oracle is a direct NumPy transcription of Keras' documented definition (window i starts
at start_index + i * sequence_stride, steps sampling_rate apart, target targets[start]),
plus the examples from Keras' own docstring.
"""

import itertools

import numpy as np
import pytest
import torch

import fitorch
from fitorch import layers, utils


def reference(data, targets, sequence_length, sequence_stride=1, sampling_rate=1, start_index=None, end_index=None):
    start = start_index or 0
    end = len(data) if end_index is None else end_index
    count = end - start - (sequence_length - 1) * sampling_rate
    if targets is not None:
        count = min(count, len(targets))
    windows, labels = [], []
    for position in range(0, count, sequence_stride):
        first = start + position
        windows.append([data[first + k * sampling_rate] for k in range(sequence_length)])
        if targets is not None:
            labels.append(targets[first])
    return np.array(windows), (np.array(labels) if targets is not None else None)


def collect(dataset, with_targets=True):
    xs, ys = [], []
    for batch in dataset:
        if with_targets:
            x, y = batch
            ys.append(y.numpy())
        else:
            x = batch
        xs.append(x.numpy())
    return np.concatenate(xs), (np.concatenate(ys) if with_targets else None)


@pytest.mark.parametrize(
    "sequence_length, sequence_stride, sampling_rate, start_index, end_index, batch_size",
    [(5, 1, 1, None, None, 4), (3, 2, 3, None, None, 7), (4, 3, 2, 5, 40, 3), (10, 1, 1, 2, None, 128),
     (2, 5, 1, None, 31, 1)],
)  # fmt: skip
def test_windows_and_targets_match_the_definition(
    sequence_length, sequence_stride, sampling_rate, start_index, end_index, batch_size
):
    data = np.arange(50 * 2, dtype="float32").reshape(50, 2)
    targets = np.arange(50) * 10
    kwargs = dict(sequence_length=sequence_length, sequence_stride=sequence_stride, sampling_rate=sampling_rate,
                  start_index=start_index, end_index=end_index)  # fmt: skip
    ds = utils.timeseries_dataset_from_array(data, targets, batch_size=batch_size, **kwargs)
    x, y = collect(ds)
    expected_x, expected_y = reference(data, targets, **kwargs)
    np.testing.assert_array_equal(x, expected_x)
    np.testing.assert_array_equal(y, expected_y)
    sizes = [len(batch[0]) for batch in ds]
    assert all(s == batch_size for s in sizes[:-1]) and 0 < sizes[-1] <= batch_size
    assert x.dtype == np.float32 and y.dtype == np.int64  # the data's own dtypes, as Keras


def test_keras_docstring_examples():
    data = np.arange(100)
    ds = utils.timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10)
    inputs, targets = next(iter(ds))
    assert np.array_equal(inputs[0], data[:10]) and targets[0] == data[10]
    x_series, y_series = np.arange(100), np.arange(100) * 2
    inputs_ds = utils.timeseries_dataset_from_array(x_series, None, sequence_length=20, sequence_stride=20)
    targets_ds = utils.timeseries_dataset_from_array(y_series, None, sequence_length=20, sequence_stride=20)
    inputs, targets = next(iter(zip(inputs_ds, targets_ds, strict=True)))
    assert np.array_equal(inputs[0], x_series[:20]) and np.array_equal(targets[1], y_series[20:40])
    steps = np.arange(10)
    ds = utils.timeseries_dataset_from_array(steps, None, sequence_length=5, sampling_rate=2, batch_size=None)
    assert [w.tolist() for w in ds] == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]


def test_shuffle_is_a_reproducible_permutation_that_changes_each_pass():
    data, targets = np.arange(40, dtype="float32")[:, None], np.arange(40)
    make = lambda: utils.timeseries_dataset_from_array(  # noqa: E731
        data, targets, sequence_length=3, batch_size=8, shuffle=True, seed=11
    )
    ds = make()
    first, second = collect(ds)[1], collect(ds)[1]
    assert sorted(first.tolist()) == list(range(38)) and first.tolist() != list(range(38))
    assert first.tolist() != second.tolist()
    again = make()
    assert collect(again)[1].tolist() == first.tolist()
    x, y = collect(again)
    np.testing.assert_array_equal(x[:, 0, 0], y)  # windows and targets stay paired


def test_fit_accepts_it_directly():
    torch.manual_seed(0)
    series = np.sin(np.arange(300, dtype="float32") / 10)[:, None]
    ds = utils.timeseries_dataset_from_array(series[:-8], series[8:, 0], sequence_length=8, batch_size=32)
    model = fitorch.Sequential([layers.Input(shape=(8, 1)), layers.Flatten(), layers.Dense(1)])
    model.compile("adam", "mse")
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert model.predict(ds, verbose=0).shape == (len(ds.dataset), 1)


@pytest.mark.parametrize(
    "kwargs, message",
    [(dict(start_index=-1), r"start_index must be in \[0, 20\)"), (dict(end_index=20), r"end_index must be in \(0, 20\)"),
     (dict(start_index=5, end_index=5), "end_index must be greater than start_index"),
     (dict(sampling_rate=0), "sampling_rate must be a positive int"),
     (dict(sequence_stride=20), "sequence_stride must be lower than the data's length 20"),
     (dict(sequence_length=0), "sequence_length must be a positive int"),
     (dict(batch_size=0), "batch_size must be a positive int or None")],
)  # fmt: skip
def test_errors(kwargs, message):
    arguments = dict(sequence_length=3) | kwargs
    with pytest.raises(ValueError, match=message):
        utils.timeseries_dataset_from_array(np.arange(20), None, **arguments)


def test_every_small_configuration_matches_the_definition():
    data = np.arange(17)
    for length, stride, rate in itertools.product([1, 2, 4], [1, 3], [1, 2]):
        ds = utils.timeseries_dataset_from_array(data, data, length, stride, rate, batch_size=5)
        x, y = collect(ds)
        expected_x, expected_y = reference(data, data, length, stride, rate)
        np.testing.assert_array_equal(x, expected_x)
        np.testing.assert_array_equal(y, expected_y)
