"""GPU benchmark: fitorch's defaults against a plain and an optimized hand-written loop.

    python benchmarks/gpu.py [--epochs 2] [--samples 50000]

Workloads: a ResNet-style CNN on CIFAR-shaped synthetic data (50k x 32x32x3, batch 512)
and a small transformer encoder on token sequences. Runners:

* ``fitorch``: ``compile()`` and ``fit()`` with fitorch's defaults;
* ``plain``: an fp32 eager loop with a ``DataLoader`` over host tensors, NCHW, torch's Adam;
* ``optimized``: the same loop with bf16 autocast, channels_last, ``torch.compile``, data
  resident on the GPU and fused AdamW.

Prints throughput (samples/s) and the ratios fitorch/plain and fitorch/optimized, then runs
one fitorch epoch under ``torch.cuda.set_sync_debug_mode('error')`` to show the loop makes no
host syncs. Needs a CUDA device; nothing here runs on CPU-only machines.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(x))))))


def resnet_torch() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(), Block(64), Block(64),
        nn.Conv2d(64, 128, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(128), nn.ReLU(), Block(128),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 10),
    )


def resnet_fitorch():
    import fitorch
    from fitorch import layers

    def block(x, channels):
        y = layers.Conv2D(channels, 3, padding="same", use_bias=False)(x)
        y = layers.Activation("relu")(layers.BatchNormalization(epsilon=1e-5, momentum=0.9)(y))
        y = layers.Conv2D(channels, 3, padding="same", use_bias=False)(y)
        y = layers.BatchNormalization(epsilon=1e-5, momentum=0.9)(y)
        return layers.Activation("relu")(layers.Add()([x, y]))

    inputs = layers.Input(shape=(32, 32, 3))
    x = layers.Conv2D(64, 3, padding="same", use_bias=False)(inputs)
    x = layers.Activation("relu")(layers.BatchNormalization(epsilon=1e-5, momentum=0.9)(x))
    x = block(block(x, 64), 64)
    x = layers.Conv2D(128, 3, strides=2, padding="same", use_bias=False)(x)
    x = layers.Activation("relu")(layers.BatchNormalization(epsilon=1e-5, momentum=0.9)(x))
    x = block(x, 128)
    x = layers.GlobalAveragePooling2D()(x)
    return fitorch.Model(inputs, layers.Dense(10)(x))


def transformer_torch() -> nn.Module:
    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = nn.Embedding(8000, 256)
            layer = nn.TransformerEncoderLayer(256, 8, 1024, dropout=0.0, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, 4)
            self.head = nn.Linear(256, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.head(self.encoder(self.embedding(x)).mean(dim=1))

    return Encoder()


def data(workload: str, samples: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    if workload == "resnet":
        return rng.standard_normal((samples, 32, 32, 3), dtype=np.float32), rng.integers(0, 10, samples)
    return rng.integers(1, 8000, (samples // 10, 128)), rng.integers(0, 2, samples // 10)


def run_fitorch(workload: str, x: np.ndarray, y: np.ndarray, batch: int, epochs: int) -> float:
    import fitorch

    model = resnet_fitorch() if workload == "resnet" else fitorch.wrap(transformer_torch())
    model.compile(optimizer="adamw", loss=fitorch.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)  # warm-up (and compilation, where on)
    torch.cuda.synchronize()
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=epochs, verbose=0)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    torch.cuda.set_sync_debug_mode("error")  # any host sync inside an epoch now raises
    try:
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    return epochs * len(x) / seconds


def run_loop(workload: str, x: np.ndarray, y: np.ndarray, batch: int, epochs: int, optimized: bool) -> float:
    device = torch.device("cuda")
    net = (resnet_torch() if workload == "resnet" else transformer_torch()).to(device)
    xs = torch.from_numpy(x.transpose(0, 3, 1, 2).copy() if workload == "resnet" else x)
    ys = torch.from_numpy(y)
    if optimized:
        if workload == "resnet":
            net = net.to(memory_format=torch.channels_last)
        optimizer = torch.optim.AdamW(net.parameters(), fused=True)
        step_model = torch.compile(net)
        xs, ys = xs.to(device), ys.to(device)
    else:
        optimizer = torch.optim.Adam(net.parameters())
        step_model = net
    criterion = nn.CrossEntropyLoss()

    def epoch() -> None:
        if optimized:
            order = torch.randperm(len(xs), device=device)
            batches = ((xs[i], ys[i]) for i in order.split(batch))
        else:
            batches = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xs, ys), batch_size=batch,
                                                  shuffle=True, pin_memory=True)
        for inputs, labels in batches:
            inputs, labels = inputs.to(device, non_blocking=True), labels.to(device, non_blocking=True)
            if optimized and workload == "resnet":
                inputs = inputs.contiguous(memory_format=torch.channels_last)
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=optimized):
                loss = criterion(step_model(inputs), labels)
            loss.backward()
            optimizer.step()

    epoch()
    torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(epochs):
        epoch()
    torch.cuda.synchronize()
    return epochs * len(xs) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--samples", type=int, default=50000)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("benchmarks/gpu.py needs a CUDA device.")
    print(f"device: {torch.cuda.get_device_name()}; torch {torch.__version__}")
    for workload, batch in (("resnet", 512), ("transformer", 64)):
        x, y = data(workload, args.samples)
        result = {
            "workload": workload,
            "fitorch": run_fitorch(workload, x, y, batch, args.epochs),
            "plain": run_loop(workload, x, y, batch, args.epochs, optimized=False),
            "optimized": run_loop(workload, x, y, batch, args.epochs, optimized=True),
        }
        result["fitorch/plain"] = result["fitorch"] / result["plain"]
        result["fitorch/optimized"] = result["fitorch"] / result["optimized"]
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
