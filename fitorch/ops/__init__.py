"""Keras' ``keras.ops`` on torch tensors: ``fitorch.ops.add``, ``ops.conv``, ``ops.image.resize`` ...

Eagerly, each op takes torch tensors (NumPy arrays and Python numbers are converted as
Keras' torch backend does) and returns torch tensors, on the inputs' device. Called on
the symbolic tensors of a functional model, an op records an ``OpLayer`` node instead,
so the model saves and loads like any other; Python operators on symbolic tensors
(``x + 1``, ``x @ w``, ``x[:, 0]``) do the same.

Example:
    >>> import torch
    >>> import fitorch
    >>> from fitorch import layers, ops
    >>> ops.softmax(torch.zeros(1, 4)).tolist()
    [[0.25, 0.25, 0.25, 0.25]]
    >>> inputs = layers.Input(shape=(3,))
    >>> model = fitorch.Model(inputs, ops.sum(ops.square(inputs) * 2, axis=-1))
    >>> model(torch.ones(2, 3)).tolist()
    [6.0, 6.0]
"""

from fitorch.ops import image as image
from fitorch.ops.core import cast as cast
from fitorch.ops.core import cond as cond
from fitorch.ops.core import convert_to_numpy as convert_to_numpy
from fitorch.ops.core import convert_to_tensor as convert_to_tensor
from fitorch.ops.core import dtype as dtype
from fitorch.ops.core import fori_loop as fori_loop
from fitorch.ops.core import get_item as get_item
from fitorch.ops.core import is_tensor as is_tensor
from fitorch.ops.core import map as map
from fitorch.ops.core import saturate_cast as saturate_cast
from fitorch.ops.core import scan as scan
from fitorch.ops.core import scatter as scatter
from fitorch.ops.core import scatter_update as scatter_update
from fitorch.ops.core import shape as shape
from fitorch.ops.core import slice as slice
from fitorch.ops.core import slice_update as slice_update
from fitorch.ops.core import stop_gradient as stop_gradient
from fitorch.ops.core import switch as switch
from fitorch.ops.core import unstack as unstack
from fitorch.ops.core import view as view
from fitorch.ops.core import while_loop as while_loop
from fitorch.ops.einops import rearrange as rearrange
from fitorch.ops.linalg import cholesky as cholesky
from fitorch.ops.linalg import cholesky_inverse as cholesky_inverse
from fitorch.ops.linalg import det as det
from fitorch.ops.linalg import eig as eig
from fitorch.ops.linalg import eigh as eigh
from fitorch.ops.linalg import inv as inv
from fitorch.ops.linalg import logdet as logdet
from fitorch.ops.linalg import lstsq as lstsq
from fitorch.ops.linalg import lu_factor as lu_factor
from fitorch.ops.linalg import matrix_rank as matrix_rank
from fitorch.ops.linalg import norm as norm
from fitorch.ops.linalg import pinv as pinv
from fitorch.ops.linalg import qr as qr
from fitorch.ops.linalg import slogdet as slogdet
from fitorch.ops.linalg import solve as solve
from fitorch.ops.linalg import solve_triangular as solve_triangular
from fitorch.ops.linalg import svd as svd
from fitorch.ops.math import cdist as cdist
from fitorch.ops.math import extract_sequences as extract_sequences
from fitorch.ops.math import fft as fft
from fitorch.ops.math import fft2 as fft2
from fitorch.ops.math import ifft2 as ifft2
from fitorch.ops.math import irfft as irfft
from fitorch.ops.math import istft as istft
from fitorch.ops.math import polar as polar
from fitorch.ops.math import rfft as rfft
from fitorch.ops.math import segment_max as segment_max
from fitorch.ops.math import segment_min as segment_min
from fitorch.ops.math import segment_prod as segment_prod
from fitorch.ops.math import segment_sum as segment_sum
from fitorch.ops.math import stft as stft
from fitorch.ops.math import view_as_complex as view_as_complex
from fitorch.ops.math import view_as_real as view_as_real
from fitorch.ops.nn import batch_normalization as batch_normalization
from fitorch.ops.nn import binary_crossentropy as binary_crossentropy
from fitorch.ops.nn import categorical_crossentropy as categorical_crossentropy
from fitorch.ops.nn import celu as celu
from fitorch.ops.nn import dot_product_attention as dot_product_attention
from fitorch.ops.nn import elu as elu
from fitorch.ops.nn import gelu as gelu
from fitorch.ops.nn import glu as glu
from fitorch.ops.nn import hard_shrink as hard_shrink
from fitorch.ops.nn import hard_sigmoid as hard_sigmoid
from fitorch.ops.nn import hard_silu as hard_silu
from fitorch.ops.nn import hard_swish as hard_swish
from fitorch.ops.nn import hard_tanh as hard_tanh
from fitorch.ops.nn import in_top_k as in_top_k
from fitorch.ops.nn import layer_normalization as layer_normalization
from fitorch.ops.nn import leaky_relu as leaky_relu
from fitorch.ops.nn import log_sigmoid as log_sigmoid
from fitorch.ops.nn import log_softmax as log_softmax
from fitorch.ops.nn import moments as moments
from fitorch.ops.nn import multi_hot as multi_hot
from fitorch.ops.nn import normalize as normalize
from fitorch.ops.nn import one_hot as one_hot
from fitorch.ops.nn import psnr as psnr
from fitorch.ops.nn import relu as relu
from fitorch.ops.nn import relu6 as relu6
from fitorch.ops.nn import rms_normalization as rms_normalization
from fitorch.ops.nn import selu as selu
from fitorch.ops.nn import sigmoid as sigmoid
from fitorch.ops.nn import silu as silu
from fitorch.ops.nn import soft_shrink as soft_shrink
from fitorch.ops.nn import softmax as softmax
from fitorch.ops.nn import softplus as softplus
from fitorch.ops.nn import softsign as softsign
from fitorch.ops.nn import sparse_categorical_crossentropy as sparse_categorical_crossentropy
from fitorch.ops.nn import sparse_plus as sparse_plus
from fitorch.ops.nn import sparse_sigmoid as sparse_sigmoid
from fitorch.ops.nn import sparsemax as sparsemax
from fitorch.ops.nn import squareplus as squareplus
from fitorch.ops.nn import swish as swish
from fitorch.ops.nn import tanh_shrink as tanh_shrink
from fitorch.ops.nn import threshold as threshold
from fitorch.ops.nn import top_k as top_k
from fitorch.ops.nn_conv import adaptive_average_pool as adaptive_average_pool
from fitorch.ops.nn_conv import adaptive_max_pool as adaptive_max_pool
from fitorch.ops.nn_conv import average_pool as average_pool
from fitorch.ops.nn_conv import conv as conv
from fitorch.ops.nn_conv import conv_transpose as conv_transpose
from fitorch.ops.nn_conv import depth_to_space as depth_to_space
from fitorch.ops.nn_conv import depthwise_conv as depthwise_conv
from fitorch.ops.nn_conv import max_pool as max_pool
from fitorch.ops.nn_conv import separable_conv as separable_conv
from fitorch.ops.nn_conv import space_to_depth as space_to_depth
from fitorch.ops.nn_sequence import ctc_decode as ctc_decode
from fitorch.ops.nn_sequence import ctc_loss as ctc_loss
from fitorch.ops.nn_sequence import fold as fold
from fitorch.ops.nn_sequence import unfold as unfold
from fitorch.ops.numpy import append as append
from fitorch.ops.numpy import arange as arange
from fitorch.ops.numpy import array as array
from fitorch.ops.numpy import array_split as array_split
from fitorch.ops.numpy import broadcast_to as broadcast_to
from fitorch.ops.numpy import concatenate as concatenate
from fitorch.ops.numpy import copy as copy
from fitorch.ops.numpy import diag as diag
from fitorch.ops.numpy import diagflat as diagflat
from fitorch.ops.numpy import diagonal as diagonal
from fitorch.ops.numpy import dsplit as dsplit
from fitorch.ops.numpy import dstack as dstack
from fitorch.ops.numpy import empty as empty
from fitorch.ops.numpy import empty_like as empty_like
from fitorch.ops.numpy import expand_dims as expand_dims
from fitorch.ops.numpy import eye as eye
from fitorch.ops.numpy import flip as flip
from fitorch.ops.numpy import fliplr as fliplr
from fitorch.ops.numpy import flipud as flipud
from fitorch.ops.numpy import full as full
from fitorch.ops.numpy import full_like as full_like
from fitorch.ops.numpy import geomspace as geomspace
from fitorch.ops.numpy import hsplit as hsplit
from fitorch.ops.numpy import hstack as hstack
from fitorch.ops.numpy import identity as identity
from fitorch.ops.numpy import linspace as linspace
from fitorch.ops.numpy import logspace as logspace
from fitorch.ops.numpy import meshgrid as meshgrid
from fitorch.ops.numpy import moveaxis as moveaxis
from fitorch.ops.numpy import ndim as ndim
from fitorch.ops.numpy import ones as ones
from fitorch.ops.numpy import ones_like as ones_like
from fitorch.ops.numpy import pad as pad
from fitorch.ops.numpy import ravel as ravel
from fitorch.ops.numpy import repeat as repeat
from fitorch.ops.numpy import reshape as reshape
from fitorch.ops.numpy import roll as roll
from fitorch.ops.numpy import rot90 as rot90
from fitorch.ops.numpy import size as size
from fitorch.ops.numpy import split as split
from fitorch.ops.numpy import squeeze as squeeze
from fitorch.ops.numpy import stack as stack
from fitorch.ops.numpy import swapaxes as swapaxes
from fitorch.ops.numpy import tile as tile
from fitorch.ops.numpy import trace as trace
from fitorch.ops.numpy import transpose as transpose
from fitorch.ops.numpy import tri as tri
from fitorch.ops.numpy import tril as tril
from fitorch.ops.numpy import triu as triu
from fitorch.ops.numpy import vander as vander
from fitorch.ops.numpy import vsplit as vsplit
from fitorch.ops.numpy import vstack as vstack
from fitorch.ops.numpy import zeros as zeros
from fitorch.ops.numpy import zeros_like as zeros_like
from fitorch.ops.numpy_math import abs as abs
from fitorch.ops.numpy_math import absolute as absolute
from fitorch.ops.numpy_math import add as add
from fitorch.ops.numpy_math import allclose as allclose
from fitorch.ops.numpy_math import angle as angle
from fitorch.ops.numpy_math import arccos as arccos
from fitorch.ops.numpy_math import arccosh as arccosh
from fitorch.ops.numpy_math import arcsin as arcsin
from fitorch.ops.numpy_math import arcsinh as arcsinh
from fitorch.ops.numpy_math import arctan as arctan
from fitorch.ops.numpy_math import arctan2 as arctan2
from fitorch.ops.numpy_math import arctanh as arctanh
from fitorch.ops.numpy_math import bitwise_and as bitwise_and
from fitorch.ops.numpy_math import bitwise_invert as bitwise_invert
from fitorch.ops.numpy_math import bitwise_left_shift as bitwise_left_shift
from fitorch.ops.numpy_math import bitwise_not as bitwise_not
from fitorch.ops.numpy_math import bitwise_or as bitwise_or
from fitorch.ops.numpy_math import bitwise_right_shift as bitwise_right_shift
from fitorch.ops.numpy_math import bitwise_xor as bitwise_xor
from fitorch.ops.numpy_math import cbrt as cbrt
from fitorch.ops.numpy_math import ceil as ceil
from fitorch.ops.numpy_math import clip as clip
from fitorch.ops.numpy_math import conj as conj
from fitorch.ops.numpy_math import conjugate as conjugate
from fitorch.ops.numpy_math import cos as cos
from fitorch.ops.numpy_math import cosh as cosh
from fitorch.ops.numpy_math import cross as cross
from fitorch.ops.numpy_math import deg2rad as deg2rad
from fitorch.ops.numpy_math import divide as divide
from fitorch.ops.numpy_math import divide_no_nan as divide_no_nan
from fitorch.ops.numpy_math import dot as dot
from fitorch.ops.numpy_math import einsum as einsum
from fitorch.ops.numpy_math import equal as equal
from fitorch.ops.numpy_math import erf as erf
from fitorch.ops.numpy_math import erfc as erfc
from fitorch.ops.numpy_math import erfinv as erfinv
from fitorch.ops.numpy_math import exp as exp
from fitorch.ops.numpy_math import exp2 as exp2
from fitorch.ops.numpy_math import expm1 as expm1
from fitorch.ops.numpy_math import fabs as fabs
from fitorch.ops.numpy_math import floor as floor
from fitorch.ops.numpy_math import floor_divide as floor_divide
from fitorch.ops.numpy_math import fmax as fmax
from fitorch.ops.numpy_math import fmin as fmin
from fitorch.ops.numpy_math import fmod as fmod
from fitorch.ops.numpy_math import gcd as gcd
from fitorch.ops.numpy_math import greater as greater
from fitorch.ops.numpy_math import greater_equal as greater_equal
from fitorch.ops.numpy_math import heaviside as heaviside
from fitorch.ops.numpy_math import hypot as hypot
from fitorch.ops.numpy_math import i0 as i0
from fitorch.ops.numpy_math import imag as imag
from fitorch.ops.numpy_math import inner as inner
from fitorch.ops.numpy_math import isclose as isclose
from fitorch.ops.numpy_math import isfinite as isfinite
from fitorch.ops.numpy_math import isinf as isinf
from fitorch.ops.numpy_math import isnan as isnan
from fitorch.ops.numpy_math import isneginf as isneginf
from fitorch.ops.numpy_math import isposinf as isposinf
from fitorch.ops.numpy_math import isreal as isreal
from fitorch.ops.numpy_math import kron as kron
from fitorch.ops.numpy_math import lcm as lcm
from fitorch.ops.numpy_math import ldexp as ldexp
from fitorch.ops.numpy_math import left_shift as left_shift
from fitorch.ops.numpy_math import less as less
from fitorch.ops.numpy_math import less_equal as less_equal
from fitorch.ops.numpy_math import log as log
from fitorch.ops.numpy_math import log1p as log1p
from fitorch.ops.numpy_math import log2 as log2
from fitorch.ops.numpy_math import log10 as log10
from fitorch.ops.numpy_math import logaddexp as logaddexp
from fitorch.ops.numpy_math import logaddexp2 as logaddexp2
from fitorch.ops.numpy_math import logical_and as logical_and
from fitorch.ops.numpy_math import logical_not as logical_not
from fitorch.ops.numpy_math import logical_or as logical_or
from fitorch.ops.numpy_math import logical_xor as logical_xor
from fitorch.ops.numpy_math import matmul as matmul
from fitorch.ops.numpy_math import maximum as maximum
from fitorch.ops.numpy_math import minimum as minimum
from fitorch.ops.numpy_math import mod as mod
from fitorch.ops.numpy_math import multiply as multiply
from fitorch.ops.numpy_math import nan_to_num as nan_to_num
from fitorch.ops.numpy_math import negative as negative
from fitorch.ops.numpy_math import nextafter as nextafter
from fitorch.ops.numpy_math import not_equal as not_equal
from fitorch.ops.numpy_math import outer as outer
from fitorch.ops.numpy_math import power as power
from fitorch.ops.numpy_math import rad2deg as rad2deg
from fitorch.ops.numpy_math import real as real
from fitorch.ops.numpy_math import reciprocal as reciprocal
from fitorch.ops.numpy_math import right_shift as right_shift
from fitorch.ops.numpy_math import round as round
from fitorch.ops.numpy_math import rsqrt as rsqrt
from fitorch.ops.numpy_math import select as select
from fitorch.ops.numpy_math import sign as sign
from fitorch.ops.numpy_math import signbit as signbit
from fitorch.ops.numpy_math import sin as sin
from fitorch.ops.numpy_math import sinc as sinc
from fitorch.ops.numpy_math import sinh as sinh
from fitorch.ops.numpy_math import sqrt as sqrt
from fitorch.ops.numpy_math import square as square
from fitorch.ops.numpy_math import subtract as subtract
from fitorch.ops.numpy_math import tan as tan
from fitorch.ops.numpy_math import tanh as tanh
from fitorch.ops.numpy_math import tensordot as tensordot
from fitorch.ops.numpy_math import true_divide as true_divide
from fitorch.ops.numpy_math import trunc as trunc
from fitorch.ops.numpy_math import vdot as vdot
from fitorch.ops.numpy_math import where as where
from fitorch.ops.numpy_nan import nanargmax as nanargmax
from fitorch.ops.numpy_nan import nanargmin as nanargmin
from fitorch.ops.numpy_nan import nancumprod as nancumprod
from fitorch.ops.numpy_nan import nancumsum as nancumsum
from fitorch.ops.numpy_nan import nanmax as nanmax
from fitorch.ops.numpy_nan import nanmean as nanmean
from fitorch.ops.numpy_nan import nanmedian as nanmedian
from fitorch.ops.numpy_nan import nanmin as nanmin
from fitorch.ops.numpy_nan import nanpercentile as nanpercentile
from fitorch.ops.numpy_nan import nanprod as nanprod
from fitorch.ops.numpy_nan import nanquantile as nanquantile
from fitorch.ops.numpy_nan import nanstd as nanstd
from fitorch.ops.numpy_nan import nansum as nansum
from fitorch.ops.numpy_nan import nanvar as nanvar
from fitorch.ops.numpy_reduce import all as all
from fitorch.ops.numpy_reduce import amax as amax
from fitorch.ops.numpy_reduce import amin as amin
from fitorch.ops.numpy_reduce import any as any
from fitorch.ops.numpy_reduce import argmax as argmax
from fitorch.ops.numpy_reduce import argmin as argmin
from fitorch.ops.numpy_reduce import argsort as argsort
from fitorch.ops.numpy_reduce import average as average
from fitorch.ops.numpy_reduce import bincount as bincount
from fitorch.ops.numpy_reduce import count_nonzero as count_nonzero
from fitorch.ops.numpy_reduce import cumprod as cumprod
from fitorch.ops.numpy_reduce import cumsum as cumsum
from fitorch.ops.numpy_reduce import diff as diff
from fitorch.ops.numpy_reduce import digitize as digitize
from fitorch.ops.numpy_reduce import logsumexp as logsumexp
from fitorch.ops.numpy_reduce import max as max
from fitorch.ops.numpy_reduce import mean as mean
from fitorch.ops.numpy_reduce import median as median
from fitorch.ops.numpy_reduce import min as min
from fitorch.ops.numpy_reduce import nonzero as nonzero
from fitorch.ops.numpy_reduce import percentile as percentile
from fitorch.ops.numpy_reduce import prod as prod
from fitorch.ops.numpy_reduce import ptp as ptp
from fitorch.ops.numpy_reduce import quantile as quantile
from fitorch.ops.numpy_reduce import searchsorted as searchsorted
from fitorch.ops.numpy_reduce import sort as sort
from fitorch.ops.numpy_reduce import std as std
from fitorch.ops.numpy_reduce import sum as sum
from fitorch.ops.numpy_reduce import take as take
from fitorch.ops.numpy_reduce import take_along_axis as take_along_axis
from fitorch.ops.numpy_reduce import trapezoid as trapezoid
from fitorch.ops.numpy_reduce import unravel_index as unravel_index
from fitorch.ops.numpy_reduce import var as var
from fitorch.ops.numpy_sets import argpartition as argpartition
from fitorch.ops.numpy_sets import isin as isin
from fitorch.ops.numpy_sets import unique as unique
from fitorch.ops.numpy_stats import bartlett as bartlett
from fitorch.ops.numpy_stats import blackman as blackman
from fitorch.ops.numpy_stats import corrcoef as corrcoef
from fitorch.ops.numpy_stats import correlate as correlate
from fitorch.ops.numpy_stats import hamming as hamming
from fitorch.ops.numpy_stats import hanning as hanning
from fitorch.ops.numpy_stats import histogram as histogram
from fitorch.ops.numpy_stats import kaiser as kaiser
from fitorch.ops.op_layer import OpLayer as OpLayer
from fitorch.ops.registry import get_op as get_op
from fitorch.ops.transforms import associative_scan as associative_scan
from fitorch.ops.transforms import custom_gradient as custom_gradient
from fitorch.ops.transforms import jvp as jvp
from fitorch.ops.transforms import vectorize as vectorize
from fitorch.ops.transforms import vectorized_map as vectorized_map

__all__ = [
    "OpLayer",
    "abs",
    "absolute",
    "adaptive_average_pool",
    "adaptive_max_pool",
    "add",
    "all",
    "allclose",
    "amax",
    "amin",
    "angle",
    "any",
    "append",
    "arange",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "argmax",
    "argmin",
    "argpartition",
    "argsort",
    "array",
    "array_split",
    "associative_scan",
    "average",
    "average_pool",
    "bartlett",
    "batch_normalization",
    "binary_crossentropy",
    "bincount",
    "bitwise_and",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_or",
    "bitwise_right_shift",
    "bitwise_xor",
    "blackman",
    "broadcast_to",
    "cast",
    "categorical_crossentropy",
    "cbrt",
    "cdist",
    "ceil",
    "celu",
    "cholesky",
    "cholesky_inverse",
    "clip",
    "concatenate",
    "cond",
    "conj",
    "conjugate",
    "conv",
    "conv_transpose",
    "convert_to_numpy",
    "convert_to_tensor",
    "copy",
    "corrcoef",
    "correlate",
    "cos",
    "cosh",
    "count_nonzero",
    "cross",
    "ctc_decode",
    "ctc_loss",
    "cumprod",
    "cumsum",
    "custom_gradient",
    "deg2rad",
    "depth_to_space",
    "depthwise_conv",
    "det",
    "diag",
    "diagflat",
    "diagonal",
    "diff",
    "digitize",
    "divide",
    "divide_no_nan",
    "dot",
    "dot_product_attention",
    "dsplit",
    "dstack",
    "dtype",
    "eig",
    "eigh",
    "einsum",
    "elu",
    "empty",
    "empty_like",
    "equal",
    "erf",
    "erfc",
    "erfinv",
    "exp",
    "exp2",
    "expand_dims",
    "expm1",
    "extract_sequences",
    "eye",
    "fabs",
    "fft",
    "fft2",
    "flip",
    "fliplr",
    "flipud",
    "floor",
    "floor_divide",
    "fmax",
    "fmin",
    "fmod",
    "fold",
    "fori_loop",
    "full",
    "full_like",
    "gcd",
    "gelu",
    "geomspace",
    "get_item",
    "get_op",
    "glu",
    "greater",
    "greater_equal",
    "hamming",
    "hanning",
    "hard_shrink",
    "hard_sigmoid",
    "hard_silu",
    "hard_swish",
    "hard_tanh",
    "heaviside",
    "histogram",
    "hsplit",
    "hstack",
    "hypot",
    "i0",
    "identity",
    "ifft2",
    "imag",
    "image",
    "in_top_k",
    "inner",
    "inv",
    "irfft",
    "is_tensor",
    "isclose",
    "isfinite",
    "isin",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "istft",
    "jvp",
    "kaiser",
    "kron",
    "layer_normalization",
    "lcm",
    "ldexp",
    "leaky_relu",
    "left_shift",
    "less",
    "less_equal",
    "linspace",
    "log",
    "log10",
    "log1p",
    "log2",
    "log_sigmoid",
    "log_softmax",
    "logaddexp",
    "logaddexp2",
    "logdet",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logspace",
    "logsumexp",
    "lstsq",
    "lu_factor",
    "map",
    "matmul",
    "matrix_rank",
    "max",
    "max_pool",
    "maximum",
    "mean",
    "median",
    "meshgrid",
    "min",
    "minimum",
    "mod",
    "moments",
    "moveaxis",
    "multi_hot",
    "multiply",
    "nan_to_num",
    "nanargmax",
    "nanargmin",
    "nancumprod",
    "nancumsum",
    "nanmax",
    "nanmean",
    "nanmedian",
    "nanmin",
    "nanpercentile",
    "nanprod",
    "nanquantile",
    "nanstd",
    "nansum",
    "nanvar",
    "ndim",
    "negative",
    "nextafter",
    "nonzero",
    "norm",
    "normalize",
    "not_equal",
    "one_hot",
    "ones",
    "ones_like",
    "outer",
    "pad",
    "percentile",
    "pinv",
    "polar",
    "power",
    "prod",
    "psnr",
    "ptp",
    "qr",
    "quantile",
    "rad2deg",
    "ravel",
    "real",
    "rearrange",
    "reciprocal",
    "relu",
    "relu6",
    "repeat",
    "reshape",
    "rfft",
    "right_shift",
    "rms_normalization",
    "roll",
    "rot90",
    "round",
    "rsqrt",
    "saturate_cast",
    "scan",
    "scatter",
    "scatter_update",
    "searchsorted",
    "segment_max",
    "segment_min",
    "segment_prod",
    "segment_sum",
    "select",
    "selu",
    "separable_conv",
    "shape",
    "sigmoid",
    "sign",
    "signbit",
    "silu",
    "sin",
    "sinc",
    "sinh",
    "size",
    "slice",
    "slice_update",
    "slogdet",
    "soft_shrink",
    "softmax",
    "softplus",
    "softsign",
    "solve",
    "solve_triangular",
    "sort",
    "space_to_depth",
    "sparse_categorical_crossentropy",
    "sparse_plus",
    "sparse_sigmoid",
    "sparsemax",
    "split",
    "sqrt",
    "square",
    "squareplus",
    "squeeze",
    "stack",
    "std",
    "stft",
    "stop_gradient",
    "subtract",
    "sum",
    "svd",
    "swapaxes",
    "swish",
    "switch",
    "take",
    "take_along_axis",
    "tan",
    "tanh",
    "tanh_shrink",
    "tensordot",
    "threshold",
    "tile",
    "top_k",
    "trace",
    "transpose",
    "trapezoid",
    "tri",
    "tril",
    "triu",
    "true_divide",
    "trunc",
    "unfold",
    "unique",
    "unravel_index",
    "unstack",
    "vander",
    "var",
    "vdot",
    "vectorize",
    "vectorized_map",
    "view",
    "view_as_complex",
    "view_as_real",
    "vsplit",
    "vstack",
    "where",
    "while_loop",
    "zeros",
    "zeros_like",
]
