"""The benchmark suite: fitorch's fit against hand-written loops, Keras 3 and Lightning.

    python benchmarks/run.py [--rounds 3] [--epochs 3] [--workloads tiny,mlp,...] [--runners ...]
                             [--output benchmarks/RESULTS.md]

Every (runner, workload) pair runs in its own process; the pairs are interleaved and
repeated over several rounds, so machine noise hits all runners alike. Each process
times one warm-up epoch plus ``--epochs`` epochs; the table reports the median epoch
time over rounds, its ratio to the tensor-slicing hand loop of the same round, and the
peak RSS. Import times (``import fitorch`` against ``import torch``, ``keras`` and
``lightning``) are medians of interleaved fresh interpreters.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BASELINE = "torch_slicing"
RUNNERS = ["fitorch", "torch_slicing", "torch_dataloader", "keras", "lightning"]
WORKLOADS = ["tiny", "mlp", "cnn", "lstm", "transformer"]


def run_pair(runner: str, workload: str, epochs: int) -> dict:
    env = {**os.environ, "KERAS_BACKEND": "torch", "CUDA_VISIBLE_DEVICES": os.environ.get("CUDA_VISIBLE_DEVICES", "")}
    out = subprocess.run([sys.executable, os.path.join(HERE, "run_one.py"), runner, workload, "--epochs", str(epochs)],
                         capture_output=True, text=True, env=env, check=False)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        return {"runner": runner, "workload": workload, "error": (out.stderr or out.stdout).strip().splitlines()[-1:]}
    return json.loads(lines[-1])


def _import_env() -> dict[str, str]:
    # Bytecode caches as users have them: pip compiles installed packages, and a source checkout
    # writes __pycache__ on first import. (This machine sets PYTHONDONTWRITEBYTECODE, which would
    # make fitorch, and only fitorch, recompile its sources in every process.)
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_import_env(), check=False)
    return float(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else float("nan")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    os.environ.setdefault("KERAS_BACKEND", "torch")
    for name in ("torch", "fitorch", "keras", "lightning", "numpy"):
        try:
            module = __import__(name)
            found[name] = getattr(module, "__version__", "?")
        except ImportError:
            found[name] = "not installed"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--runners", default=",".join(RUNNERS))
    parser.add_argument("--import-rounds", type=int, default=7)
    parser.add_argument("--output", default=None, help="write the markdown report here")
    args = parser.parse_args()
    workloads, runners = args.workloads.split(","), args.runners.split(",")

    results: dict[tuple[str, str], list[dict]] = {}
    for round_index in range(args.rounds):
        for workload in workloads:
            order = runners if round_index % 2 == 0 else list(reversed(runners))
            for runner in order:
                result = run_pair(runner, workload, args.epochs)
                result["round"] = round_index
                results.setdefault((runner, workload), []).append(result)
                print(json.dumps(result), file=sys.stderr, flush=True)

    modules = ["torch", "fitorch", "keras", "lightning"]
    for module in modules:  # warm-up: writes any missing bytecode caches
        import_seconds(module)
    imports: dict[str, list[float]] = {m: [] for m in modules}
    for _ in range(args.import_rounds):
        for module in modules:
            imports[module].append(import_seconds(module))

    report = render(results, imports, workloads, runners, args)
    print(report)
    if args.output:
        with open(args.output, "w") as handle:
            handle.write(report)


def render(results, imports, workloads, runners, args) -> str:
    lines = [
        "# fitorch benchmark results",
        "",
        f"Date: {datetime.date.today().isoformat()}. Machine: {platform.machine()}, {os.cpu_count()} CPU cores, "
        f"{platform.system()}; no GPU. Versions: "
        + ", ".join(f"{k} {v}" for k, v in versions().items()) + ".",
        "",
        f"Command: `python benchmarks/run.py --rounds {args.rounds} --epochs {args.epochs}`. Each cell: median "
        "epoch time in seconds over rounds (each round one process per runner, interleaved), then the median "
        f"over rounds of the ratio to `{BASELINE}` in the same round, then peak RSS in MB.",
        "",
        "| workload | " + " | ".join(runners) + " |",
        "|---|" + "---|" * len(runners),
    ]
    for workload in workloads:
        cells = []
        for runner in runners:
            runs = [r for r in results.get((runner, workload), []) if "epoch_times" in r]
            if not runs:
                error = next((r.get("error") for r in results.get((runner, workload), [])), None)
                cells.append(f"failed: {error}")
                continue
            medians = [statistics.median(r["epoch_times"]) for r in runs]
            ratios = []
            for r, m in zip(runs, medians, strict=True):
                base = [b for b in results.get((BASELINE, workload), []) if b.get("round") == r["round"] and "epoch_times" in b]
                if base:
                    ratios.append(m / statistics.median(base[0]["epoch_times"]))
            ratio = f"{statistics.median(ratios):.2f}×" if ratios else "n/a"
            rss = statistics.median(r["peak_rss_mb"] for r in runs)
            cells.append(f"{statistics.median(medians):.3f} s · {ratio} · {rss:.0f} MB")
        lines.append(f"| {workload} | " + " | ".join(cells) + " |")
    if not imports.get("torch"):  # (--import-rounds 0: no import table)
        return "\n".join(lines) + "\n"
    lines += ["", "Import time (median of fresh interpreters, interleaved, with bytecode caches):", "",
              "| module | seconds | × import torch |", "|---|---|---|"]
    torch_time = statistics.median(imports["torch"])
    for module, values in imports.items():
        value = statistics.median(values)
        lines.append(f"| {module} | {value:.3f} | {value / torch_time:.2f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"(benchmark wall time {time.perf_counter() - start:.0f}s)", file=sys.stderr)
