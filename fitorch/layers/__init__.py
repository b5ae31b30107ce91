"""Keras layers as ``nn.Module``s: ``fitorch.layers.Dense``, ``fitorch.layers.Conv2D`` ...

Each family lives in its own folder (one layer per file); this module re-exports them all,
plus Keras' alternative names (``MaxPool2D``, ``Convolution2D`` ...) for the same classes.
"""

from types import ModuleType as _ModuleType

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
from fitorch.layers.convolutional import Conv1DTranspose as Conv1DTranspose
from fitorch.layers.convolutional import Conv2D as Conv2D
from fitorch.layers.convolutional import Conv2DTranspose as Conv2DTranspose
from fitorch.layers.convolutional import Conv3D as Conv3D
from fitorch.layers.convolutional import Conv3DTranspose as Conv3DTranspose
from fitorch.layers.convolutional import DepthwiseConv1D as DepthwiseConv1D
from fitorch.layers.convolutional import DepthwiseConv2D as DepthwiseConv2D
from fitorch.layers.convolutional import SeparableConv1D as SeparableConv1D
from fitorch.layers.convolutional import SeparableConv2D as SeparableConv2D
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
from fitorch.layers.pooling import AveragePooling2D as AveragePooling2D
from fitorch.layers.pooling import AveragePooling3D as AveragePooling3D
from fitorch.layers.pooling import GlobalAveragePooling1D as GlobalAveragePooling1D
from fitorch.layers.pooling import GlobalAveragePooling2D as GlobalAveragePooling2D
from fitorch.layers.pooling import GlobalAveragePooling3D as GlobalAveragePooling3D
from fitorch.layers.pooling import GlobalMaxPooling1D as GlobalMaxPooling1D
from fitorch.layers.pooling import GlobalMaxPooling2D as GlobalMaxPooling2D
from fitorch.layers.pooling import GlobalMaxPooling3D as GlobalMaxPooling3D
from fitorch.layers.pooling import MaxPooling1D as MaxPooling1D
from fitorch.layers.pooling import MaxPooling2D as MaxPooling2D
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

# Keras' alternative names for the same classes.
Convolution1D = Conv1D
Convolution1DTranspose = Conv1DTranspose
Convolution2D = Conv2D
Convolution2DTranspose = Conv2DTranspose
Convolution3D = Conv3D
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D

# The public names are exactly the classes and functions bound above (the ``X as X`` form marks each import
# as a re-export for type checkers), so the list is read from the namespace instead of written a second time.
__all__ = sorted(
    name for name, value in globals().items() if not name.startswith("_") and not isinstance(value, _ModuleType)
)
