"""Guards around rebuilding a model from a file: bounded allocation and no side effects.

Rebuilding runs constructors (``Dense(**config)``, ``build``, the graph's symbolic
calls). Two guards make that safe whatever the config says:

* :class:`AllocationBudget` (always on) sizes every tensor-creating torch call on
  the ``meta`` device first and refuses it once the total passes a budget set from
  the file's real size, so a config declaring ``Dense(units=10**12)`` is refused
  before any memory is allocated.
* :func:`no_side_effects` (``safe_mode=True``) uses a Python audit hook to refuse,
  while file-named objects are being constructed, what no constructor of a layer
  needs: running a shell command or process, opening a network connection,
  unpickling, writing, renaming or deleting files, and reading files, unmarshalling,
  compiling or running code anywhere but inside Python's import system. A lazily
  imported torch module is read and run by the import system, which a file cannot
  steer (fitorch never imports a name a file gives); a layer reading
  ``local_settings.py`` is not the import system. This keeps fitorch's own APIs (or
  a future layer that reads a vocabulary file) from being turned against the user by
  a config, the pattern of CVE-2025-8747, CVE-2025-9906 and CVE-2025-12058.

The audit hook is added the first time a safe-mode load runs, never when fitorch is
imported or a model is saved. Python cannot remove an audit hook once added (PEP 578),
so it stays for the rest of the process, switched off: whether it refuses anything is a
``contextvars.ContextVar`` set only while a load runs, in the thread (or task) running
it. Outside a load, and in every other thread, the hook returns after reading that
variable.
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import threading
from collections.abc import Iterator
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from fitorch.saving.errors import UnsafeModelError, quote


class AllocationBudget(TorchFunctionMode):
    """Refuses tensor creation past ``budget`` bytes in total (``meta`` tensors are free).

    Args:
        budget: the most bytes that tensor-creating calls may request.
        what: what is being loaded, for the message.
    """

    def __init__(self, budget: int, what: str) -> None:
        super().__init__()
        self.budget = budget
        self.used = 0
        self.what = what

    def __torch_function__(self, func: Any, types: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
        kwargs = kwargs or {}
        if func in _CONSTRUCTORS and not _on_meta(kwargs.get("device")):
            probe_kwargs = {k: v for k, v in kwargs.items() if k not in ("pin_memory", "out")}
            probe_kwargs["device"] = "meta"
            try:
                probe = func(*args, **probe_kwargs)
            except Exception:
                probe = None  # let the real call raise its own error
            if isinstance(probe, torch.Tensor):
                self.used += probe.numel() * probe.element_size()
                if self.used > self.budget:
                    raise UnsafeModelError(
                        f"Rebuilding {self.what} would allocate more than {self.budget} bytes for tensors, far more "
                        f"than the weights the file holds: {func.__name__}{_shape_text(probe)} was refused. The "
                        "config declares sizes its weights do not back (a resource bomb)."
                    )
        return func(*args, **kwargs)


# The torch functions that create a tensor from sizes or data and take ``device=``: the
# same set as torch's private ``torch.utils._device._device_constructors`` (which the
# ``torch.device`` context manager uses), written out from public names. A test compares
# the two, so a torch release that adds a constructor fails it.
_CONSTRUCTORS = frozenset(
    {
        torch.empty, torch.empty_permuted, torch.empty_strided, torch.empty_quantized, torch.zeros, torch.ones,
        torch.full, torch.eye, torch.arange, torch.range, torch.linspace, torch.logspace,
        torch.rand, torch.randn, torch.randint, torch.randperm,
        torch.tensor, torch.as_tensor, torch.asarray, torch.scalar_tensor,
        torch.bartlett_window, torch.blackman_window, torch.hamming_window, torch.hann_window, torch.kaiser_window,
        torch.fft.fftfreq, torch.fft.rfftfreq, torch.nested.nested_tensor, torch.tril_indices, torch.triu_indices,
        torch.sparse_coo_tensor, torch.sparse_compressed_tensor, torch.sparse_csr_tensor, torch.sparse_csc_tensor,
        torch.sparse_bsr_tensor, torch.sparse_bsc_tensor,
    }
)  # fmt: skip


def _on_meta(device: Any) -> bool:
    return (
        device is not None and torch.device(device).type == "meta" if isinstance(device, (str, torch.device)) else False
    )


def _shape_text(tensor: torch.Tensor) -> str:
    return f"(shape {tuple(tensor.shape)}, {tensor.dtype})"


# ---------------------------------------------------------------------- side effects
# The refusals of the load running in this context; None (the default, and every new thread's) means off.
_active: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("fitorch_load_guard", default=None)
_installed = False  # whether the hook was added; it cannot be taken out again
_install_lock = threading.Lock()

# Audit events no layer constructor needs; any of them while a model is rebuilt is an attack.
_REFUSED_EVENTS = frozenset(
    {
        "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.startfile", "pty.spawn",
        "subprocess.Popen", "ctypes.dlopen", "ctypes.dlsym", "ctypes.call_function",
        "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
        "socket.sendmsg", "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect",
        "webbrowser.open",
        "os.remove", "os.rmdir", "os.rename", "os.mkdir", "os.symlink", "os.link", "os.chmod", "os.chown",
        "os.truncate", "os.utime", "os.putenv", "os.unsetenv", "os.chdir", "os.chflags", "os.lchflags",
        "shutil.rmtree", "shutil.copyfile", "shutil.copymode", "shutil.copystat", "shutil.move",
        "shutil.make_archive", "shutil.unpack_archive", "tempfile.mkstemp", "tempfile.mkdtemp",
        "pickle.find_class", "code.__new__", "function.__new__",
        "sys.setprofile", "sys.settrace", "sys.addaudithook",
    }
)  # fmt: skip
# Code running inside Python's import system: a module being found, read, unmarshalled and
# executed. A lazily imported torch module (``torch._dynamo``, first needed when an
# optimizer is built) does all of that; a file cannot choose what is imported, since
# fitorch never imports names a file gives, so this is never the file's doing.
_IMPORT_SYSTEM = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")
# What the import system does to load modules; outside it, each is refused.
_IMPORT_EVENTS = frozenset({"open", "compile", "exec", "marshal.loads", "marshal.load"})


def _inside_import_system() -> bool:
    """Whether the code that raised the current audit event runs under Python's import machinery."""
    frame = sys._getframe(2)  # 0: this function, 1: the audit hook, 2: what raised the event
    while frame is not None:
        if frame.f_code.co_filename in _IMPORT_SYSTEM:
            return True
        frame = frame.f_back
    return False


def _opens_for_writing(args: tuple) -> bool:
    mode = args[1] if len(args) > 1 else None
    flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
    return (mode is not None and any(flag in str(mode) for flag in "wax+")) or bool(flags & 0o3)  # O_WRONLY|O_RDWR


def _describe(event: str, args: tuple) -> str:
    if event == "open":
        return f"open({quote(args[0])}, {args[1]!r})"
    if event == "compile":
        filename = args[1] if len(args) > 1 else None
        return f"compile(source, filename={quote(filename)})"
    if event == "exec":
        return f"exec(code from {quote(getattr(args[0], 'co_filename', '?') if args else '?')})"
    return f"{event}{quote(args)[:160]}"


def _refusal(event: str, args: tuple) -> str | None:
    """Why ``event`` is refused during a guarded load, or ``None`` when it is harmless."""
    if event in _REFUSED_EVENTS:
        return _describe(event, args)
    if event not in _IMPORT_EVENTS:
        return None
    if event == "open" and (isinstance(args[0], int) or args[0] is None):
        return None  # an already-open descriptor
    if event == "open" and _opens_for_writing(args):
        return _describe(event, args)
    # Reading a file, unmarshalling or compiling and running code: only the import system may.
    return None if _inside_import_system() else _describe(event, args)


def _import_what_loading_needs() -> None:
    """Imports, before the first guarded load, the torch modules that loading itself pulls in lazily.

    Tracing a layer on the ``meta`` device runs torch decompositions whose first call
    imports ``torch._dynamo``, and importing it probes the temp folder by creating a
    file: a write, which the guard refuses even inside the import system. Importing it
    here, outside the guard, costs the ~1 s that the first ``fit`` would pay anyway.
    """
    import tempfile

    import torch._dynamo  # noqa: F401

    tempfile.gettempdir()


def _audit_hook(event: str, args: tuple) -> None:
    refused = _active.get()
    if refused is None:  # no load runs in this context: the cost of the hook outside loads
        return
    reason = _refusal(event, args)
    if reason is not None:
        refused.append(reason)
        raise UnsafeModelError(
            f"While rebuilding a model from a file, something tried to run {reason}. Loading may only construct "
            "layers; it never runs commands, opens connections, runs code or touches other files. The file was "
            "refused. If you trust it completely, load_model(..., safe_mode=False) lifts this guard."
        )


def _install() -> None:
    """Adds the audit hook once per process, at the first guarded load (two threads loading at once add it once)."""
    global _installed
    with _install_lock:
        if not _installed:
            _import_what_loading_needs()
            sys.addaudithook(_audit_hook)
            _installed = True


@contextlib.contextmanager
def no_side_effects() -> Iterator[list[str]]:
    """Refuses side effects (see the module docstring) in this thread while the block runs.

    Yields:
        The list of refused actions; the caller treats a non-empty list as a refusal
        even when the code that tried them swallowed the error.
    """
    _install()
    refused: list[str] = []
    token = _active.set(refused)
    try:
        yield refused
    finally:
        _active.reset(token)


def guarded(safe_mode: bool) -> contextlib.AbstractContextManager[list[str]]:
    """:func:`no_side_effects` in safe mode; a no-op otherwise."""
    return no_side_effects() if safe_mode else contextlib.nullcontext([])


def raise_if_refused(refused: list[str]) -> None:
    """Refuses the file when the guard stopped something, even if the code that tried it swallowed the error."""
    if refused:
        raise UnsafeModelError(
            f"While rebuilding the model, something tried to run {refused[0]}; the file was refused."
        )
