"""ModelCheckpoint: file templates, best-only saving, batch frequency (Keras' counting), weights only."""

import os

import keras
import numpy as np
import pytest
import torch

import fitorch
from fitorch.callbacks import ModelCheckpoint


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(24, 3)).astype("f"), rng.normal(size=(24, 1)).astype("f")


def _model() -> fitorch.Model:
    model = fitorch.Sequential([fitorch.layers.Input(shape=(3,)), fitorch.layers.Dense(1)])
    model.compile(fitorch.optimizers.SGD(learning_rate=0.05), "mse")
    return model


def test_epoch_template_with_logs(tmp_path) -> None:
    x, y = _data()
    model = _model()
    template = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.fitorch")
    history = model.fit(x, y, epochs=3, batch_size=8, verbose=0, validation_split=0.25,
                        callbacks=[ModelCheckpoint(template)])  # fmt: skip
    expected = [f"ckpt-{e + 1:02d}-{v:.2f}.fitorch" for e, v in enumerate(history.history["val_loss"])]
    assert sorted(os.listdir(tmp_path)) == sorted(expected)
    restored = fitorch.saving.load_model(str(tmp_path / expected[-1]))
    for name, tensor in model.state_dict().items():
        assert torch.equal(restored.state_dict()[name], tensor)


def test_save_best_only_keeps_the_best_weights(tmp_path) -> None:
    x, y = _data()
    model = _model()
    path = str(tmp_path / "best.safetensors")
    snapshots = []
    record = fitorch.callbacks.LambdaCallback(
        on_epoch_end=lambda e, logs: snapshots.append({k: v.clone() for k, v in model.state_dict().items()})
    )
    # Validating against flipped targets: val_loss gets worse as training fits the real ones.
    checkpoint = ModelCheckpoint(path, save_best_only=True, save_weights_only=True, verbose=1)
    history = model.fit(x, y, epochs=6, batch_size=8, verbose=0, validation_data=(x, -y),
                        callbacks=[record, checkpoint])  # fmt: skip
    best = int(np.argmin(history.history["val_loss"]))
    assert checkpoint.best == history.history["val_loss"][best]
    model.load_weights(path)  # the last epoch's weights are replaced by the best epoch's
    for name, tensor in snapshots[best].items():
        assert torch.equal(model.state_dict()[name], tensor)


def test_max_mode_and_initial_value_threshold(tmp_path) -> None:
    checkpoint = ModelCheckpoint(str(tmp_path / "m.fitorch"), monitor="val_acc", mode="max", save_best_only=True,
                                 initial_value_threshold=0.5)  # fmt: skip
    checkpoint._set_monitor_op()
    assert not checkpoint._should_save_model(0, {"val_acc": 0.4}, "m")
    assert checkpoint._should_save_model(1, {"val_acc": 0.6}, "m") and checkpoint.best == 0.6
    with pytest.warns(UserWarning, match="Can save best model only with val_acc available"):
        assert checkpoint._should_save_model(2, {}, "m")


@pytest.mark.parametrize("save_freq", [1, 2, 5, 7])
def test_batch_counting_matches_keras(save_freq) -> None:
    ours = ModelCheckpoint("x.fitorch", save_freq=save_freq)
    theirs = keras.callbacks.ModelCheckpoint("x.keras", save_freq=save_freq)
    # Three epochs of 4 batches, then a resumed epoch that starts at batch 2.
    batches = [0, 1, 2, 3] * 3 + [2, 3]
    assert [ours._should_save_on_batch(b) for b in batches] == [theirs._should_save_on_batch(b) for b in batches]


def test_save_every_n_batches_names_the_batch(tmp_path) -> None:
    x, y = _data()
    model = _model()
    template = str(tmp_path / "e{epoch}-b{batch}.safetensors")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False,
              callbacks=[ModelCheckpoint(template, save_freq=2, save_weights_only=True)])  # fmt: skip
    # 3 batches per epoch; every 2nd batch overall: epoch 1 batch 2, epoch 2 batches 1 and 3.
    assert sorted(os.listdir(tmp_path)) == ["e1-b2.safetensors", "e2-b1.safetensors", "e2-b3.safetensors"]


def test_errors_teach(tmp_path) -> None:
    with pytest.raises(ValueError, match="Unrecognized save_freq"):
        ModelCheckpoint("x.fitorch", save_freq="batch")
    checkpoint = ModelCheckpoint(str(tmp_path / "{missing}.fitorch"))
    with pytest.raises(KeyError, match="Failed to format this callback filepath.*Available keys: epoch, batch, loss"):
        checkpoint._get_file_path(0, None, {"loss": 1.0})
    directory = ModelCheckpoint(str(tmp_path))
    directory.set_model(_model())
    with pytest.raises(OSError, match="non-directory filepath"):
        directory._save_model(0, None, {})


def test_state_round_trips() -> None:
    checkpoint = ModelCheckpoint("x.fitorch", save_freq=3, monitor="loss", mode="min", save_best_only=True)
    for batch in range(4):
        checkpoint._should_save_on_batch(batch)
    checkpoint.best = 0.25
    state = checkpoint.get_state()
    assert state == {"best": 0.25, "batches_seen_since_last_saving": 1, "last_batch_seen": 3, "current_epoch": 0}
    resumed = ModelCheckpoint("x.fitorch", save_freq=3, monitor="loss", mode="min", save_best_only=True)
    resumed.set_state(state)
    resumed.on_train_begin()
    assert resumed.get_state() == state
