#!/usr/bin/env python3
"""numpy's sgemm (OpenBLAS) beside MatMulBenchmark: the "OpenBLAS" columns of README.md's product table.

    OMP_NUM_THREADS=1 python3 nn-benchmarks/peers-numpy.py 1 >> peers.txt
    OMP_NUM_THREADS=2 python3 nn-benchmarks/peers-numpy.py 2 >> peers.txt

The thread count is the BLAS's own setting (OMP_NUM_THREADS for an OpenMP build of OpenBLAS, OPENBLAS_NUM_THREADS for a
pthreads one), set before numpy loads; the argument only labels the lines. Each figure is the median of 10 rounds of
0.5 s after 1 s of warm-up, in readme-tables.py's peer format. Not run by the build; needs numpy (Debian: python3-numpy).
"""
import statistics
import sys
import time

import numpy as np

THREADS = sys.argv[1]
# what ran, as a comment line that readme-tables.py skips: a pip wheel and Debian's package bring different OpenBLAS builds
print(f"# numpy {np.__version__}, Python {sys.version.split()[0]} at {sys.executable}", flush=True)
SHAPES = ("128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "64x784x128", "256x784x256")
generator = np.random.default_rng(42)
for shape in SHAPES:
    m, k, n = map(int, shape.split("x"))
    a = generator.random((m, k), dtype=np.float32)
    b = generator.random((k, n), dtype=np.float32)
    c = np.empty((m, n), dtype=np.float32)
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        np.matmul(a, b, out=c)
    rates = []
    for _ in range(10):
        start = time.perf_counter()
        calls = 0
        while time.perf_counter() - start < 0.5:
            np.matmul(a, b, out=c)
            calls += 1
        rates.append(2 * m * k * n * calls / (time.perf_counter() - start) / 1e9)
    print(f"numpy sgemm {shape} threads={THREADS}  {statistics.median(rates):.1f} GFLOP/s", flush=True)
