"""Peer measurement: one training epoch of the dense reference model in PyTorch (CPU).

784 -> 1024 ReLU -> dropout 0.2 -> 10, Adam (lr 1e-3), batch 32, 60 000 synthetic examples.
Prints one JSON line: {"torch_epoch_seconds": ..., "threads": ...}.
A measuring tool only (Debian's python3-torch); never a dependency of Occam.
Run: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/torch_dense_epoch.py
"""
import json
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(1)
n, batch = 60_000, 32
x = torch.rand(n, 784)
y = torch.randint(0, 10, (n,))
model = torch.nn.Sequential(
    torch.nn.Linear(784, 1024), torch.nn.ReLU(), torch.nn.Dropout(0.2), torch.nn.Linear(1024, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
model.train()
start = time.perf_counter()
perm = torch.randperm(n)
for i in range(0, n, batch):
    idx = perm[i:i + batch]
    optimizer.zero_grad(set_to_none=True)
    loss = loss_fn(model(x[idx]), y[idx])
    loss.backward()
    optimizer.step()
elapsed = time.perf_counter() - start
print(json.dumps({"torch_epoch_seconds": round(elapsed, 3), "threads": threads}))
