"""Losses: Keras' losses, by class, function and string name, computed with torch ops.

Example:
    >>> import torch
    >>> import fitorch
    >>> loss = fitorch.losses.get("sparse_categorical_crossentropy")
    >>> round(float(loss(torch.tensor([0]), torch.tensor([[0.9, 0.1]]))), 4)
    0.1054
"""

from fitorch.losses.binary_crossentropy import BinaryCrossentropy as BinaryCrossentropy
from fitorch.losses.binary_crossentropy import binary_crossentropy as binary_crossentropy
from fitorch.losses.binary_focal_crossentropy import BinaryFocalCrossentropy as BinaryFocalCrossentropy
from fitorch.losses.binary_focal_crossentropy import binary_focal_crossentropy as binary_focal_crossentropy
from fitorch.losses.categorical_crossentropy import CategoricalCrossentropy as CategoricalCrossentropy
from fitorch.losses.categorical_crossentropy import categorical_crossentropy as categorical_crossentropy
from fitorch.losses.categorical_focal_crossentropy import (
    CategoricalFocalCrossentropy as CategoricalFocalCrossentropy,
)
from fitorch.losses.categorical_focal_crossentropy import (
    categorical_focal_crossentropy as categorical_focal_crossentropy,
)
from fitorch.losses.categorical_generalized_cross_entropy import (
    CategoricalGeneralizedCrossEntropy as CategoricalGeneralizedCrossEntropy,
)
from fitorch.losses.categorical_generalized_cross_entropy import (
    categorical_generalized_cross_entropy as categorical_generalized_cross_entropy,
)
from fitorch.losses.circle import Circle as Circle
from fitorch.losses.circle import circle as circle
from fitorch.losses.cosine_similarity import CosineSimilarity as CosineSimilarity
from fitorch.losses.cosine_similarity import cosine_similarity as cosine_similarity
from fitorch.losses.ctc import CTC as CTC
from fitorch.losses.ctc import ctc as ctc
from fitorch.losses.dice import Dice as Dice
from fitorch.losses.dice import dice as dice
from fitorch.losses.hinge import CategoricalHinge as CategoricalHinge
from fitorch.losses.hinge import Hinge as Hinge
from fitorch.losses.hinge import SquaredHinge as SquaredHinge
from fitorch.losses.hinge import categorical_hinge as categorical_hinge
from fitorch.losses.hinge import hinge as hinge
from fitorch.losses.hinge import squared_hinge as squared_hinge
from fitorch.losses.huber import Huber as Huber
from fitorch.losses.huber import huber as huber
from fitorch.losses.kl_divergence import KLDivergence as KLDivergence
from fitorch.losses.kl_divergence import kl_divergence as kl_divergence
from fitorch.losses.log_cosh import LogCosh as LogCosh
from fitorch.losses.log_cosh import log_cosh as log_cosh
from fitorch.losses.loss import Loss as Loss
from fitorch.losses.loss import reduce_weighted_values as reduce_weighted_values
from fitorch.losses.loss_function_wrapper import LossFunctionWrapper as LossFunctionWrapper
from fitorch.losses.mean_absolute_error import MeanAbsoluteError as MeanAbsoluteError
from fitorch.losses.mean_absolute_error import mean_absolute_error as mean_absolute_error
from fitorch.losses.mean_absolute_percentage_error import (
    MeanAbsolutePercentageError as MeanAbsolutePercentageError,
)
from fitorch.losses.mean_absolute_percentage_error import (
    mean_absolute_percentage_error as mean_absolute_percentage_error,
)
from fitorch.losses.mean_squared_error import MeanSquaredError as MeanSquaredError
from fitorch.losses.mean_squared_error import mean_squared_error as mean_squared_error
from fitorch.losses.mean_squared_logarithmic_error import (
    MeanSquaredLogarithmicError as MeanSquaredLogarithmicError,
)
from fitorch.losses.mean_squared_logarithmic_error import (
    mean_squared_logarithmic_error as mean_squared_logarithmic_error,
)
from fitorch.losses.poisson import Poisson as Poisson
from fitorch.losses.poisson import poisson as poisson
from fitorch.losses.registry import deserialize as deserialize
from fitorch.losses.registry import get as get
from fitorch.losses.registry import serialize as serialize
from fitorch.losses.sparse_categorical_crossentropy import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from fitorch.losses.sparse_categorical_crossentropy import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from fitorch.losses.tversky import Tversky as Tversky
from fitorch.losses.tversky import tversky as tversky

# Keras' short aliases for the function forms.
mse = mean_squared_error
mae = mean_absolute_error
mape = mean_absolute_percentage_error
msle = mean_squared_logarithmic_error
kld = kl_divergence

__all__ = [
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CTC",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "CategoricalGeneralizedCrossEntropy",
    "CategoricalHinge",
    "Circle",
    "CosineSimilarity",
    "Dice",
    "Hinge",
    "Huber",
    "KLDivergence",
    "LogCosh",
    "Loss",
    "LossFunctionWrapper",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredError",
    "MeanSquaredLogarithmicError",
    "Poisson",
    "SparseCategoricalCrossentropy",
    "SquaredHinge",
    "Tversky",
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "cosine_similarity",
    "ctc",
    "deserialize",
    "dice",
    "get",
    "hinge",
    "huber",
    "kl_divergence",
    "kld",
    "log_cosh",
    "mae",
    "mape",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "poisson",
    "reduce_weighted_values",
    "serialize",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "tversky",
]
