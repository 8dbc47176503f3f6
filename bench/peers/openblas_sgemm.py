"""Peer measurement: OpenBLAS SGEMM through numpy, on the cases of `occam bench kernels`.

Prints one JSON object {"sgemm_256": GFLOP/s, ...} (best of 7 repetitions of >= 50 ms each).
A measuring tool only (Debian's python3-numpy with libopenblas0-pthread); never a dependency of Occam.
Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/peers/openblas_sgemm.py
"""
import json
import time

import numpy as np

rng = np.random.default_rng(1)


def measure(m, n, k, trans_a=False, trans_b=False):
    a = rng.random((k, m) if trans_a else (m, k), dtype=np.float32)
    b = rng.random((n, k) if trans_b else (k, n), dtype=np.float32)
    op_a = a.T if trans_a else a
    op_b = b.T if trans_b else b
    c = np.empty((m, n), dtype=np.float32)
    for _ in range(2):
        np.matmul(op_a, op_b, out=c)
    best = 0.0
    for _ in range(7):
        calls, start = 0, time.perf_counter()
        while True:
            np.matmul(op_a, op_b, out=c)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 0.05:
                break
        best = max(best, 2.0 * m * n * k * calls / elapsed / 1e9)
    return round(best, 1)


cases = {f"sgemm_{s}": (s, s, s) for s in (256, 512, 1024, 2048)}
results = {name: measure(*shape) for name, shape in cases.items()}
results["dense_fwd_32x784x1024"] = measure(32, 1024, 784, trans_b=True)
results["dense_wgrad_1024x784x32"] = measure(1024, 784, 32, trans_a=True)
results["dense_igrad_32x784x1024"] = measure(32, 784, 1024)
print(json.dumps(results))
