#!/usr/bin/env python3
"""PyTorch beside ForwardBenchmark and TrainingStepBenchmark: the "PyTorch" column of README.md's path table.

    python3 nn-benchmarks/peers-torch.py 1 >> peers.txt
    OMP_WAIT_POLICY=PASSIVE python3 nn-benchmarks/peers-torch.py 2 >> peers.txt

784-W-10 (ReLU, softmax cross-entropy), SGD 0.01, on the thread count given: the forward pass of one sample and of 256,
the step on one batch of 64 and of 256, and the epoch loop over 3,200 shuffled rows in batches of 64 (what nn-core's
nnCoreFitEpoch does). Each figure is the median of 10 rounds of 0.5 s, in readme-tables.py's peer format. Not run by the
build; needs PyTorch (Debian: python3-torch).
"""
import statistics
import sys
import time

import torch

THREADS = int(sys.argv[1])
# what ran, as a comment line that readme-tables.py skips
print(f"# torch {torch.__version__}, Python {sys.version.split()[0]} at {sys.executable}", flush=True)
torch.set_num_threads(THREADS)
generator = torch.Generator().manual_seed(42)
softmax = torch.nn.Softmax(dim=1)


def rate(call, samples_per_call):
    """Samples per second of call(): the median of 10 rounds of 0.5 s, after 50 calls and 1 s of warm-up."""
    for _ in range(50):
        call()
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        call()
    rates = []
    for _ in range(10):
        start = time.perf_counter()
        calls = 0
        while time.perf_counter() - start < 0.5:
            call()
            calls += 1
        rates.append(calls * samples_per_call / (time.perf_counter() - start))
    return statistics.median(rates)


def network(width):
    model = torch.nn.Sequential(torch.nn.Linear(784, width), torch.nn.ReLU(), torch.nn.Linear(width, 10))
    return model, torch.optim.SGD(model.parameters(), lr=0.01), torch.nn.CrossEntropyLoss()


def report(label, value, unit):
    print(f"torch {label} threads={THREADS}  {value} {unit}", flush=True)


for width in (128, 512, 2048):
    model, _, _ = network(width)
    one = torch.rand(1, 784, generator=generator)
    batch = torch.rand(256, 784, generator=generator)

    def forward_one():
        with torch.no_grad():
            softmax(model(one))

    def forward_batch():
        with torch.no_grad():
            softmax(model(batch))

    if THREADS == 1:
        report(f"fwd1 W={width} batch=1", f"{1e6 / rate(forward_one, 1):.3f}", "us/call")
    report(f"fwd256 W={width} batch=256", f"{rate(forward_batch, 256):.0f}", "samples/s")

for rows, widths in ((64, (128, 512, 2048)), (256, (32, 128, 512))):
    for width in widths:
        model, optimizer, loss = network(width)
        x = torch.rand(rows, 784, generator=generator)
        y = torch.randint(0, 10, (rows,), generator=generator)

        def step():
            optimizer.zero_grad(set_to_none=True)
            loss(model(x), y).backward()
            optimizer.step()

        report(f"train{rows} W={width} batch={rows}", f"{rate(step, rows):.0f}", "samples/s")

model, optimizer, loss = network(128)
x = torch.rand(3200, 784, generator=generator)
y = torch.randint(0, 10, (3200,), generator=generator)


def epoch():
    order = torch.randperm(3200, generator=generator)
    for b in range(50):
        rows = order[b * 64:(b + 1) * 64]
        optimizer.zero_grad(set_to_none=True)
        loss(model(x[rows]), y[rows]).backward()
        optimizer.step()


report("epoch W=128 batch=64", f"{rate(epoch, 3200):.0f}", "samples/s")
