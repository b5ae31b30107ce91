"""``TensorBoard``: log scalars, weight histograms and the model summary for TensorBoard."""

from __future__ import annotations

import os
import time
from typing import Any

import torch

from fitorch.callbacks.callback import Callback, Logs
from fitorch.callbacks.learning_rate_scheduler import get_learning_rate
from fitorch.training.logs import read_logs

MISSING_TENSORBOARD = (
    "The TensorBoard callback needs the `tensorboard` package (torch.utils.tensorboard writes its "
    "event files): pip install 'fitorch[tensorboard]'."
)


class TensorBoard(Callback):
    """Writes TensorBoard event files with ``torch.utils.tensorboard``, in Keras' layout.

    Training scalars go to ``log_dir/train`` and validation scalars to
    ``log_dir/validation``, named as Keras names them: ``epoch_loss``,
    ``epoch_accuracy``, ``epoch_learning_rate`` per epoch and, with ``update_freq``,
    ``batch_loss``... per training batch. Run ``tensorboard --logdir logs`` to view.

    Per-batch logging reads the logs (one device read) only on the batches it writes;
    with the default ``update_freq='epoch'`` nothing happens per batch.

    Args:
        log_dir: the folder of the event files. Defaults to ``'logs'``.
        histogram_freq: every how many epochs to write a histogram of every weight
            (0 for never). Defaults to 0.
        write_graph: write the model summary (as text) once. Defaults to ``True``.
        write_images: with ``histogram_freq``, also write 1-D and 2-D weights as
            images. Defaults to ``False``.
        write_steps_per_second: log training steps per second each epoch.
            Defaults to ``False``.
        update_freq: ``'epoch'``, ``'batch'``, or an int N: write batch scalars
            every N training batches. Defaults to ``'epoch'``.
        profile_batch: accepted for Keras compatibility; must be 0 (use
            ``torch.profiler`` to profile).
        embeddings_freq: accepted for Keras compatibility; must be 0.
        embeddings_metadata: accepted for Keras compatibility; must be ``None``.

    Raises:
        ImportError: when ``tensorboard`` is not installed.

    Example:
        >>> import os, tempfile, numpy as np, fitorch
        >>> log_dir = tempfile.mkdtemp()
        >>> model = fitorch.Sequential([fitorch.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> board = TensorBoard(log_dir, histogram_freq=1, update_freq=2)
        >>> _ = model.fit(np.ones((8, 2)), np.ones((8, 1)), batch_size=2, epochs=2, verbose=0,
        ...               validation_split=0.25, callbacks=[board])
        >>> sorted(os.listdir(log_dir))
        ['train', 'validation']
    """

    may_stop_mid_epoch = False  # its batch hooks never stop training

    main_process_only = True  # in a distributed run, rank 0 alone writes the file

    def __init__(
        self,
        log_dir: str | os.PathLike[str] = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: str | int = "epoch",
        profile_batch: int = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: Any = None,
    ) -> None:
        super().__init__()
        try:
            from torch.utils.tensorboard import SummaryWriter
        except ImportError as error:  # pragma: no cover - depends on the environment
            raise ImportError(MISSING_TENSORBOARD) from error
        if update_freq not in ("epoch", "batch") and (
            isinstance(update_freq, bool) or not isinstance(update_freq, int) or update_freq < 1
        ):
            raise ValueError(f"TensorBoard: update_freq must be 'epoch', 'batch' or an int >= 1; received {update_freq!r}.")
        if profile_batch or embeddings_freq or embeddings_metadata is not None:
            raise ValueError(
                "TensorBoard: profile_batch, embeddings_freq and embeddings_metadata are not supported; "
                "use torch.profiler for profiling."
            )
        self._summary_writer = SummaryWriter
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self._writers: dict[str, Any] = {}
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._epoch_start_time = 0.0
        self._epoch_start_batch = 0
        self._restored = False

    def _writer(self, kind: str) -> Any:
        if kind not in self._writers:
            folder = "train" if kind == "train" else "validation"
            self._writers[kind] = self._summary_writer(log_dir=os.path.join(self.log_dir, folder))
        return self._writers[kind]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # ------------------------------------------------------------------ hooks
    def on_train_begin(self, logs: Logs = None) -> None:
        if not self._restored:
            self._global_train_batch = 0
        self._restored = False
        if self.write_graph:
            lines: list[str] = []
            self.model.summary(print_fn=lines.append)
            self._writer("train").add_text("model_summary", "```\n" + "\n".join(lines) + "\n```", 0)

    def on_train_end(self, logs: Logs = None) -> None:
        self._close_writers()

    def on_epoch_begin(self, epoch: int, logs: Logs = None) -> None:
        self._epoch_start_time = time.perf_counter()
        self._epoch_start_batch = self._global_train_batch

    def on_train_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._global_train_batch += 1
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        writer = self._writer("train")
        for name, value in read_logs(logs).items():
            writer.add_scalar(f"batch_{name}", value, self._global_train_batch)

    def on_test_begin(self, logs: Logs = None) -> None:
        self._global_test_batch = 0

    def on_test_batch_end(self, batch: int, logs: Logs = None) -> None:
        self._global_test_batch += 1

    def on_test_end(self, logs: Logs = None) -> None:
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        if iterations is None or not logs:
            return
        writer = self._writer("validation")
        for name, value in dict(logs).items():
            writer.add_scalar(f"evaluation_{name}_vs_iterations", value, iterations)

    def on_epoch_end(self, epoch: int, logs: Logs = None) -> None:
        logs = dict(logs or {})
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k.removeprefix("val_"): v for k, v in logs.items() if k.startswith("val_")}
        if getattr(self.model, "optimizer", None) is not None and "learning_rate" not in train_logs:
            train_logs["learning_rate"] = get_learning_rate(self.model.optimizer)
        if self.write_steps_per_second:
            elapsed = max(time.perf_counter() - self._epoch_start_time, 1e-9)
            train_logs["steps_per_second"] = (self._global_train_batch - self._epoch_start_batch) / elapsed
        for kind, values in (("train", train_logs), ("validation", val_logs)):
            if values:
                writer = self._writer(kind)
                for name, value in values.items():
                    writer.add_scalar(f"epoch_{name}", value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        for writer in self._writers.values():
            writer.flush()

    @torch.no_grad()
    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for name, weight in self.model.state_dict().items():
            if not weight.is_floating_point() or weight.numel() == 0:
                continue
            tag = name.replace(".", "/")
            values = weight.detach().float().cpu()
            writer.add_histogram(f"{tag}/histogram", values, epoch)
            if self.write_images and values.dim() in (1, 2):
                image = values.reshape(1, -1) if values.dim() == 1 else values
                low, high = image.min(), image.max()
                image = (image - low) / (high - low) if high > low else torch.zeros_like(image)
                writer.add_image(f"{tag}/image", image, epoch, dataformats="HW")

    # ------------------------------------------------------------------ resume
    def get_state(self) -> dict[str, Any]:
        """The global training batch counter (the step of batch scalars)."""
        return {"global_train_batch": self._global_train_batch}

    def set_state(self, state: dict[str, Any]) -> None:
        self._global_train_batch = int(state["global_train_batch"])
        self._restored = True
