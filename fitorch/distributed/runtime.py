"""Where this process stands in a ``torchrun`` job, and the process group fitorch starts.

``torchrun`` (and Slurm or MPI launchers that set the same variables) tells each
process its ``RANK``, ``LOCAL_RANK`` and ``WORLD_SIZE`` through the environment.
Nothing here runs at import: the first ``fit``/``evaluate``/``predict`` (or a helper
such as :func:`barrier`) calls :func:`initialize`, which starts the default process
group (NCCL when CUDA is there, gloo otherwise) and binds the process to its local
GPU. A program that already called ``torch.distributed.init_process_group`` keeps
its own group.

Example:
    >>> from fitorch import distributed
    >>> distributed.rank(), distributed.world_size(), distributed.is_main_process()
    (0, 1, True)
"""

from __future__ import annotations

import atexit
import datetime
import gc
import os
import sys
from typing import Any

import torch
import torch.distributed as dist

TIMEOUT_ENV = "FITORCH_DIST_TIMEOUT"  # seconds a collective may wait for a peer


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    try:
        return int(value) if value is not None else default
    except ValueError:
        raise ValueError(f"The environment variable {name} must be an integer; received {value!r}.") from None


def _initialized() -> bool:
    return dist.is_available() and dist.is_initialized()


def world_size() -> int:
    """How many processes train together (1 outside a distributed launch)."""
    return dist.get_world_size() if _initialized() else _env_int("WORLD_SIZE", 1)


def rank() -> int:
    """This process's global rank, from 0 to ``world_size() - 1``."""
    return dist.get_rank() if _initialized() else _env_int("RANK", 0)


def local_rank() -> int:
    """This process's rank on its own node (its GPU index under ``torchrun``)."""
    return _env_int("LOCAL_RANK", 0)


def is_main_process() -> bool:
    """True on rank 0: the process that prints progress and writes files."""
    return rank() == 0


def is_distributed() -> bool:
    """True when more than one process takes part (launched by ``torchrun`` or similar)."""
    return world_size() > 1


def in_process_group() -> bool:
    """True when a process group of several ranks is active: collectives can run now.

    ``is_distributed()`` is already true before the first ``fit`` starts the group, and
    stays true under ``compile(distribute=None)``, which never starts one.
    """
    return _initialized() and dist.get_world_size() > 1


def local_device() -> torch.device | None:
    """The GPU this rank owns under a distributed launch (``cuda:LOCAL_RANK``); ``None`` otherwise."""
    if "LOCAL_RANK" in os.environ and torch.cuda.is_available():
        return torch.device("cuda", local_rank() % torch.cuda.device_count())
    return None


def timeout() -> datetime.timedelta | None:
    """How long a collective waits for a missing peer: ``FITORCH_DIST_TIMEOUT`` seconds, else torch's default."""
    seconds = os.environ.get(TIMEOUT_ENV)
    if seconds is None:
        return None
    try:
        return datetime.timedelta(seconds=float(seconds))
    except ValueError:
        raise ValueError(f"{TIMEOUT_ENV} must be a number of seconds; received {seconds!r}.") from None


def initialize(backend: str | None = None) -> bool:
    """Starts the default process group when this is a distributed launch; idempotent.

    Args:
        backend: ``'nccl'``, ``'gloo'``, ...; defaults to NCCL when CUDA is available,
            else gloo.

    Returns:
        True when a process group (fitorch's or the program's own) is active.

    Raises:
        RuntimeError: if ``torch.distributed`` is missing from this torch build.
    """
    if _initialized():
        return True
    if _env_int("WORLD_SIZE", 1) <= 1:
        return False
    if not dist.is_available():
        raise RuntimeError("WORLD_SIZE > 1, but this torch build has no torch.distributed.")
    device = local_device()
    if device is not None:
        torch.cuda.set_device(device)
    if backend is None:
        backend = "nccl" if device is not None else "gloo"
    wait = timeout()
    options: dict[str, Any] = {"timeout": wait} if wait is not None else {}
    if device is not None and backend == "nccl":
        options["device_id"] = device  # binds NCCL to this GPU up front
    store = _restart_store(wait)
    if store is not None:
        options.update(store=store, rank=rank(), world_size=world_size())
    dist.init_process_group(backend=backend, **options)
    # Tear the group down before the interpreter does: left to interpreter shutdown, a
    # gloo worker thread can be destroyed while running, and the process then aborts
    # ("terminate called without an active exception", exit -6) after finishing its work.
    atexit.register(_destroy_process_group)
    return True


def _destroy_process_group() -> None:
    if _initialized():
        # Models dropped by the program may still sit in reference cycles (a layer and its
        # graph nodes) holding their DDP wrappers, which hold the group: free them first, so
        # the group's threads are joined here rather than during interpreter shutdown.
        gc.collect()
        dist.destroy_process_group()


def _restart_store(wait: datetime.timedelta | None) -> Any:
    """The torchrun agent's store, with keys of their own for each restart of the job.

    After ``torchrun --max-restarts`` restarts the workers, torch 2.13's ``env://``
    set-up reuses the agent's store, where the killed attempt's gloo addresses are
    still listed; a new rank could read one and fail with "Connection refused". A
    prefix per attempt keeps each attempt's keys apart. ``None`` outside torchrun.
    """
    attempt = os.environ.get("TORCHELASTIC_RESTART_COUNT")
    if os.environ.get("TORCHELASTIC_USE_AGENT_STORE") != "True" or attempt is None:
        return None
    client = dist.TCPStore(
        os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]), world_size(), is_master=False,
        timeout=wait or datetime.timedelta(minutes=30),
    )  # fmt: skip
    return dist.PrefixStore(f"fitorch/attempt_{attempt}", client)


def barrier() -> None:
    """Waits until every process reaches this point; a no-op in a single process."""
    if initialize():
        dist.barrier()


def is_fully_sharded(module: Any) -> bool:
    """True for a module FSDP2's ``fully_shard`` has sharded (without importing FSDP otherwise)."""
    fsdp = sys.modules.get("torch.distributed.fsdp")
    return fsdp is not None and isinstance(module, fsdp.FSDPModule)


def original_class(module: Any) -> type:
    """The class of ``module`` before ``fully_shard`` swapped in its ``FSDP<Name>`` subclass."""
    cls = type(module)
    fsdp = sys.modules.get("torch.distributed.fsdp")
    if fsdp is None or not issubclass(cls, fsdp.FSDPModule):
        return cls
    return next(base for base in cls.__bases__ if not issubclass(base, fsdp.FSDPModule))


def full_state_dict(module: Any) -> dict[str, Any]:
    """``module.state_dict()``; for an FSDP-sharded model the whole one, gathered on rank 0.

    Gathering is a collective: every rank calls it; the ranks other than 0 get ``{}``.
    """
    if not is_fully_sharded(module):
        return module.state_dict()
    from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict

    return get_model_state_dict(module, options=StateDictOptions(full_state_dict=True, cpu_offload=True))


def wait_for_writer(model: Any) -> None:
    """After a save of an FSDP model (which every rank calls), waits until rank 0 has written.

    Other ranks can then read the file at once. DDP saves are not collective (a script
    may save from rank 0 alone), so they do not wait; use :func:`barrier` there.
    """
    if is_fully_sharded(model):
        barrier()


def load_full_state_dict(module: Any, state: dict[str, Any]) -> None:
    """``module.load_state_dict(state)`` for a full state; an FSDP model takes its shards of it.

    Every rank calls it with the same full ``state`` (read from the same file).
    """
    if not is_fully_sharded(module):
        module.load_state_dict(state)
        return
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_model_state_dict

    set_model_state_dict(module, state, options=StateDictOptions(full_state_dict=True))


def full_optimizer_state_dict(module: Any, optimizer: Any) -> dict[str, Any]:
    """An FSDP model's optimizer state, gathered whole on rank 0 and keyed by parameter name.

    A collective: every rank calls it; the ranks other than 0 get ``{}``.
    """
    from torch.distributed.checkpoint.state_dict import StateDictOptions, get_optimizer_state_dict

    options = StateDictOptions(full_state_dict=True, cpu_offload=True)
    return get_optimizer_state_dict(module, optimizer, options=options)


def load_full_optimizer_state_dict(module: Any, optimizer: Any, state: dict[str, Any]) -> None:
    """Loads a full optimizer state keyed by parameter name into an FSDP model's optimizer shards."""
    from torch.distributed.checkpoint.state_dict import StateDictOptions, set_optimizer_state_dict

    set_optimizer_state_dict(module, optimizer, state, options=StateDictOptions(full_state_dict=True))
