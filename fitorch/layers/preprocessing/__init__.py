"""Preprocessing layers: rescaling and normalization, resizing and cropping, random image
augmentation (``RandomFlip``, ``RandomRotation`` ...), and categorical/text encoding
(``StringLookup``, ``IntegerLookup``, ``Hashing``, ``CategoryEncoding``, ``Discretization``,
``TextVectorization``)."""

from fitorch.layers.preprocessing.aug_mix import AugMix as AugMix
from fitorch.layers.preprocessing.auto_contrast import AutoContrast as AutoContrast
from fitorch.layers.preprocessing.category_encoding import CategoryEncoding as CategoryEncoding
from fitorch.layers.preprocessing.center_crop import CenterCrop as CenterCrop
from fitorch.layers.preprocessing.contrast_limited_adaptive_histogram_equalization import (
    ContrastLimitedAdaptiveHistogramEqualization as ContrastLimitedAdaptiveHistogramEqualization,
)
from fitorch.layers.preprocessing.cut_mix import CutMix as CutMix
from fitorch.layers.preprocessing.discretization import Discretization as Discretization
from fitorch.layers.preprocessing.equalization import Equalization as Equalization
from fitorch.layers.preprocessing.hashed_crossing import HashedCrossing as HashedCrossing
from fitorch.layers.preprocessing.hashing import Hashing as Hashing
from fitorch.layers.preprocessing.integer_lookup import IntegerLookup as IntegerLookup
from fitorch.layers.preprocessing.max_num_bounding_boxes import MaxNumBoundingBoxes as MaxNumBoundingBoxes
from fitorch.layers.preprocessing.mel_spectrogram import MelSpectrogram as MelSpectrogram
from fitorch.layers.preprocessing.mix_up import MixUp as MixUp
from fitorch.layers.preprocessing.normalization import Normalization as Normalization
from fitorch.layers.preprocessing.rand_augment import RandAugment as RandAugment
from fitorch.layers.preprocessing.random_brightness import RandomBrightness as RandomBrightness
from fitorch.layers.preprocessing.random_color_degeneration import RandomColorDegeneration as RandomColorDegeneration
from fitorch.layers.preprocessing.random_color_jitter import RandomColorJitter as RandomColorJitter
from fitorch.layers.preprocessing.random_contrast import RandomContrast as RandomContrast
from fitorch.layers.preprocessing.random_crop import RandomCrop as RandomCrop
from fitorch.layers.preprocessing.random_elastic_transform import RandomElasticTransform as RandomElasticTransform
from fitorch.layers.preprocessing.random_erasing import RandomErasing as RandomErasing
from fitorch.layers.preprocessing.random_flip import RandomFlip as RandomFlip
from fitorch.layers.preprocessing.random_gaussian_blur import RandomGaussianBlur as RandomGaussianBlur
from fitorch.layers.preprocessing.random_grayscale import RandomGrayscale as RandomGrayscale
from fitorch.layers.preprocessing.random_hue import RandomHue as RandomHue
from fitorch.layers.preprocessing.random_invert import RandomInvert as RandomInvert
from fitorch.layers.preprocessing.random_perspective import RandomPerspective as RandomPerspective
from fitorch.layers.preprocessing.random_posterization import RandomPosterization as RandomPosterization
from fitorch.layers.preprocessing.random_rotation import RandomRotation as RandomRotation
from fitorch.layers.preprocessing.random_saturation import RandomSaturation as RandomSaturation
from fitorch.layers.preprocessing.random_sharpness import RandomSharpness as RandomSharpness
from fitorch.layers.preprocessing.random_shear import RandomShear as RandomShear
from fitorch.layers.preprocessing.random_translation import RandomTranslation as RandomTranslation
from fitorch.layers.preprocessing.random_zoom import RandomZoom as RandomZoom
from fitorch.layers.preprocessing.rescaling import Rescaling as Rescaling
from fitorch.layers.preprocessing.resizing import Resizing as Resizing
from fitorch.layers.preprocessing.solarization import Solarization as Solarization
from fitorch.layers.preprocessing.stft_spectrogram import STFTSpectrogram as STFTSpectrogram
from fitorch.layers.preprocessing.string_lookup import StringLookup as StringLookup
from fitorch.layers.preprocessing.text_vectorization import TextVectorization as TextVectorization

__all__ = [
    "AugMix",
    "AutoContrast",
    "CategoryEncoding",
    "CenterCrop",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
    "Discretization",
    "Equalization",
    "HashedCrossing",
    "Hashing",
    "IntegerLookup",
    "MaxNumBoundingBoxes",
    "MelSpectrogram",
    "MixUp",
    "Normalization",
    "RandAugment",
    "RandomBrightness",
    "RandomColorDegeneration",
    "RandomColorJitter",
    "RandomContrast",
    "RandomCrop",
    "RandomElasticTransform",
    "RandomErasing",
    "RandomFlip",
    "RandomGaussianBlur",
    "RandomGrayscale",
    "RandomHue",
    "RandomInvert",
    "RandomPerspective",
    "RandomPosterization",
    "RandomRotation",
    "RandomSaturation",
    "RandomSharpness",
    "RandomShear",
    "RandomTranslation",
    "RandomZoom",
    "Rescaling",
    "Resizing",
    "STFTSpectrogram",
    "Solarization",
    "StringLookup",
    "TextVectorization",
]
