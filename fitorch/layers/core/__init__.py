"""Core layers: ``Dense``, ``EinsumDense``, ``Embedding``, ``Identity``, ``Input``/``InputLayer``, ``Lambda``,
``Masking``, ``ReversibleEmbedding`` and ``TorchModule`` (alias ``TorchModuleWrapper``)."""

from fitorch.layers.core.dense import Dense as Dense
from fitorch.layers.core.einsum_dense import EinsumDense as EinsumDense
from fitorch.layers.core.embedding import Embedding as Embedding
from fitorch.layers.core.identity import Identity as Identity
from fitorch.layers.core.input_layer import Input as Input
from fitorch.layers.core.input_layer import InputLayer as InputLayer
from fitorch.layers.core.lambda_layer import Lambda as Lambda
from fitorch.layers.core.layer_scale import LayerScale as LayerScale  # keras.applications' ConvNeXt; not in __all__
from fitorch.layers.core.masking import Masking as Masking
from fitorch.layers.core.reversible_embedding import ReversibleEmbedding as ReversibleEmbedding
from fitorch.layers.core.torch_module import TorchModule as TorchModule
from fitorch.layers.core.torch_module import TorchModuleWrapper as TorchModuleWrapper

__all__ = [
    "Dense", "EinsumDense", "Embedding", "Identity", "Input", "InputLayer", "Lambda", "Masking", "ReversibleEmbedding",
    "TorchModule", "TorchModuleWrapper",
]  # fmt: skip
