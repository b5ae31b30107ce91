"""fitorch's DDP ``fit`` against a hand-written DDP loop, two processes under torchrun.

    python benchmarks/distributed.py --nproc 2 --rounds 3 --epochs 2 --workloads tiny mlp

Without torchrun's environment the script launches itself with
``torch.distributed.run`` (gloo on CPU, NCCL on GPUs). Inside the job, each round runs
fitorch and then the hand loop on the same workload in the same processes, so both
see the same machine; the ratio is fitorch's median epoch time over the hand loop's
(rank 0's clock; DDP keeps the ranks in step). The first epoch of each run is warm-up.

The hand loop is what a PyTorch user writes: DDP, this rank's part of a per-epoch
permutation (DistributedSampler's split, by tensor indexing), zero_grad / forward /
loss / backward / step, no logging.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import torch
import torch.distributed as dist

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workloads import WORKLOADS, fitorch_model, torch_model  # noqa: E402


def fitorch_epochs(name: str, epochs: int) -> list[float]:
    import fitorch

    w = WORKLOADS[name]
    x, y = w.data()
    torch.manual_seed(0)
    model = fitorch_model(name)
    model.compile(optimizer="adam", loss=fitorch.losses.SparseCategoricalCrossentropy(from_logits=True))
    times: list[float] = []
    timer = fitorch.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: times.append(-time.perf_counter()),
        on_epoch_end=lambda epoch, logs: times.append(times.pop() + time.perf_counter()),
    )
    model.fit(x, y, batch_size=w.batch_size, epochs=epochs + 1, verbose=0, callbacks=[timer])
    return times[1:]


def hand_epochs(name: str, epochs: int) -> list[float]:
    w = WORKLOADS[name]
    x, y = w.data()
    if x.ndim == 4:
        x = x.transpose(0, 3, 1, 2).copy()
    device = torch.device("cuda", int(os.environ["LOCAL_RANK"])) if torch.cuda.is_available() else None
    x, y = torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)
    torch.manual_seed(0)
    model = torch.nn.parallel.DistributedDataParallel(torch_model(name).to(device))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = torch.nn.CrossEntropyLoss()
    rank, world = dist.get_rank(), dist.get_world_size()
    times = []
    for epoch in range(epochs + 1):
        start = time.perf_counter()
        generator = torch.Generator().manual_seed(epoch)
        order = torch.randperm(len(x), generator=generator)[rank::world].to(x.device)
        for index in order.split(w.batch_size):
            optimizer.zero_grad()
            loss = criterion(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
        if device is not None:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return times[1:]


def worker(args: argparse.Namespace) -> None:
    import fitorch

    fitorch.distributed.initialize()
    for name in args.workloads:
        ratios, fitorch_medians, hand_medians = [], [], []
        for _ in range(args.rounds):
            mine = statistics.median(fitorch_epochs(name, args.epochs))
            theirs = statistics.median(hand_epochs(name, args.epochs))
            fitorch_medians.append(mine)
            hand_medians.append(theirs)
            ratios.append(mine / theirs)
        if fitorch.distributed.is_main_process():
            print(f"{name:12s} fitorch {statistics.median(fitorch_medians) * 1e3:8.1f} ms/epoch  "
                  f"hand DDP loop {statistics.median(hand_medians) * 1e3:8.1f} ms/epoch  "
                  f"ratio {statistics.median(ratios):.2f}  (rounds: {', '.join(f'{r:.2f}' for r in ratios)})",
                  flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nproc", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--workloads", nargs="+", default=["tiny", "mlp"], choices=sorted(WORKLOADS))
    args = parser.parse_args()
    if "LOCAL_RANK" in os.environ:
        worker(args)
        return
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={args.nproc}",
               os.path.abspath(__file__), *sys.argv[1:]]  # fmt: skip
    print(f"device: {'cuda' if torch.cuda.is_available() else 'cpu'}, processes: {args.nproc}, torch {torch.__version__}")
    raise SystemExit(subprocess.call(command, env={**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}))


if __name__ == "__main__":
    main()
