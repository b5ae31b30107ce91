"""Keras callbacks: ``fitorch.callbacks.History``, ``ProgbarLogger``, custom ``Callback``s."""

from fitorch.callbacks.callback import Callback as Callback
from fitorch.callbacks.callback_list import CallbackList as CallbackList
from fitorch.callbacks.history import History as History
from fitorch.callbacks.progbar_logger import ProgbarLogger as ProgbarLogger

__all__ = ["Callback", "CallbackList", "History", "ProgbarLogger"]
