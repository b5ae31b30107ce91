"""The options BinaryCrossentropy and CategoricalCrossentropy share: configs and errors, against Keras 3."""

import keras
import numpy as np
import pytest
import torch

from fitorch import losses


@pytest.mark.parametrize("name", ["BinaryCrossentropy", "CategoricalCrossentropy"])
@pytest.mark.parametrize("kwargs", [{}, {"from_logits": 1, "label_smoothing": 0.25, "axis": 1, "reduction": "sum"}])
def test_config_and_values_match_keras(name, kwargs) -> None:
    ours, theirs = getattr(losses, name)(**kwargs), getattr(keras.losses, name)(**kwargs)
    config = ours.get_config()
    keras_config = theirs.get_config()
    assert config == {key: keras_config[key] for key in config}
    assert type(config["from_logits"]) is bool and type(config["label_smoothing"]) is float
    rng = np.random.default_rng(3)
    y_true = rng.integers(0, 2, (4, 3)).astype("float32")
    y_pred = rng.random((4, 3)).astype("float32") * 0.9 + 0.05
    np.testing.assert_allclose(
        float(ours(torch.as_tensor(y_true), torch.as_tensor(y_pred))),
        float(keras.ops.convert_to_numpy(theirs(y_true, y_pred))),
        rtol=1e-5,
    )


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: losses.CategoricalCrossentropy(axis=True), "`axis` must be an int; received axis=True"),
        (lambda: losses.CategoricalCrossentropy(axis="1"), "`axis` must be an int"),
        (lambda: losses.CategoricalCrossentropy(label_smoothing=2.0, axis="1"), "`label_smoothing` must be in"),
        (lambda: losses.BinaryCrossentropy(label_smoothing=2.0, reduction="bad"), "argument `reduction`"),
    ],
)
def test_bad_options_are_explained_in_order(make, match) -> None:
    with pytest.raises(ValueError, match=match):
        make()
