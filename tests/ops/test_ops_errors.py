"""Bad arguments raise ValueError/TypeError naming the op and the argument."""

from __future__ import annotations

import pytest
import torch

from fitorch import layers, ops

BAD = [
    (lambda: ops.get_op("multiplyy"), ValueError, r"get_op: unknown op name 'multiplyy'.*Did you mean 'multiply'"),
    (lambda: ops.get_op(3), ValueError, "get_op: unknown op name 3"),
    (lambda: ops.reshape(torch.ones(2), "x"), TypeError, "ops.reshape: shape must be"),
    (lambda: ops.transpose(torch.ones(2, 3), (0,)), ValueError, r"ops.transpose: axes must list all 2 axes"),
    (lambda: ops.squeeze(torch.ones(2, 3), axis=0), ValueError, "ops.squeeze: cannot squeeze axis=0 of size 2"),
    (lambda: ops.concatenate(torch.ones(2)), TypeError, "ops.concatenate: xs must be a list or tuple"),
    (lambda: ops.split(torch.ones(5), 2), ValueError, "ops.split: axis 0 of size 5 cannot be split into 2"),
    (lambda: ops.pad(torch.ones(2), 1, mode="bad"), ValueError, "ops.pad: unsupported mode='bad'"),
    (lambda: ops.max(torch.ones(0)), ValueError, r"ops.max: cannot reduce an empty tensor .* initial="),
    (lambda: ops.one_hot(torch.tensor([1]), 0), ValueError, "ops.one_hot: num_classes must be a positive int"),
    (lambda: ops.conv(torch.ones(2, 3), torch.ones(1, 3, 2)), ValueError, "ops.conv: inputs must be 3D, 4D or 5D"),
    (lambda: ops.conv(torch.ones(1, 5, 3), torch.ones(2, 2, 3, 4)), ValueError, "ops.conv: kernel must be 3D"),
    (lambda: ops.conv(torch.ones(1, 5, 3), torch.ones(2, 3, 4), padding="full"), ValueError,
     "ops.conv: padding must be 'valid' or 'same'"),
    (lambda: ops.max_pool(torch.ones(1, 4, 4, 1), 0), ValueError, "ops.max_pool: pool_size must be a positive int"),
    (lambda: ops.categorical_crossentropy(torch.ones(2, 3), torch.ones(2, 4)), ValueError,
     r"ops.categorical_crossentropy: target and output must have the same shape"),
    (lambda: ops.sparse_categorical_crossentropy(torch.ones(3), torch.ones(2, 4)), ValueError,
     "ops.sparse_categorical_crossentropy: target must have output's shape"),
    (lambda: ops.normalize(torch.ones(2), order=0), ValueError, "ops.normalize: order must be an int >= 1"),
    (lambda: ops.moments(torch.ones(2), [0], synchronized=True), ValueError, "ops.moments: synchronized=True"),
    (lambda: ops.image.resize(torch.ones(1, 4, 4, 1), (2, 2), interpolation="lanczos3"), ValueError,
     "ops.image.resize: interpolation must be one of"),
    (lambda: ops.image.resize(torch.ones(4, 4), (2, 2)), ValueError, "ops.image.resize: images must be of rank 3 or 4"),
    (lambda: ops.image.pad_images(torch.ones(4, 4, 1), top_padding=1), ValueError,
     "ops.image.pad_images: give exactly two of top_padding"),
    (lambda: ops.image.crop_images(torch.ones(4, 4, 1), top_cropping=3, bottom_cropping=2, left_cropping=0,
                                   right_cropping=0), ValueError, "ops.image.crop_images: target_height"),
    (lambda: ops.image.affine_transform(torch.ones(1, 4, 4, 1), torch.ones(6)), ValueError,
     r"ops.image.affine_transform: transform must have shape \(8,\)"),
    (lambda: ops.slice(torch.ones(2, 3), (0,), (1,)), ValueError, "ops.slice: start_indices and shape need one entry"),
    (lambda: ops.scatter_update(torch.ones(2), torch.tensor([[0]]), torch.ones(1), reduction="avg"), ValueError,
     "ops.scatter_update: reduction must be"),
    (lambda: ops.where(torch.tensor([True]), 1.0), ValueError, "ops.where: give both x1 and x2"),
    (lambda: ops.searchsorted(torch.ones(2), torch.ones(1), side="middle"), ValueError,
     "ops.searchsorted: side must be 'left' or 'right'"),
    (lambda: ops.cast(torch.ones(2), "float33"), ValueError, "Expected a dtype such as 'float32'; received 'float33'"),
    (lambda: ops.nanquantile(torch.ones(3), 0.5, method="cubic"), ValueError, "ops.nanquantile: method must be one of"),
    (lambda: ops.unique(torch.ones(3), size=-1), ValueError, "ops.unique: size must be a non-negative int"),
    (lambda: ops.unique(torch.ones(3), axis=1), ValueError, "ops.unique: axis=1 is out of range"),
    (lambda: ops.argpartition(torch.ones(3), 3), ValueError, r"ops.argpartition: kth must be ints in \[-3, 3\)"),
    (lambda: ops.histogram(torch.ones(3), bins=0), ValueError, "ops.histogram: bins must be a positive int"),
    (lambda: ops.histogram(torch.ones(3), range=(1.0, 0.0)), ValueError, "ops.histogram: range must be"),
    (lambda: ops.histogram(torch.ones(2, 3)), ValueError, r"ops.histogram: x must be 1D; received shape \(2, 3\)"),
    (lambda: ops.corrcoef(torch.ones(2, 3, 4)), ValueError, "ops.corrcoef: x must be 1D or 2D"),
    (lambda: ops.correlate(torch.ones(3), torch.ones(2), mode="circular"), ValueError,
     "ops.correlate: mode must be 'valid', 'same' or 'full'"),
    (lambda: ops.correlate(torch.ones(2, 3), torch.ones(2)), ValueError, "ops.correlate: x1 and x2 must be 1D"),
    (lambda: ops.cdist(torch.ones(2, 3), torch.ones(2, 4)), ValueError, "ops.cdist: x and y must have rank >= 2"),
    (lambda: ops.hanning(-1), ValueError, r"ops.hanning: x \(the number of points\) must be a non-negative int"),
    (lambda: ops.kaiser(2.5, 1.0), ValueError, "ops.kaiser: x"),
    (lambda: ops.unfold(torch.ones(2, 4, 4), 2), ValueError, r"ops.unfold: x must be 4D \(N, C, H, W\)"),
    (lambda: ops.fold(torch.ones(2, 4), 3, 2), ValueError, "ops.fold: x must be 3D"),
    (lambda: ops.ctc_loss(torch.ones(2, 3), torch.ones(2, 5), torch.ones(2), torch.ones(2)), ValueError,
     r"ops.ctc_loss: expected target \(batch, max_label_length\)"),
    (lambda: ops.stft(torch.ones(8, dtype=torch.int32), 4, 2, 4), TypeError, "ops.stft: x must be float32 or float64"),
    (lambda: ops.stft(torch.ones(8), 4, 0, 4), ValueError, "ops.stft: sequence_stride must be a positive int"),
    (lambda: ops.stft(torch.ones(8), 4, 2, 2), ValueError, r"ops.stft: fft_length \(2\) must be at least"),
    (lambda: ops.stft(torch.ones(8), 4, 2, 4, window="kaiser"), ValueError, "ops.stft: window must be 'hann'"),
    (lambda: ops.stft(torch.ones(8), 4, 2, 4, window=torch.ones(3)), ValueError,
     r"ops.stft: window must have shape \(4,\)"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "message"), BAD, ids=lambda v: None)
def test_bad_arguments(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_eager_only_ops_refuse_symbolic_tensors() -> None:
    x = layers.Input(shape=(3,))
    with pytest.raises(TypeError, match="ops.cond received a SymbolicTensor"):
        ops.cond(x, lambda: x, lambda: x)
    with pytest.raises(TypeError, match="ops.convert_to_numpy: .* holds no values"):
        ops.convert_to_numpy(x)


def test_shape_of_a_symbolic_tensor_is_its_shape() -> None:
    x = layers.Input(shape=(3,))
    assert ops.shape(x) == (None, 3) and ops.dtype(x) == "float32" and ops.is_tensor(x)


def test_unstorable_argument_names_the_op() -> None:
    x = layers.Input(shape=(3,))
    with pytest.raises(TypeError, match=r"ops.add received an argument of type object"):
        ops.add(x, object())
    with pytest.raises(TypeError, match="ops.add: a constant array of shape"):
        ops.add(x, torch.ones(5000, 3))


def test_an_op_failing_on_symbolic_shapes_names_the_layer_and_shapes() -> None:
    x = layers.Input(shape=(3,))
    with pytest.raises(ValueError, match=r"Layer 'matmul.*' \(OpLayer\) cannot be called on inputs with shapes"):
        ops.matmul(x, torch.ones(4, 2))


def test_unique_refuses_symbolic_tensors_for_its_data_dependent_shape() -> None:
    x = layers.Input(shape=(3,), dtype="int32")
    with pytest.raises(TypeError, match="ops.unique received a SymbolicTensor. The shape of its output depends"):
        ops.unique(x)
