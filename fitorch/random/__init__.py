"""Random numbers the Keras way (``keras.random``): ``normal``, ``uniform``, ``SeedGenerator`` ...

Example:
    >>> import fitorch
    >>> a = fitorch.random.normal((3,), seed=1)
    >>> bool((a == fitorch.random.normal((3,), seed=1)).all())
    True
"""

from fitorch.random.random_ops import beta as beta
from fitorch.random.random_ops import binomial as binomial
from fitorch.random.random_ops import categorical as categorical
from fitorch.random.random_ops import dropout as dropout
from fitorch.random.random_ops import gamma as gamma
from fitorch.random.random_ops import normal as normal
from fitorch.random.random_ops import randint as randint
from fitorch.random.random_ops import shuffle as shuffle
from fitorch.random.random_ops import truncated_normal as truncated_normal
from fitorch.random.random_ops import uniform as uniform
from fitorch.random.seed_generator import SeedGenerator as SeedGenerator

__all__ = [
    "SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
    "truncated_normal", "uniform",
]  # fmt: skip
