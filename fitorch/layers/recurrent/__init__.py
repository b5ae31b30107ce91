"""Recurrent layers, cells and wrappers: ``SimpleRNN``, ``LSTM``, ``GRU``, ``ConvLSTM1D``/``2D``/``3D``, ``RNN``, the cells
(``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``, ``StackedRNNCells``), ``Bidirectional``, ``TimeDistributed``.

Their shared parents are ``base_recurrent.BaseRecurrent`` (dropout arguments and masks of every
layer and cell), ``base_rnn.BaseRNN`` (states, masks, fused kernel or per-step loop),
``base_vector_rnn`` (the recurrences ``SimpleRNNRecurrence``/``LSTMRecurrence``/``GRURecurrence``, each
shared by a layer and its cell, and ``BaseVectorRNN``), ``base_rnn_cell.BaseRNNCell`` (the cells'
API), ``base_conv_lstm.BaseConvLSTM`` (the ConvLSTMs) and ``base_wrapper.Wrapper`` (layers wrapping a layer).
"""

from fitorch.layers.recurrent.base_wrapper import Wrapper as Wrapper
from fitorch.layers.recurrent.bidirectional import Bidirectional as Bidirectional
from fitorch.layers.recurrent.conv_lstm1d import ConvLSTM1D as ConvLSTM1D
from fitorch.layers.recurrent.conv_lstm2d import ConvLSTM2D as ConvLSTM2D
from fitorch.layers.recurrent.conv_lstm3d import ConvLSTM3D as ConvLSTM3D
from fitorch.layers.recurrent.gru import GRU as GRU
from fitorch.layers.recurrent.gru_cell import GRUCell as GRUCell
from fitorch.layers.recurrent.lstm import LSTM as LSTM
from fitorch.layers.recurrent.lstm_cell import LSTMCell as LSTMCell
from fitorch.layers.recurrent.rnn import RNN as RNN
from fitorch.layers.recurrent.simple_rnn import SimpleRNN as SimpleRNN
from fitorch.layers.recurrent.simple_rnn_cell import SimpleRNNCell as SimpleRNNCell
from fitorch.layers.recurrent.stacked_rnn_cells import StackedRNNCells as StackedRNNCells
from fitorch.layers.recurrent.time_distributed import TimeDistributed as TimeDistributed

__all__ = [
    "RNN",
    "Bidirectional",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "GRU",
    "GRUCell",
    "LSTM",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "TimeDistributed",
    "Wrapper",
]
