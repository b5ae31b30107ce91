"""Peak anonymous memory of loading a ``.fitorch`` model, against a hand-written safetensors load.

    python benchmarks/load_memory.py --mib 256 --rounds 3

A ``Sequential`` of ``Dense`` layers holding about ``--mib`` MiB of float32 weights is saved
once with ``model.save("m.fitorch")`` and once as a plain safetensors file. Each round starts
two fresh processes, interleaved (the order alternates): one runs ``fitorch.saving.load_model``
on the ``.fitorch`` file, the other what a PyTorch user writes: build the same model, then
``model.load_state_dict(safetensors.torch.load_file(path))`` (which memory-maps the file).
A thread samples ``RssAnon`` in ``/proc/self/status`` (memory the process owns, not the page
cache that a mapped file occupies) every millisecond; the reported number is its peak above
the level before loading, and the ratio is fitorch's over the hand load's (median of rounds).
The wall time of the load itself is reported the same way; both children import fitorch,
``safetensors`` and ``torch._dynamo`` (which fitorch's first guarded load imports) before
the clock starts. Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

UNITS = 2048
_CHILD = r"""
import json, sys, threading, time
import torch

def anon_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])

# Imported before the baseline sample: their own memory and time are not the load's. The first
# guarded load in a process imports torch._dynamo (see fitorch/saving/guard.py), as a first fit would.
import fitorch, safetensors.torch, torch._dynamo
from fitorch import layers

kind, path, depth, units = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
peak, done = [0], threading.Event()

def sample():
    while not done.is_set():
        peak[0] = max(peak[0], anon_kib())
        time.sleep(0.001)

before = anon_kib()
thread = threading.Thread(target=sample, daemon=True)
thread.start()
start = time.perf_counter()
if kind == "fitorch":
    model = fitorch.saving.load_model(path)
else:
    model = fitorch.Sequential([layers.Input(shape=(units,))] + [layers.Dense(units) for _ in range(depth)])
    model.load_state_dict(safetensors.torch.load_file(path))
seconds = time.perf_counter() - start
done.set()
thread.join()
peak[0] = max(peak[0], anon_kib())
print(json.dumps({"peak_mib": (peak[0] - before) / 1024, "seconds": seconds}))
"""


def _run(kind: str, path: str, depth: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, path, str(depth), str(UNITS)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=256, help="weights to load, in MiB (float32)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import safetensors.torch

    import fitorch
    from fitorch import layers

    depth = max(1, round(args.mib * 2**20 / (4 * UNITS * (UNITS + 1))))
    model = fitorch.Sequential([layers.Input(shape=(UNITS,))] + [layers.Dense(UNITS) for _ in range(depth)])
    folder = tempfile.mkdtemp(prefix="fitorch-load-memory-")
    paths = {"fitorch": os.path.join(folder, "m.fitorch"), "hand": os.path.join(folder, "m.safetensors")}
    model.save(paths["fitorch"])
    safetensors.torch.save_file({k: v.contiguous() for k, v in model.state_dict().items()}, paths["hand"])
    del model
    size = os.path.getsize(paths["fitorch"]) / 2**20
    print(f"{depth} Dense({UNITS}) layers, {size:.0f} MiB file, {args.rounds} rounds")

    results: dict[str, list[dict[str, float]]] = {"fitorch": [], "hand": []}
    for round_index in range(args.rounds):
        order = ("fitorch", "hand") if round_index % 2 == 0 else ("hand", "fitorch")
        for kind in order:
            results[kind].append(_run(kind, paths[kind], depth))
    for key, unit in (("peak_mib", "MiB"), ("seconds", "s")):
        fitorch_value = statistics.median(r[key] for r in results["fitorch"])
        hand_value = statistics.median(r[key] for r in results["hand"])
        ratio = statistics.median(f[key] / h[key] for f, h in zip(results["fitorch"], results["hand"], strict=True))
        print(f"{key:9s} fitorch {fitorch_value:8.2f} {unit}  hand {hand_value:8.2f} {unit}  ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
