#!/usr/bin/env python3
"""README.md's "Performance / Measured" tables from one run of readme-figures.sh.

    python3 nn-benchmarks/readme-tables.py nn-benchmarks/target/readme-figures [PEERS_SUMMARY]

The first argument is readme-figures.sh's output folder (JMH's JSON files); the optional second one is a text file of
peer figures, one a line: a label, its value and its unit, as "torch fwd1 W=128 batch=1 threads=1  15.96 us/call"
(labels: "numpy sgemm MxKxN threads=T" in GFLOP/s, "torch fwd1|fwd256|train64|train256|epoch W=.. batch=.. threads=T",
"ort sample|batch256 layers=784-W-10 threads=T" in us/op). peers-numpy.py and peers-torch.py print the numpy and
PyTorch lines; ONNX Runtime is measured outside this repository. Without the file the peers' columns stay empty.
Prints Markdown to standard output; only the Python standard library is used.
"""
import glob
import json
import os
import re
import statistics
import sys
from math import floor, log10


def load(folder):
    """Every JMH result of the run: (file stem, result) pairs."""
    results = []
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path) as f:
            text = f.read().strip()
        if not text:
            continue
        for result in json.loads(text):
            results.append((os.path.basename(path)[:-5], result))
    return results


RESULTS = load(sys.argv[1])


def find(stem, method, **params):
    """Results of benchmark {method} in files named {stem} (a regular expression) whose params include {params}."""
    found = []
    for name, result in RESULTS:
        if not re.fullmatch(stem, name) or not result["benchmark"].endswith("." + method):
            continue
        given = result.get("params", {})
        if all(given.get(k) == str(v) for k, v in params.items()):
            found.append(result)
    return found


def score(stem, method, **params):
    """The mean score over every matching result (rounds of one fork each are averaged), or None."""
    found = find(stem, method, **params)
    return statistics.mean(r["primaryMetric"]["score"] for r in found) if found else None


def alloc(stem, method, **params):
    found = find(stem, method, **params)
    # JMH 1.37 names it "gc.alloc.rate.norm", earlier versions "·gc.alloc.rate.norm"
    values = [metric["score"] for r in found for name, metric in r.get("secondaryMetrics", {}).items()
              if name.lstrip("·") == "gc.alloc.rate.norm"]
    return statistics.mean(values) if values else None


def beside(stem, **params):
    """fitBesideRawSteps: raw nanos / fit nanos over all iterations, and per fork."""
    found = find(stem, "fitBesideRawSteps", **params)
    if not found:
        return None, []
    result = found[0]["secondaryMetrics"]
    fit, raw = result["fitNanos"]["rawData"], result["rawNanos"]["rawData"]
    forks = [sum(r) / sum(f) for f, r in zip(fit, raw)]
    return sum(map(sum, raw)) / sum(map(sum, fit)), forks


PEERS = {}
if len(sys.argv) > 2:
    with open(sys.argv[2]) as f:
        for line in f:
            m = re.match(r"^(\S.*?)\s{2,}([0-9.]+)\s+(\S+)", line)
            if m and not line.startswith("#"):
                PEERS[m.group(1).strip()] = float(m.group(2))


def peer(label):
    return PEERS.get(label)


def fmt(value, digits=3):
    """Three significant digits, thousands separated: 738,000; 4.83; 0.026."""
    if value is None:
        return ""
    if value == 0:
        return "0"
    magnitude = floor(log10(abs(value)))
    rounded = round(value, digits - 1 - magnitude)
    if abs(rounded) >= 1000:
        return f"{rounded:,.0f}"
    decimals = max(0, digits - 1 - magnitude)
    return f"{rounded:.{decimals}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def per_second(us, samples=1):
    return None if us is None else samples * 1e6 / us


def gflops(shape, us):
    if us is None:
        return None
    m, k, n = map(int, shape.split("x"))
    return 2.0 * m * k * n / us / 1e3


def join(values, sep=" / ", suffix=""):
    shown = [fmt(v) for v in values]
    return "" if all(s == "" for s in shown) else sep.join(s or "-" for s in shown) + suffix


def row(cells):
    print("| " + " | ".join(cells) + " |")


SHAPES = ["64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "64x784x128", "256x784x256"]

print("Matrix multiply `MxKxN`, GFLOP/s (= 2MKN / time), `MatMulBenchmark`:\n")
row(["shape", "naive i-j-k", "plain Java", "Vector API", "Vector, 2 threads", "OpenBLAS", "OpenBLAS, 2 threads",
     "Vector / OpenBLAS"])
row(["---"] * 8)
for shape in SHAPES + ["1x784x128"]:
    naive = gflops(shape, score("naive", "naiveBaseline", shape=shape))
    plain = gflops(shape, score("matmul-plain-t1", "nnCore", shape=shape))
    vector = gflops(shape, score("matmul-vector-t1", "nnCore", shape=shape))
    vector2 = gflops(shape, score("matmul-vector-t2", "nnCore", shape=shape))
    blas = peer(f"numpy sgemm {shape} threads=1")
    blas2 = peer(f"numpy sgemm {shape} threads=2")
    label = shape + (" (one sample)" if shape.startswith("1x") else "")
    row([label, fmt(naive, 2), fmt(plain), fmt(vector), "(one thread)" if shape.startswith("1x") else fmt(vector2),
         fmt(blas), fmt(blas2), fmt(ratio(vector, blas), 3)])
plain2 = [gflops(s, score("matmul-plain-t2", "nnCore", shape=s)) for s in SHAPES[1:5]]
print(f"\nPlain kernel on two threads, 128^3 to 1024^3: {join(plain2)} GFLOP/s.\n")


def forward(kernel, threads, method, layers):
    return score(f"forward-{kernel}-t{threads}", method, layers=layers)


def step(kernel, threads, hidden, batch=64):
    stem = f"step-{kernel}-t{threads}" if batch == 64 else f"step256-{kernel}-t{threads}"
    ops = score(stem, "nnCoreStep", hidden=hidden, batch=batch)
    return None if ops is None else ops * batch


def epoch(kernel, threads, method, hidden=128, batch=64):
    stem = f"epoch-{kernel}-t{threads}-r[0-9]" if batch == 64 else f"epoch256-{kernel}-t{threads}"
    ops = score(stem, method, hidden=hidden, batch=batch)
    return None if ops is None else ops * 50 * batch


print("Whole paths, one thread unless said (samples/s unless a time is given):\n")
row(["what", "naive", "plain Java", "Vector API", "PyTorch 1.13", "ONNX Runtime"])
row(["---"] * 6)
t = lambda v: "" if v is None else fmt(v) + " us"
row(["forward, one sample, 784-128-10, into a buffer", t(score("naive", "sampleNaiveBaseline", layers="784-128-10")),
     t(forward("plain", 1, "sampleIntoBuffer", "784-128-10")), t(forward("vector", 1, "sampleIntoBuffer", "784-128-10")),
     t(peer("torch fwd1 W=128 batch=1 threads=1")), t(peer("ort sample layers=784-128-10 threads=1"))])
row(["forward, one sample, 784-512-10 / 784-2048-10", "",
     join([forward("plain", 1, "sampleIntoBuffer", f"784-{w}-10") for w in (512, 2048)], suffix=" us"),
     join([forward("vector", 1, "sampleIntoBuffer", f"784-{w}-10") for w in (512, 2048)], suffix=" us"),
     join([peer(f"torch fwd1 W={w} batch=1 threads=1") for w in (512, 2048)], suffix=" us"),
     join([peer(f"ort sample layers=784-{w}-10 threads=1") for w in (512, 2048)], suffix=" us")])
row(["forward, one sample, 2-2-1", t(score("naive", "sampleNaiveBaseline", layers="2-2-1")),
     t(forward("plain", 1, "sampleIntoBuffer", "2-2-1")), t(forward("vector", 1, "sampleIntoBuffer", "2-2-1")), "", ""])


def batch256(kernel, threads, w):
    return per_second(forward(kernel, threads, "batch256IntoBuffer", f"784-{w}-10"), 256)


def with_gain(two, one):
    return "" if two is None else f"{fmt(two)} ({fmt(ratio(two, one))}x)"


row(["forward, batch 256, 784-128-10", fmt(per_second(score("naive", "batch256NaiveBaseline", layers="784-128-10"), 256)),
     fmt(batch256("plain", 1, 128)), fmt(batch256("vector", 1, 128)), fmt(peer("torch fwd256 W=128 batch=256 threads=1")),
     fmt(per_second(peer("ort batch256 layers=784-128-10 threads=1"), 256))])
row(["the same, 2 threads", "", with_gain(batch256("plain", 2, 128), batch256("plain", 1, 128)),
     with_gain(batch256("vector", 2, 128), batch256("vector", 1, 128)), fmt(peer("torch fwd256 W=128 batch=256 threads=2")),
     fmt(per_second(peer("ort batch256 layers=784-128-10 threads=2"), 256))])
for threads, label in ((1, "forward, batch 256, 784-512-10 / 784-2048-10"), (2, "the same, 2 threads")):
    row([label, "", join([batch256("plain", threads, w) for w in (512, 2048)]),
         join([batch256("vector", threads, w) for w in (512, 2048)]),
         join([peer(f"torch fwd256 W={w} batch=256 threads={threads}") for w in (512, 2048)]),
         join([per_second(peer(f"ort batch256 layers=784-{w}-10 threads={threads}"), 256) for w in (512, 2048)])])
naive_step = score("naive", "naiveBaseline", hidden=128)
row(["training step, batch 64, 784-128-10", fmt(None if naive_step is None else naive_step * 64),
     fmt(step("plain", 1, 128)), fmt(step("vector", 1, 128)), fmt(peer("torch train64 W=128 batch=64 threads=1")), ""])
row(["training step, batch 64, 784-512-10 / 784-2048-10", "", join([step("plain", 1, w) for w in (512, 2048)]),
     join([step("vector", 1, w) for w in (512, 2048)]),
     join([peer(f"torch train64 W={w} batch=64 threads=1") for w in (512, 2048)]), ""])
row(["the step on 2 threads, W = 128 / 512 / 2048 (the benchmark's own serial SGD)", "",
     join([step("plain", 2, w) for w in (128, 512, 2048)]), join([step("vector", 2, w) for w in (128, 512, 2048)]),
     join([peer(f"torch train64 W={w} batch=64 threads=2") for w in (128, 512, 2048)]), ""])
for threads, label in ((1, "training step, batch 256, 784-32-10 / 784-128-10 / 784-512-10"),
                       (2, "the same, 2 threads (the batch cut by samples)")):
    row([label, "", join([step("plain", threads, w, 256) for w in (32, 128, 512)]),
         join([step("vector", threads, w, 256) for w in (32, 128, 512)]),
         join([peer(f"torch train256 W={w} batch=256 threads={threads}") for w in (32, 128, 512)]), ""])
for threads, label in ((1, "`fit`, one epoch of 3,200 samples in batches of 64 (shuffled), W = 128 / 512"),
                       (2, "the same, 2 threads (Vector: the hidden units cut; plain: the first layer shared by input)")):
    row([label, "", join([epoch("plain", threads, "nnCoreFitEpoch", w) for w in (128, 512)]),
         join([epoch("vector", threads, "nnCoreFitEpoch", w) for w in (128, 512)]),
         fmt(peer(f"torch epoch W=128 batch=64 threads={threads}")) + " (epoch loop, W = 128)", ""])
row(["50 raw steps over the same 3,200 samples, W = 128 / 512", "",
     join([epoch("plain", 1, "nnCoreStepsEpoch", w) for w in (128, 512)]),
     join([epoch("vector", 1, "nnCoreStepsEpoch", w) for w in (128, 512)]), "", ""])
for threads, label in ((1, "`fit` / raw steps at W = 128 / 512, one thread"), (2, "the same, 2 threads")):
    row([label, "", *[join([ratio(epoch(k, threads, "nnCoreFitEpoch", w), epoch(k, threads, "nnCoreStepsEpoch", w))
                            for w in (128, 512)]) for k in ("plain", "vector")], "", ""])
forks = {}
for threads, label in ((1, "`fit` / raw steps timed in the same calls (`fitBesideRawSteps`), W = 128 / 512, one thread"),
                       (2, "the same, 2 threads")):
    cells = []
    for kernel in ("plain", "vector"):
        values = []
        for w in (128, 512):
            whole, per_fork = beside(f"beside-{kernel}-t{threads}", hidden=w)
            values.append(whole)
            forks[(kernel, threads, w)] = per_fork
        cells.append(join(values))
    row([label, "", *cells, "", ""])
row(["`fit`, one epoch of 12,800 samples in batches of 256, 1 / 2 threads", "",
     *[join([epoch(k, t, "nnCoreFitEpoch", batch=256) for t in (1, 2)]) for k in ("plain", "vector")], "", ""])
row(["`fit` / raw steps at batch 256, 1 / 2 threads", "",
     *[join([ratio(epoch(k, t, "nnCoreFitEpoch", batch=256), epoch(k, t, "nnCoreStepsEpoch", batch=256)) for t in (1, 2)])
       for k in ("plain", "vector")], "", ""])
row(["ten Adam batches of 64 through `fit`, 1 / 2 threads", "",
     *[join([score(f"optimizer-{k}-t{t}", "adam") for t in (1, 2)], suffix=" ms") for k in ("plain", "vector")], "", ""])

print("\n`fitBesideRawSteps` per fork (raw / fit):")
for (kernel, threads, w), values in sorted(forks.items()):
    print(f"- {kernel}, {threads} thread(s), W = {w}: " + ", ".join(f"{v:.3f}" for v in values))
print("\nAllocation per call (gc.alloc.rate.norm, bytes):")
for kernel in ("plain", "vector"):
    for threads in (1, 2):
        fit = [alloc(f"epoch-{kernel}-t{threads}-r[0-9]", "nnCoreFitEpoch", hidden=w) for w in (128, 512)]
        steps = [alloc(f"step-{kernel}-t{threads}", "nnCoreStep", hidden=w) for w in (128, 512, 2048)]
        sample = alloc(f"forward-{kernel}-t{threads}", "sampleIntoBuffer", layers="784-128-10")
        allocating = alloc(f"forward-{kernel}-t{threads}", "sampleAllocating", layers="784-128-10")
        batch = alloc(f"forward-{kernel}-t{threads}", "batch256IntoBuffer", layers="784-128-10")
        fit256 = alloc(f"epoch256-{kernel}-t{threads}", "nnCoreFitEpoch")
        print(f"- {kernel}, {threads} thread(s): fit epoch W=128/512 {join(fit)}; fit b256 {fmt(fit256)}; "
              f"step W=128/512/2048 {join(steps)}; sample into buffer {fmt(sample)}, allocating {fmt(allocating)}; "
              f"batch 256 {fmt(batch)}")
