"""Keras layers as ``nn.Module``s: ``fitorch.layers.Dense``, ``fitorch.layers.Conv2D`` ...

Each family lives in its own folder (one layer per file); this module re-exports them all,
plus Keras' alternative names (``MaxPool2D``, ``Convolution2D`` ...) for the same classes.
"""

from fitorch.layers.activations import ELU as ELU
from fitorch.layers.activations import Activation as Activation
from fitorch.layers.activations import LeakyReLU as LeakyReLU
from fitorch.layers.activations import PReLU as PReLU
from fitorch.layers.activations import ReLU as ReLU
from fitorch.layers.activations import Softmax as Softmax
from fitorch.layers.attention import AdditiveAttention as AdditiveAttention
from fitorch.layers.attention import Attention as Attention
from fitorch.layers.attention import GroupQueryAttention as GroupQueryAttention
from fitorch.layers.attention import MultiHeadAttention as MultiHeadAttention
from fitorch.layers.convolutional import Conv1D as Conv1D
from fitorch.layers.convolutional import Conv1D as Convolution1D
from fitorch.layers.convolutional import Conv1DTranspose as Conv1DTranspose
from fitorch.layers.convolutional import Conv1DTranspose as Convolution1DTranspose
from fitorch.layers.convolutional import Conv2D as Conv2D
from fitorch.layers.convolutional import Conv2D as Convolution2D
from fitorch.layers.convolutional import Conv2DTranspose as Conv2DTranspose
from fitorch.layers.convolutional import Conv2DTranspose as Convolution2DTranspose
from fitorch.layers.convolutional import Conv3D as Conv3D
from fitorch.layers.convolutional import Conv3D as Convolution3D
from fitorch.layers.convolutional import Conv3DTranspose as Conv3DTranspose
from fitorch.layers.convolutional import Conv3DTranspose as Convolution3DTranspose
from fitorch.layers.convolutional import DepthwiseConv1D as DepthwiseConv1D
from fitorch.layers.convolutional import DepthwiseConv2D as DepthwiseConv2D
from fitorch.layers.convolutional import SeparableConv1D as SeparableConv1D
from fitorch.layers.convolutional import SeparableConv1D as SeparableConvolution1D
from fitorch.layers.convolutional import SeparableConv2D as SeparableConv2D
from fitorch.layers.convolutional import SeparableConv2D as SeparableConvolution2D
from fitorch.layers.core import Dense as Dense
from fitorch.layers.core import EinsumDense as EinsumDense
from fitorch.layers.core import Embedding as Embedding
from fitorch.layers.core import Identity as Identity
from fitorch.layers.core import Input as Input
from fitorch.layers.core import InputLayer as InputLayer
from fitorch.layers.core import Lambda as Lambda
from fitorch.layers.core import Masking as Masking
from fitorch.layers.core import ReversibleEmbedding as ReversibleEmbedding
from fitorch.layers.core import TorchModule as TorchModule
from fitorch.layers.core import TorchModuleWrapper as TorchModuleWrapper
from fitorch.layers.input_spec import InputSpec as InputSpec
from fitorch.layers.layer import Layer as Layer
from fitorch.layers.merging import Add as Add
from fitorch.layers.merging import Average as Average
from fitorch.layers.merging import Concatenate as Concatenate
from fitorch.layers.merging import Dot as Dot
from fitorch.layers.merging import Maximum as Maximum
from fitorch.layers.merging import Minimum as Minimum
from fitorch.layers.merging import Multiply as Multiply
from fitorch.layers.merging import Subtract as Subtract
from fitorch.layers.merging import add as add
from fitorch.layers.merging import average as average
from fitorch.layers.merging import concatenate as concatenate
from fitorch.layers.merging import dot as dot
from fitorch.layers.merging import maximum as maximum
from fitorch.layers.merging import minimum as minimum
from fitorch.layers.merging import multiply as multiply
from fitorch.layers.merging import subtract as subtract
from fitorch.layers.normalization import BatchNormalization as BatchNormalization
from fitorch.layers.normalization import GroupNormalization as GroupNormalization
from fitorch.layers.normalization import LayerNormalization as LayerNormalization
from fitorch.layers.normalization import RMSNormalization as RMSNormalization
from fitorch.layers.normalization import SpectralNormalization as SpectralNormalization
from fitorch.layers.normalization import UnitNormalization as UnitNormalization
from fitorch.layers.pooling import AdaptiveAveragePooling1D as AdaptiveAveragePooling1D
from fitorch.layers.pooling import AdaptiveAveragePooling2D as AdaptiveAveragePooling2D
from fitorch.layers.pooling import AdaptiveAveragePooling3D as AdaptiveAveragePooling3D
from fitorch.layers.pooling import AdaptiveMaxPooling1D as AdaptiveMaxPooling1D
from fitorch.layers.pooling import AdaptiveMaxPooling2D as AdaptiveMaxPooling2D
from fitorch.layers.pooling import AdaptiveMaxPooling3D as AdaptiveMaxPooling3D
from fitorch.layers.pooling import AveragePooling1D as AveragePooling1D
from fitorch.layers.pooling import AveragePooling1D as AvgPool1D
from fitorch.layers.pooling import AveragePooling2D as AveragePooling2D
from fitorch.layers.pooling import AveragePooling2D as AvgPool2D
from fitorch.layers.pooling import AveragePooling3D as AveragePooling3D
from fitorch.layers.pooling import AveragePooling3D as AvgPool3D
from fitorch.layers.pooling import GlobalAveragePooling1D as GlobalAveragePooling1D
from fitorch.layers.pooling import GlobalAveragePooling1D as GlobalAvgPool1D
from fitorch.layers.pooling import GlobalAveragePooling2D as GlobalAveragePooling2D
from fitorch.layers.pooling import GlobalAveragePooling2D as GlobalAvgPool2D
from fitorch.layers.pooling import GlobalAveragePooling3D as GlobalAveragePooling3D
from fitorch.layers.pooling import GlobalAveragePooling3D as GlobalAvgPool3D
from fitorch.layers.pooling import GlobalMaxPooling1D as GlobalMaxPool1D
from fitorch.layers.pooling import GlobalMaxPooling1D as GlobalMaxPooling1D
from fitorch.layers.pooling import GlobalMaxPooling2D as GlobalMaxPool2D
from fitorch.layers.pooling import GlobalMaxPooling2D as GlobalMaxPooling2D
from fitorch.layers.pooling import GlobalMaxPooling3D as GlobalMaxPool3D
from fitorch.layers.pooling import GlobalMaxPooling3D as GlobalMaxPooling3D
from fitorch.layers.pooling import MaxPooling1D as MaxPool1D
from fitorch.layers.pooling import MaxPooling1D as MaxPooling1D
from fitorch.layers.pooling import MaxPooling2D as MaxPool2D
from fitorch.layers.pooling import MaxPooling2D as MaxPooling2D
from fitorch.layers.pooling import MaxPooling3D as MaxPool3D
from fitorch.layers.pooling import MaxPooling3D as MaxPooling3D
from fitorch.layers.preprocessing import AugMix as AugMix
from fitorch.layers.preprocessing import AutoContrast as AutoContrast
from fitorch.layers.preprocessing import CategoryEncoding as CategoryEncoding
from fitorch.layers.preprocessing import CenterCrop as CenterCrop
from fitorch.layers.preprocessing import (
    ContrastLimitedAdaptiveHistogramEqualization as ContrastLimitedAdaptiveHistogramEqualization,
)
from fitorch.layers.preprocessing import CutMix as CutMix
from fitorch.layers.preprocessing import Discretization as Discretization
from fitorch.layers.preprocessing import Equalization as Equalization
from fitorch.layers.preprocessing import HashedCrossing as HashedCrossing
from fitorch.layers.preprocessing import Hashing as Hashing
from fitorch.layers.preprocessing import IntegerLookup as IntegerLookup
from fitorch.layers.preprocessing import MaxNumBoundingBoxes as MaxNumBoundingBoxes
from fitorch.layers.preprocessing import MelSpectrogram as MelSpectrogram
from fitorch.layers.preprocessing import MixUp as MixUp
from fitorch.layers.preprocessing import Normalization as Normalization
from fitorch.layers.preprocessing import RandAugment as RandAugment
from fitorch.layers.preprocessing import RandomBrightness as RandomBrightness
from fitorch.layers.preprocessing import RandomColorDegeneration as RandomColorDegeneration
from fitorch.layers.preprocessing import RandomColorJitter as RandomColorJitter
from fitorch.layers.preprocessing import RandomContrast as RandomContrast
from fitorch.layers.preprocessing import RandomCrop as RandomCrop
from fitorch.layers.preprocessing import RandomElasticTransform as RandomElasticTransform
from fitorch.layers.preprocessing import RandomErasing as RandomErasing
from fitorch.layers.preprocessing import RandomFlip as RandomFlip
from fitorch.layers.preprocessing import RandomGaussianBlur as RandomGaussianBlur
from fitorch.layers.preprocessing import RandomGrayscale as RandomGrayscale
from fitorch.layers.preprocessing import RandomHue as RandomHue
from fitorch.layers.preprocessing import RandomInvert as RandomInvert
from fitorch.layers.preprocessing import RandomPerspective as RandomPerspective
from fitorch.layers.preprocessing import RandomPosterization as RandomPosterization
from fitorch.layers.preprocessing import RandomRotation as RandomRotation
from fitorch.layers.preprocessing import RandomSaturation as RandomSaturation
from fitorch.layers.preprocessing import RandomSharpness as RandomSharpness
from fitorch.layers.preprocessing import RandomShear as RandomShear
from fitorch.layers.preprocessing import RandomTranslation as RandomTranslation
from fitorch.layers.preprocessing import RandomZoom as RandomZoom
from fitorch.layers.preprocessing import Rescaling as Rescaling
from fitorch.layers.preprocessing import Resizing as Resizing
from fitorch.layers.preprocessing import Solarization as Solarization
from fitorch.layers.preprocessing import STFTSpectrogram as STFTSpectrogram
from fitorch.layers.preprocessing import StringLookup as StringLookup
from fitorch.layers.preprocessing import TextVectorization as TextVectorization
from fitorch.layers.recurrent import GRU as GRU
from fitorch.layers.recurrent import LSTM as LSTM
from fitorch.layers.recurrent import RNN as RNN
from fitorch.layers.recurrent import Bidirectional as Bidirectional
from fitorch.layers.recurrent import ConvLSTM1D as ConvLSTM1D
from fitorch.layers.recurrent import ConvLSTM2D as ConvLSTM2D
from fitorch.layers.recurrent import ConvLSTM3D as ConvLSTM3D
from fitorch.layers.recurrent import GRUCell as GRUCell
from fitorch.layers.recurrent import LSTMCell as LSTMCell
from fitorch.layers.recurrent import SimpleRNN as SimpleRNN
from fitorch.layers.recurrent import SimpleRNNCell as SimpleRNNCell
from fitorch.layers.recurrent import StackedRNNCells as StackedRNNCells
from fitorch.layers.recurrent import TimeDistributed as TimeDistributed
from fitorch.layers.recurrent import Wrapper as Wrapper
from fitorch.layers.regularization import ActivityRegularization as ActivityRegularization
from fitorch.layers.regularization import AlphaDropout as AlphaDropout
from fitorch.layers.regularization import Dropout as Dropout
from fitorch.layers.regularization import GaussianDropout as GaussianDropout
from fitorch.layers.regularization import GaussianNoise as GaussianNoise
from fitorch.layers.regularization import SpatialDropout1D as SpatialDropout1D
from fitorch.layers.regularization import SpatialDropout2D as SpatialDropout2D
from fitorch.layers.regularization import SpatialDropout3D as SpatialDropout3D
from fitorch.layers.reshaping import Cropping1D as Cropping1D
from fitorch.layers.reshaping import Cropping2D as Cropping2D
from fitorch.layers.reshaping import Cropping3D as Cropping3D
from fitorch.layers.reshaping import Flatten as Flatten
from fitorch.layers.reshaping import Permute as Permute
from fitorch.layers.reshaping import RepeatVector as RepeatVector
from fitorch.layers.reshaping import Reshape as Reshape
from fitorch.layers.reshaping import UpSampling1D as UpSampling1D
from fitorch.layers.reshaping import UpSampling2D as UpSampling2D
from fitorch.layers.reshaping import UpSampling3D as UpSampling3D
from fitorch.layers.reshaping import ZeroPadding1D as ZeroPadding1D
from fitorch.layers.reshaping import ZeroPadding2D as ZeroPadding2D
from fitorch.layers.reshaping import ZeroPadding3D as ZeroPadding3D

__all__ = [
    "Activation",
    "ActivityRegularization",
    "AdaptiveAveragePooling1D",
    "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D",
    "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
    "Add",
    "AdditiveAttention",
    "AlphaDropout",
    "Attention",
    "AugMix",
    "AutoContrast",
    "Average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AveragePooling3D",
    "AvgPool1D",
    "AvgPool2D",
    "AvgPool3D",
    "BatchNormalization",
    "Bidirectional",
    "CategoryEncoding",
    "CenterCrop",
    "Concatenate",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "Conv1D",
    "Conv1DTranspose",
    "Conv2D",
    "Conv2DTranspose",
    "Conv3D",
    "Conv3DTranspose",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "Convolution1D",
    "Convolution1DTranspose",
    "Convolution2D",
    "Convolution2DTranspose",
    "Convolution3D",
    "Convolution3DTranspose",
    "Cropping1D",
    "Cropping2D",
    "Cropping3D",
    "CutMix",
    "Dense",
    "DepthwiseConv1D",
    "DepthwiseConv2D",
    "Discretization",
    "Dot",
    "Dropout",
    "ELU",
    "EinsumDense",
    "Embedding",
    "Equalization",
    "Flatten",
    "GRU",
    "GRUCell",
    "GaussianDropout",
    "GaussianNoise",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalAvgPool3D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPool3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
    "GroupNormalization",
    "GroupQueryAttention",
    "HashedCrossing",
    "Hashing",
    "Identity",
    "Input",
    "InputLayer",
    "InputSpec",
    "IntegerLookup",
    "LSTM",
    "LSTMCell",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "Masking",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPool3D",
    "MaxPooling1D",
    "MaxPooling2D",
    "MaxPooling3D",
    "Maximum",
    "MaxNumBoundingBoxes",
    "MelSpectrogram",
    "Minimum",
    "MixUp",
    "MultiHeadAttention",
    "Multiply",
    "Normalization",
    "PReLU",
    "Permute",
    "RMSNormalization",
    "RNN",
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
    "ReLU",
    "RepeatVector",
    "Rescaling",
    "Reshape",
    "Resizing",
    "ReversibleEmbedding",
    "STFTSpectrogram",
    "SeparableConv1D",
    "SeparableConv2D",
    "SeparableConvolution1D",
    "SeparableConvolution2D",
    "SimpleRNN",
    "SimpleRNNCell",
    "Softmax",
    "Solarization",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "SpatialDropout3D",
    "SpectralNormalization",
    "StackedRNNCells",
    "StringLookup",
    "Subtract",
    "TextVectorization",
    "TimeDistributed",
    "TorchModule",
    "TorchModuleWrapper",
    "UnitNormalization",
    "UpSampling1D",
    "UpSampling2D",
    "UpSampling3D",
    "Wrapper",
    "ZeroPadding1D",
    "ZeroPadding2D",
    "ZeroPadding3D",
    "add",
    "average",
    "concatenate",
    "dot",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
