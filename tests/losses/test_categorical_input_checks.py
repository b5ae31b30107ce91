"""Input checks the (focal) cross-entropy losses share: messages, warnings and argument errors."""

import warnings

import keras
import numpy as np
import pytest
import torch

from fitorch import losses


@pytest.mark.parametrize(
    "name, binary, hint",
    [
        (
            "categorical_crossentropy",
            "binary_crossentropy",
            " For integer class labels use sparse_categorical_crossentropy.",
        ),
        ("categorical_focal_crossentropy", "binary_focal_crossentropy", ""),
    ],
)
def test_categorical_input_errors_and_single_class_warning(name: str, binary: str, hint: str) -> None:
    fn = getattr(losses, name)
    with pytest.raises(ValueError) as info:
        fn(torch.zeros(2, 2), torch.full((2, 3), 1 / 3))
    assert str(info.value) == (
        f"{name} expects one-hot `y_true` of the same shape as `y_pred`; received "
        f"y_true.shape=(2, 2), y_pred.shape=(2, 3).{hint}"
    )
    with pytest.raises(ValueError, match=rf"^{name} expects `y_pred` of rank >= 1; received a scalar\.$"):
        fn(torch.tensor(1.0), torch.tensor(0.5))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        values = fn(torch.ones(2, 1), torch.full((2, 1), 0.5))
    (warning,) = caught
    assert warning.filename == __file__  # points at the caller of the loss function
    assert str(warning.message) == (
        f"In {name}, expected y_pred.shape to be (batch_size, num_classes) with num_classes > 1; "
        f"received y_pred.shape=(2, 1). Consider {binary} for two classes."
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns about the single class too
        expected = getattr(keras.losses, name)(np.ones((2, 1), "f"), np.full((2, 1), 0.5, "f"))
    np.testing.assert_allclose(values.numpy(), keras.ops.convert_to_numpy(expected), rtol=1e-6, atol=1e-7)


def test_function_axis_errors() -> None:
    with pytest.raises(ValueError, match=r"^`axis` must be an int; received axis=True\.$"):
        losses.categorical_crossentropy(torch.ones(1, 2), torch.ones(1, 2), axis=True)
    with pytest.raises(
        ValueError, match=r"^categorical_focal_crossentropy: `axis` must be an int; received axis=1\.0\.$"
    ):
        losses.categorical_focal_crossentropy(torch.ones(1, 2), torch.ones(1, 2), axis=1.0)


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: losses.BinaryFocalCrossentropy(alpha=float("nan")),
            "BinaryFocalCrossentropy: `alpha` must be a number >= 0; received alpha=nan.",
        ),
        (
            lambda: losses.BinaryFocalCrossentropy(gamma=True),
            "BinaryFocalCrossentropy: `gamma` must be a number >= 0; received gamma=True.",
        ),
        (
            lambda: losses.CategoricalFocalCrossentropy(alpha=-1),
            "CategoricalFocalCrossentropy: `alpha` must be a number >= 0; received alpha=-1.",
        ),
        (lambda: losses.Circle(gamma="x", margin="y"), "Circle: `gamma` must be a number; received gamma='x'."),
        (lambda: losses.Circle(gamma=0, margin="y"), "Circle: `margin` must be a number; received margin='y'."),
        (lambda: losses.Circle(gamma=-1.0), "Circle: `gamma` must be > 0; received gamma=-1.0."),
        (lambda: losses.Tversky(alpha=0.5, beta=[1]), "Tversky: `beta` must be a number; received beta=[1]."),
        (lambda: losses.Tversky(alpha=False), "Tversky: `alpha` must be a number; received alpha=False."),
    ],
)
def test_number_arguments_are_checked(make, message: str) -> None:
    with pytest.raises(ValueError) as info:
        make()
    assert str(info.value) == message


@pytest.mark.parametrize(
    "ours, kwargs",
    [
        (losses.BinaryFocalCrossentropy, {"alpha": 1, "gamma": 0}),
        (losses.CategoricalFocalCrossentropy, {"alpha": 1, "gamma": 3}),
        (losses.Circle, {"gamma": 5, "margin": 0}),
        (losses.Tversky, {"alpha": 1, "beta": 0}),
    ],
)
def test_integer_arguments_become_floats_in_config(ours, kwargs: dict) -> None:
    config = ours(**kwargs).get_config()
    for key, value in kwargs.items():
        assert config[key] == value and type(config[key]) is float
