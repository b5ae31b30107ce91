"""Preprocessing layers: rescaling and normalization, resizing and cropping, random image
augmentation (``RandomFlip``, ``RandomRotation`` ...), and categorical/text encoding
(``StringLookup``, ``IntegerLookup``, ``Hashing``, ``CategoryEncoding``, ``Discretization``,
``TextVectorization``)."""

from fitorch.layers.preprocessing.category_encoding import CategoryEncoding as CategoryEncoding
from fitorch.layers.preprocessing.center_crop import CenterCrop as CenterCrop
from fitorch.layers.preprocessing.discretization import Discretization as Discretization
from fitorch.layers.preprocessing.hashing import Hashing as Hashing
from fitorch.layers.preprocessing.integer_lookup import IntegerLookup as IntegerLookup
from fitorch.layers.preprocessing.normalization import Normalization as Normalization
from fitorch.layers.preprocessing.random_brightness import RandomBrightness as RandomBrightness
from fitorch.layers.preprocessing.random_contrast import RandomContrast as RandomContrast
from fitorch.layers.preprocessing.random_crop import RandomCrop as RandomCrop
from fitorch.layers.preprocessing.random_flip import RandomFlip as RandomFlip
from fitorch.layers.preprocessing.random_rotation import RandomRotation as RandomRotation
from fitorch.layers.preprocessing.random_translation import RandomTranslation as RandomTranslation
from fitorch.layers.preprocessing.random_zoom import RandomZoom as RandomZoom
from fitorch.layers.preprocessing.rescaling import Rescaling as Rescaling
from fitorch.layers.preprocessing.resizing import Resizing as Resizing
from fitorch.layers.preprocessing.string_lookup import StringLookup as StringLookup
from fitorch.layers.preprocessing.text_vectorization import TextVectorization as TextVectorization

__all__ = [
    "CategoryEncoding",
    "CenterCrop",
    "Discretization",
    "Hashing",
    "IntegerLookup",
    "Normalization",
    "RandomBrightness",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "StringLookup",
    "TextVectorization",
]
