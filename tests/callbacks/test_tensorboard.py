"""TensorBoard: Keras' layout and scalar names, written with torch.utils.tensorboard."""

import os

import numpy as np
import pytest

import fitorch
from fitorch.callbacks import TensorBoard

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa: E402


def _events(folder: str) -> EventAccumulator:
    accumulator = EventAccumulator(folder, size_guidance={"histograms": 0, "scalars": 0, "tensors": 0})
    accumulator.Reload()
    return accumulator


def _scalars(events: EventAccumulator, tag: str) -> list[tuple[int, float]]:
    return [(e.step, e.value) for e in events.Scalars(tag)]


def test_epoch_and_batch_scalars_and_histograms(tmp_path) -> None:
    model = fitorch.Sequential([fitorch.layers.Input(shape=(2,)), fitorch.layers.Dense(1)])
    model.compile(fitorch.optimizers.SGD(learning_rate=0.05), "mse", metrics=["mae"])
    board = TensorBoard(tmp_path, histogram_freq=2, update_freq=3, write_steps_per_second=True, write_images=True)
    x, y = np.ones((16, 2), "f"), np.ones((16, 1), "f")
    history = model.fit(x, y, batch_size=4, epochs=3, verbose=0, validation_split=0.25, callbacks=[board])
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train, validation = _events(str(tmp_path / "train")), _events(str(tmp_path / "validation"))
    for name in ("loss", "mae"):
        assert [v for _, v in _scalars(train, f"epoch_{name}")] == pytest.approx(history.history[name])
        assert [v for _, v in _scalars(validation, f"epoch_{name}")] == pytest.approx(history.history[f"val_{name}"])
    assert [v for _, v in _scalars(train, "epoch_learning_rate")] == pytest.approx([0.05] * 3)
    assert len(_scalars(train, "epoch_steps_per_second")) == 3
    # 3 batches per epoch, 9 in all; every 3rd batch is written.
    assert [step for step, _ in _scalars(train, "batch_loss")] == [3, 6, 9]
    # update_freq 'epoch' on validation: evaluation vs optimizer iterations (3 per epoch).
    assert [step for step, _ in _scalars(validation, "evaluation_loss_vs_iterations")] == [3, 6, 9]
    weight, bias = (name.replace(".", "/") for name in model.state_dict())
    assert sorted(train.Tags()["histograms"]) == sorted([f"{weight}/histogram", f"{bias}/histogram"])
    assert [e.step for e in train.Histograms(f"{weight}/histogram")] == [0, 2]
    assert f"{weight}/image" in train.Tags()["images"]
    assert "model_summary/text_summary" in train.Tags()["tensors"]


def test_epoch_mode_does_nothing_per_batch(tmp_path) -> None:
    board = TensorBoard(tmp_path, write_graph=False)
    assert board.update_freq == "epoch"
    board.on_train_batch_end(0, None)  # no logs read, nothing written
    assert not os.listdir(tmp_path) and board.get_state() == {"global_train_batch": 1}


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="update_freq must be 'epoch', 'batch' or an int >= 1"):
        TensorBoard(update_freq=0)
    with pytest.raises(ValueError, match="use torch.profiler"):
        TensorBoard(profile_batch=2)
    assert TensorBoard(update_freq="batch").update_freq == 1
