"""Recurrent layers and their wrappers: ``SimpleRNN``, ``LSTM``, ``GRU``, ``ConvLSTM2D``, ``Bidirectional``, ``TimeDistributed``.

Their shared parents are ``base_rnn.BaseRNN`` (states, masks, fused kernel or
per-step loop), ``base_vector_rnn.BaseVectorRNN`` (``units``-sized RNNs) and
``base_wrapper.Wrapper`` (layers wrapping a layer).
"""

from fitorch.layers.recurrent.base_wrapper import Wrapper as Wrapper
from fitorch.layers.recurrent.bidirectional import Bidirectional as Bidirectional
from fitorch.layers.recurrent.conv_lstm2d import ConvLSTM2D as ConvLSTM2D
from fitorch.layers.recurrent.gru import GRU as GRU
from fitorch.layers.recurrent.lstm import LSTM as LSTM
from fitorch.layers.recurrent.simple_rnn import SimpleRNN as SimpleRNN
from fitorch.layers.recurrent.time_distributed import TimeDistributed as TimeDistributed

__all__ = ["Bidirectional", "ConvLSTM2D", "GRU", "LSTM", "SimpleRNN", "TimeDistributed", "Wrapper"]
