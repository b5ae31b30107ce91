"""``SpectralNormalization``: a wrapper that divides a layer's kernel by its spectral norm."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import torch

from fitorch import config, initializers
from fitorch.layers.layer import Layer


class SpectralNormalization(Layer):
    """Wraps a layer and keeps its kernel's spectral norm (largest singular value) near 1.

    Use it on the layers of a GAN discriminator (or any network whose Lipschitz
    constant should stay bounded) to stabilise training. As in Keras, each call in
    training mode runs ``power_iterations`` steps of the power method on the kernel
    (in Keras layout, flattened to ``(-1, output_dim)``), then *replaces* the kernel
    by ``kernel / sigma`` and stores the new estimate ``vector_u``; inference calls
    use the kernel as it is. An all-zero kernel is left unchanged.

    Args:
        layer: the fitorch layer to wrap; it needs a kernel named ``weight``
            (``Dense``, ``Conv1D``, ``Conv2D``, ``Embedding``, ``EinsumDense``...).
        power_iterations: positive int, power-method steps per training call
            (default ``1``).

    Call arguments:
        inputs: the wrapped layer's inputs.
        training: ``True`` normalises the kernel first; ``None`` (default) follows
            ``self.training``.

    Input shape:
        The wrapped layer's.

    Output shape:
        The wrapped layer's.

    Weights:
        The wrapped layer's, plus the buffer ``vector_u`` of shape
        ``(1, output_dim)``. ``get_weights()`` lists them in Keras' order: kernel,
        ``vector_u``, then the layer's other weights.

    Example:
        >>> import torch
        >>> from fitorch import layers
        >>> from fitorch.layers.normalization import SpectralNormalization
        >>> sn = SpectralNormalization(layers.Dense(8), power_iterations=20)
        >>> y = sn(torch.randn(4, 16), training=True)
        >>> y.shape
        torch.Size([4, 8])
        >>> sigma = torch.linalg.matrix_norm(sn.layer.weight.detach(), ord=2)
        >>> bool(abs(sigma - 1.0) < 0.05)
        True
    """

    def __init__(self, layer: Layer, power_iterations: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise TypeError(
                f"SpectralNormalization {self.name!r}: layer must be a fitorch layer (e.g. layers.Dense(64)); "
                f"received {layer!r} of type {type(layer).__name__}."
            )
        if not isinstance(power_iterations, Integral) or isinstance(power_iterations, bool) or power_iterations <= 0:
            raise ValueError(
                f"SpectralNormalization {self.name!r}: power_iterations must be a positive int; "
                f"received power_iterations={power_iterations!r}."
            )
        self.layer = layer
        self.power_iterations = int(power_iterations)

    def build(self, input_shape: Any) -> None:
        if not self.layer.built:
            if self.layer.pinned_device is None:
                self.layer._build_device = self._pinned_device or self._build_device
            self.layer.build(input_shape)
        kernel = getattr(self.layer, "weight", None)
        if not isinstance(kernel, torch.Tensor) or "weight" not in self.layer._weight_names:
            raise ValueError(
                f"SpectralNormalization {self.name!r}: the wrapped layer {self.layer.name!r} "
                f"({type(self.layer).__name__}) has no kernel named 'weight' to normalise; wrap a layer with a "
                "kernel, such as Dense, Conv2D or Embedding."
            )
        # The permutation from the torch layout to Keras' (e.g. Dense: (out, in) -> (in, out)).
        self._kernel_axes = self.layer._weight_layouts.get("weight")
        keras_shape = (
            tuple(kernel.shape[a] for a in self._kernel_axes) if self._kernel_axes is not None else tuple(kernel.shape)
        )
        self.add_weight(
            "vector_u", (1, keras_shape[-1]), initializers.TruncatedNormal(stddev=0.02), trainable=False
        )

    def call(self, inputs: Any, training: bool | None = None) -> Any:
        training = self.training if training is None else training
        if training:
            self._normalize_kernel()
        outputs = self.layer(inputs)
        if isinstance(inputs, torch.Tensor) and inputs.is_floating_point() and isinstance(outputs, torch.Tensor):
            outputs = outputs.to(inputs.dtype)
        return outputs

    @torch.no_grad()
    def _normalize_kernel(self) -> None:
        """One training step of the power method; updates the kernel and ``vector_u`` in place."""
        kernel = self.layer.weight
        keras_kernel = kernel.permute(self._kernel_axes) if self._kernel_axes is not None else kernel
        matrix = keras_kernel.reshape(-1, keras_kernel.shape[-1])  # (fan_in, output_dim)
        vector_u = self.vector_u  # (1, output_dim)
        vector_v = vector_u
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(vector_u @ matrix.T)  # (1, fan_in)
            vector_u = _l2_normalize(vector_v @ matrix)  # (1, output_dim)
        sigma = ((vector_v @ matrix) @ vector_u.T).reshape(())
        # Keras skips an all-zero kernel; a select (not an `if`) keeps this free of host syncs.
        all_zero = (kernel == 0).all()
        kernel.copy_(torch.where(all_zero, kernel, kernel / sigma))
        self.vector_u.copy_(torch.where(all_zero, self.vector_u, vector_u))

    def _keras_layout_pairs(self) -> list[tuple[torch.Tensor, tuple[int, ...] | None]]:
        # Keras tracks the wrapped kernel as the wrapper's own first weight: kernel, vector_u, rest.
        pairs = super()._keras_layout_pairs()
        kernel = getattr(self.layer, "weight", None)
        position = next((i for i, (tensor, _) in enumerate(pairs) if tensor is kernel), None)
        if position is None or "vector_u" not in self._weight_names:
            return pairs
        kernel_pair = pairs.pop(position)
        return [kernel_pair, *pairs]

    def compute_output_shape(self, input_shape: Any) -> Any:
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "layer": {"class_name": type(self.layer).__name__, "config": self.layer.get_config()},
            "power_iterations": self.power_iterations,
        }

    @classmethod
    def from_config(cls, config_dict: dict[str, Any], custom_objects: dict[str, type] | None = None) -> Layer:
        """Rebuilds the wrapper; the wrapped layer's class must be a public fitorch layer or in ``custom_objects``."""
        config_dict = dict(config_dict)
        layer = _deserialize_layer(config_dict.pop("layer"), custom_objects or {})
        return cls(layer, **config_dict)


def _l2_normalize(x: torch.Tensor) -> torch.Tensor:
    """Keras' ``ops.normalize(x, axis=None)``: ``x * min(rsqrt(sum(x ** 2)), 1 / epsilon)``."""
    return x * torch.rsqrt(x.square().sum()).clamp(max=1.0 / config.epsilon())


def _deserialize_layer(spec: Any, custom_objects: dict[str, type]) -> Layer:
    """Resolves ``{"class_name", "config"}`` through the public layer namespaces only (no imports by name)."""
    from fitorch import layers
    from fitorch.layers import attention, core, normalization

    if not isinstance(spec, dict) or set(spec) != {"class_name", "config"}:
        raise ValueError(
            "SpectralNormalization.from_config: 'layer' must be {'class_name': ..., 'config': ...}; "
            f"received {spec!r}."
        )
    name = spec["class_name"]
    found = custom_objects.get(name)
    for namespace in (layers, core, normalization, attention):
        if found is None and name in getattr(namespace, "__all__", ()):
            found = getattr(namespace, name)
    if not (isinstance(found, type) and issubclass(found, Layer)):
        raise ValueError(
            f"SpectralNormalization.from_config: unknown layer class {name!r}; pass it in "
            "custom_objects={name: cls} if it is your own layer."
        )
    return found.from_config(spec["config"])
