"""``BaseSpatialDropout``: the shared parent of ``SpatialDropout1D``/``2D``/``3D``."""

from __future__ import annotations

from typing import Any

import torch

from fitorch import config
from fitorch.layers.input_spec import InputSpec
from fitorch.layers.regularization.base_noise import BaseNoise, noise_docs

_INPUT_SHAPES = {
    1: "``(batch, timesteps, channels)``.",
    2: "``(batch, rows, cols, channels)`` (channels_last) or ``(batch, channels, rows, cols)``\n    (channels_first).",
    3: "``(batch, dim1, dim2, dim3, channels)`` (channels_last) or\n"
    "    ``(batch, channels, dim1, dim2, dim3)`` (channels_first).",
}
_NEIGHBOURS = {1: "time steps", 2: "pixels", 3: "voxels"}

_USE = """\
Use it after ``Conv{rank}D`` layers: neighbouring {neighbours} are strongly
correlated, so ordinary ``Dropout`` barely regularises them, while dropping a
whole feature map does. Kept channels are scaled by ``1 / (1 - rate)``; at
inference the layer is the identity."""

_DATA_FORMAT = """
    data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` (default)
        takes ``fitorch.config.image_data_format()``."""


def spatial_dropout_docs(rank: int) -> dict[str, str]:
    """The ``use`` paragraph and the ``sections`` (``Args`` to ``Output shape``) of ``SpatialDropout{rank}D``.

    Example:
        >>> spatial_dropout_docs(3)["sections"].splitlines()[-4]
        '    ``(batch, channels, dim1, dim2, dim3)`` (channels_first).'
    """
    args = (
        "Args:\n    rate: float in ``[0, 1)``, the fraction of channels to drop."
        f"{_DATA_FORMAT if rank > 1 else ''}\n"
        "    seed: optional int; when given, masks repeat exactly from run to run."
    )
    calls = noise_docs("drop channels", f"a {rank + 2}D tensor", _INPUT_SHAPES[rank])["sections"]
    return {"use": _USE.format(rank=rank, neighbours=_NEIGHBOURS[rank]), "sections": f"{args}\n\n{calls}"}


class BaseSpatialDropout(BaseNoise):
    """Drops whole feature maps (channels) with probability ``rate`` while training.

    A dropped channel is zero at every position of a sample; kept channels are
    scaled by ``1 / (1 - rate)``, as in ``Dropout``. Subclasses set ``rank``, the
    number of spatial axes.

    Args:
        rate: float in ``[0, 1)``, the fraction of channels to drop.
        data_format: ``'channels_last'`` or ``'channels_first'``; ``None`` (default)
            takes ``fitorch.config.image_data_format()``.
        seed: optional int for repeatable masks.
    """

    rank = 1
    #: Whether the layer has a ``data_format`` argument (Keras' ``SpatialDropout1D`` has none).
    takes_data_format: bool = True

    def __init__(self, rate: float, data_format: str | None = None, seed: int | None = None, **kwargs: Any) -> None:
        if not self.takes_data_format and data_format is not None:
            kwargs["data_format"] = data_format  # not an argument of this layer: Layer rejects it by name
        super().__init__(seed=seed, **kwargs)
        self.rate = self._check_rate(rate, "the fraction of channels to drop")
        self.data_format = config.standardize_data_format(data_format) if self.takes_data_format else "channels_last"
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _noise_shape(self, shape: torch.Size) -> tuple[int, ...]:
        """``(batch, 1, ..., 1, channels)`` (or channels first): one draw per sample and channel."""
        ones = (1,) * self.rank
        if self.data_format == "channels_first":
            return (shape[0], shape[1], *ones)
        return (shape[0], *ones, shape[-1])

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if not self._is_training(training) or self.rate == 0.0:
            return inputs
        if inputs.ndim != self.rank + 2:
            raise ValueError(
                f"Input 0 of layer {self.name!r} ({type(self).__name__}) is incompatible: expected "
                f"ndim={self.rank + 2}, received shape {tuple(inputs.shape)}."
            )
        keep = 1.0 - self.rate
        mask = self._keep_mask(inputs, self._noise_shape(inputs.shape), keep)
        return inputs * mask.div_(keep)  # broadcasts over the spatial axes

    def get_config(self) -> dict[str, Any]:
        config_dict = {**super().get_config(), "rate": self.rate, "seed": self.seed}
        if self.takes_data_format:
            config_dict["data_format"] = self.data_format
        return config_dict
