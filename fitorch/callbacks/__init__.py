"""Keras callbacks: hooks into ``fit``, ``evaluate`` and ``predict``.

``fitorch.callbacks.EarlyStopping``, ``ModelCheckpoint``, ``ReduceLROnPlateau``,
``LearningRateScheduler``, ``CSVLogger``, ``TerminateOnNaN``, ``LambdaCallback``,
``TensorBoard`` (the ``tensorboard`` extra), ``BackupAndRestore`` (exact resume after a
crash), ``History``, ``ProgbarLogger`` and the
``Callback`` base class for your own.
"""

from fitorch.callbacks.backup_and_restore import BackupAndRestore as BackupAndRestore
from fitorch.callbacks.callback import Callback as Callback
from fitorch.callbacks.callback_list import CallbackList as CallbackList
from fitorch.callbacks.csv_logger import CSVLogger as CSVLogger
from fitorch.callbacks.early_stopping import EarlyStopping as EarlyStopping
from fitorch.callbacks.history import History as History
from fitorch.callbacks.lambda_callback import LambdaCallback as LambdaCallback
from fitorch.callbacks.learning_rate_scheduler import LearningRateScheduler as LearningRateScheduler
from fitorch.callbacks.model_checkpoint import ModelCheckpoint as ModelCheckpoint
from fitorch.callbacks.monitor_callback import MonitorCallback as MonitorCallback
from fitorch.callbacks.progbar_logger import ProgbarLogger as ProgbarLogger
from fitorch.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau as ReduceLROnPlateau
from fitorch.callbacks.tensorboard import TensorBoard as TensorBoard
from fitorch.callbacks.terminate_on_nan import TerminateOnNaN as TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "MonitorCallback",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TensorBoard",
    "TerminateOnNaN",
]
