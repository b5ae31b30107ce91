"""What the op table (tests/ops/cases.py) cannot check for the image filters and warps.

``elastic_transform`` is random: Keras' torch backend draws its fields from torch's global
random state on the CPU (it ignores ``seed`` there), so under the same ``torch.manual_seed``
Keras is an exact oracle for fitorch's ``seed=None`` path. Where Keras' torch backend is
wrong (non-square blur kernels, ``data_format=None`` in ``gaussian_blur``), the oracle is
an independent NumPy computation.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import fitorch
from fitorch import config, layers, ops
from tests.ops.oracle import keras_op


def images(*shape: int, seed: int = 0) -> torch.Tensor:
    return torch.from_numpy(np.random.default_rng(seed).random(shape).astype("float32"))


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"alpha": 5.0, "sigma": 1.5, "interpolation": "nearest", "fill_mode": "constant", "fill_value": 0.3},
     {"alpha": 8.0, "sigma": 2.0, "fill_mode": "wrap", "data_format": "channels_first"},
     {"alpha": 3.0, "sigma": 1.0, "fill_mode": "mirror"}],
)  # fmt: skip
def test_elastic_transform_matches_keras_under_the_same_global_seed(kwargs):
    x = images(2, 10, 12, 3)
    x = x.permute(0, 3, 1, 2).contiguous() if kwargs.get("data_format") == "channels_first" else x
    torch.manual_seed(3)
    expected = keras_op("image.elastic_transform")(x, **kwargs)
    torch.manual_seed(3)
    actual = ops.image.elastic_transform(x, **kwargs)
    torch.testing.assert_close(actual, expected, atol=1e-5, rtol=1e-5)
    torch.manual_seed(4)
    single = images(9, 8, 2)
    expected = keras_op("image.elastic_transform")(single, alpha=4.0, sigma=1.2)
    torch.manual_seed(4)
    torch.testing.assert_close(ops.image.elastic_transform(single, alpha=4.0, sigma=1.2), expected, atol=1e-5, rtol=0)


def test_elastic_transform_seeds_and_statistics():
    x = images(4, 16, 16, 1)
    first = ops.image.elastic_transform(x, alpha=6.0, sigma=2.0, seed=1)
    assert torch.equal(first, ops.image.elastic_transform(x, alpha=6.0, sigma=2.0, seed=1))
    assert not torch.equal(first, ops.image.elastic_transform(x, alpha=6.0, sigma=2.0, seed=2))
    generator = torch.Generator().manual_seed(1)
    assert torch.equal(ops.image.elastic_transform(x, alpha=6.0, sigma=2.0, seed=generator), first)
    assert not torch.equal(ops.image.elastic_transform(x, alpha=6.0, sigma=2.0, seed=generator), first)
    assert torch.equal(ops.image.elastic_transform(x, alpha=0.0, seed=1), x)
    flat = torch.full((2, 12, 12, 3), 0.25)  # any displacement of a constant image (not 'constant' fill) is constant
    torch.testing.assert_close(ops.image.elastic_transform(flat, seed=0), flat)
    # A ramp along x shows the x displacement. Blurring N(0, sigma^2) noise by a normalized Gaussian of std sigma
    # leaves a std of sigma * 1 / (2 sqrt(pi) sigma), so the displacement's std is about alpha / (2 sqrt(pi)).
    ramp = torch.arange(64.0).repeat(8, 64, 1).unsqueeze(-1)  # (8, 64, 64, 1), value = x
    shifts = [(ops.image.elastic_transform(ramp, alpha=a, sigma=4.0, fill_mode="nearest", seed=0) - ramp)[:, 8:-8, 8:-8]
              for a in (2.0, 8.0)]  # fmt: skip
    assert abs(float(shifts[0].mean())) < 0.1
    ratio = float(shifts[1].std() / shifts[0].std())
    assert 3.5 < ratio < 4.5
    assert 0.45 < float(shifts[0].std()) < 0.7  # 2 / (2 sqrt(pi)) = 0.56


def test_gaussian_blur_default_format_and_non_square_kernels():
    x = images(2, 7, 9, 3)
    assert config.image_data_format() == "channels_last"
    torch.testing.assert_close(ops.image.gaussian_blur(x), ops.image.gaussian_blur(x, data_format="channels_last"))
    impulse = torch.zeros(1, 7, 9, 1)
    impulse[0, 3, 4, 0] = 1.0
    out = ops.image.gaussian_blur(impulse, kernel_size=(5, 3), sigma=(1.5, 0.7))  # (width, height), as Keras' code

    def gauss(size, sigma):
        k = np.exp(-0.5 * ((np.arange(size) - (size - 1) / 2) / sigma) ** 2)
        return k / k.sum()

    expected = np.zeros((7, 9))
    expected[2:5, 2:7] = np.outer(gauss(3, 0.7), gauss(5, 1.5))
    np.testing.assert_allclose(out[0, :, :, 0].numpy(), expected, atol=1e-6)


def test_sobel_edges_of_a_ramp_and_ssim_properties():
    ramp = torch.arange(6.0).repeat(1, 5, 1).unsqueeze(-1)  # (1, 5, 6, 1): value = 1 * x
    edges = ops.image.sobel_edges(ramp)
    assert edges.shape == (1, 5, 6, 1, 2)
    assert torch.all(edges[0, 1:-1, 1:-1, 0, 1] == 8) and torch.all(edges[0, 1:-1, 1:-1, 0, 0] == 0)
    x = images(2, 16, 16, 3)
    torch.testing.assert_close(ops.image.ssim(x, x), torch.ones(2))
    noisy = (x + 0.2 * images(2, 16, 16, 3, seed=1)).clamp(0, 1)
    assert torch.all(ops.image.ssim(x, noisy) < 0.99) and torch.all(ops.image.ssim(x, noisy) > 0)
    torch.testing.assert_close(ops.image.ssim(x, noisy), ops.image.ssim(noisy, x))
    expected = keras_op("image.ssim")(x * 255, noisy * 255, max_val=255.0)
    torch.testing.assert_close(ops.image.ssim(x * 255, noisy * 255, max_val=255.0), expected, atol=1e-5, rtol=1e-5)


def test_perspective_identity_and_integer_scale_and_translate():
    x = images(2, 6, 7, 3)
    corners = torch.tensor([[0.0, 0.0], [6.0, 0.0], [0.0, 5.0], [6.0, 5.0]])
    torch.testing.assert_close(ops.image.perspective_transform(x, corners, corners), x, atol=1e-5, rtol=0)
    moved = corners + torch.tensor([1.0, 0.0])  # everything one pixel right; column 0 is outside: fill_value
    out = ops.image.perspective_transform(x, corners, moved, fill_value=-1.0)
    torch.testing.assert_close(out[:, :, 1:], x[:, :, :-1], atol=1e-5, rtol=0)
    assert torch.all(out[:, :, 0] == -1.0)
    as_bytes = (x * 255).to(torch.uint8)
    args = ((2, 9, 4, 3), torch.tensor([1.5, 0.6]), torch.tensor([0.2, -0.3]), (1, 2), "cubic")
    expected = keras_op("image.scale_and_translate")(as_bytes, *args)
    actual = ops.image.scale_and_translate(as_bytes, *args)
    assert actual.dtype == torch.uint8 and torch.equal(actual, expected)


@pytest.mark.parametrize(
    "call, message",
    [(lambda: ops.image.gaussian_blur(torch.ones(1, 4, 4, 1), kernel_size=(4, 3)),
      r"ops.image.gaussian_blur: kernel_size must be a pair of positive odd ints; received kernel_size=\(4, 3\)"),
     (lambda: ops.image.gaussian_blur(torch.ones(4, 4)), "ops.image.gaussian_blur: images must be of rank 3 or 4"),
     (lambda: ops.image.gaussian_blur(torch.ones(4, 4, 1), sigma=(1.0,)), "sigma must hold two standard deviations"),
     (lambda: ops.image.sobel_edges(torch.ones(4, 4, 1)), "ops.image.sobel_edges: images must be of rank 4"),
     (lambda: ops.image.ssim(torch.ones(12, 12, 1), torch.ones(12, 11, 1)),
      r"ops.image.ssim: image1 and image2 must have the same shape; received \(12, 12, 1\) and \(12, 11, 1\)"),
     (lambda: ops.image.ssim(torch.ones(8, 8, 1), torch.ones(8, 8, 1)),
      "ops.image.ssim: images must be at least filter_size=11 pixels"),
     (lambda: ops.image.ssim(torch.ones(12, 12, 1), torch.ones(12, 12, 1), filter_size=4),
      "ops.image.ssim: filter_size must be a pair of positive odd ints"),
     (lambda: ops.image.perspective_transform(torch.ones(4, 4, 1), torch.ones(3, 2), torch.ones(3, 2)),
      r"ops.image.perspective_transform: start_points must have shape \(4, 2\) or \(batch, 4, 2\); received \(3, 2\)"),
     (lambda: ops.image.perspective_transform(torch.ones(4, 4, 1), torch.ones(4, 2), torch.ones(1, 4, 2)),
      "start_points and end_points must have the same shape"),
     (lambda: ops.image.perspective_transform(torch.ones(3, 4, 4, 1), torch.ones(2, 4, 2), torch.ones(2, 4, 2)),
      "got 2 sets of points for 3 images"),
     (lambda: ops.image.perspective_transform(torch.ones(4, 4, 1), torch.ones(4, 2), torch.ones(4, 2),
                                              interpolation="bicubic"),
      r"ops.image.perspective_transform: interpolation must be one of \['bilinear', 'nearest'\]; received"),
     (lambda: ops.image.elastic_transform(torch.ones(4, 4, 1), fill_mode="edge"),
      "ops.image.elastic_transform: fill_mode must be one of"),
     (lambda: ops.image.elastic_transform(torch.ones(4, 4, 1), sigma=0.0), "sigma must be > 0; received sigma=0.0"),
     (lambda: ops.image.scale_and_translate(torch.ones(4, 4), (2, 2), [1.0, 1.0], [0.0, 0.0], (0, 1), "area"),
      "ops.image.scale_and_translate: method must be one of"),
     (lambda: ops.image.scale_and_translate(torch.ones(4, 4), (2, 2), [1.0], [0.0, 0.0], (0, 1), "linear"),
      "scale and translation need one value per axis of spatial_dims=\\(0, 1\\); received 1 and 2"),
     (lambda: ops.image.scale_and_translate(torch.ones(4, 4), (2,), [1.0], [0.0], (0,), "linear"),
      r"output_shape needs one size per axis of images \(2\)")],
)  # fmt: skip
def test_errors_name_the_op_and_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_elastic_seed_type_error():
    with pytest.raises(TypeError, match="ops.image.elastic_transform: seed must be an int, a torch.Generator or None"):
        ops.image.elastic_transform(torch.ones(4, 4, 1), seed="1")


def test_elastic_transform_in_a_functional_model_equals_eager():
    x = images(2, 10, 10, 3)
    inputs = layers.Input(shape=(10, 10, 3))
    model = fitorch.Model(inputs, ops.image.elastic_transform(inputs, alpha=3.0, sigma=1.0, seed=5))
    assert tuple(model.output.shape) == (None, 10, 10, 3)
    torch.testing.assert_close(model(x), ops.image.elastic_transform(x, alpha=3.0, sigma=1.0, seed=5))
