"""The safe-mode guard acts only inside a load: added lazily, off everywhere else, per thread."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import torch

import fitorch
from fitorch import layers
from fitorch.saving import UnsafeModelError, guard, load_model, register_serializable

_COUNT_HOOKS = textwrap.dedent(
    """
    import sys
    added = []
    sys.addaudithook(lambda event, args: added.append(event) if event == "sys.addaudithook" else None)

    import os, tempfile
    import fitorch
    from fitorch import layers
    from fitorch.saving import guard

    model = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    path = os.path.join(tempfile.mkdtemp(), "m.fitorch")
    model.save(path)
    model.save_weights(path + ".safetensors")
    print("after import and save:", len(added), guard._installed)
    fitorch.load_model(path, safe_mode=False)
    print("after an unsafe load:", len(added), guard._installed)
    fitorch.load_model(path)
    fitorch.load_model(path)
    print("after two safe loads:", len(added), guard._installed)
    """
)


def test_importing_and_saving_add_no_audit_hook_and_loading_adds_one():
    """Every hook a process adds raises the ``sys.addaudithook`` audit event in the hooks already there."""
    result = subprocess.run([sys.executable, "-c", _COUNT_HOOKS], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        "after import and save: 0 False",
        "after an unsafe load: 0 False",
        "after two safe loads: 1 True",
    ]


def test_outside_a_load_the_hook_refuses_nothing():
    assert guard._audit_hook("os.system", ("rm -rf /",)) is None  # the variable says off: it returns at once
    with guard.no_side_effects() as refused:
        try:
            guard._audit_hook("os.system", ("rm -rf /",))
        except UnsafeModelError as error:
            assert "os.system" in str(error)
        else:
            raise AssertionError("the guard let os.system through during a load")
    assert refused == ["os.system('rm -rf /',)"]
    assert guard._audit_hook("os.system", ("rm -rf /",)) is None


_GATE = {"loading": threading.Event(), "done": threading.Event()}


@register_serializable(package="guard_scope")
class Gate(layers.Layer):
    """A layer whose constructor, run under the guard while loading, waits for another thread's file I/O."""

    def __init__(self, wait: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.wait = wait
        if wait:
            _GATE["loading"].set()
            assert _GATE["done"].wait(timeout=60), "the other thread never finished its file I/O"

    def call(self, x):
        return x

    def get_config(self):
        return {**super().get_config(), "wait": True}


def test_a_thread_doing_file_io_while_another_loads_is_not_refused(tmp_path):
    inputs = layers.Input(shape=(2,))
    model = fitorch.Model(inputs, Gate(name="gate")(inputs))
    path = tmp_path / "gated.fitorch"
    model.save(path)
    _GATE["loading"].clear()
    _GATE["done"].clear()
    outcome: dict[str, object] = {}

    def load() -> None:
        try:
            outcome["model"] = load_model(path)
        except Exception as error:  # reported by the assertions below
            outcome["load_error"] = error

    def file_io() -> None:
        try:
            assert _GATE["loading"].wait(timeout=60), "the load never reached the guarded constructor"
            outcome["guard_on_in_loader"] = True
            written = tmp_path / "other.txt"
            written.write_text("written while another thread loads")
            written.rename(tmp_path / "renamed.txt")
            outcome["read"] = (tmp_path / "renamed.txt").read_text()
            torch.save(torch.ones(2), tmp_path / "t.pt")  # a pickle write: refused only inside a load
        except Exception as error:
            outcome["io_error"] = error
        finally:
            _GATE["done"].set()

    threads = [threading.Thread(target=load), threading.Thread(target=file_io)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert "io_error" not in outcome, outcome.get("io_error")
    assert "load_error" not in outcome, outcome.get("load_error")
    assert outcome["read"] == "written while another thread loads"
    assert isinstance(outcome["model"], fitorch.Model)
    assert guard._active.get() is None


def test_the_constructor_list_matches_torchs_own_for_this_torch_version():
    """fitorch lists torch's tensor constructors from public names; a torch upgrade that adds one fails here."""
    from torch.utils._device import _device_constructors  # the private list, read only by this test

    assert guard._CONSTRUCTORS == frozenset(_device_constructors()), (
        f"torch {torch.__version__} changed its tensor constructors: "
        f"missing {sorted(f.__name__ for f in frozenset(_device_constructors()) - guard._CONSTRUCTORS)}, "
        f"extra {sorted(f.__name__ for f in guard._CONSTRUCTORS - frozenset(_device_constructors()))}. "
        "Update fitorch.saving.guard._CONSTRUCTORS."
    )
