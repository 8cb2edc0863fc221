#!/usr/bin/env python3
"""Float64 references for nn-core's regularizers (penalty and gradient) and constraints.

Writes regularizers.json next to this file; the tests never run this script. Run with Debian's python:

    /usr/bin/python3 nn-core/src/test/resources/reference/regularizers/generate.py

Keras 3 formulas, written in torch float64 and differentiated by torch autograd:
  keras/src/regularizers/regularizers.py: L1 l1*sum|w|, L2 l2*sum(w^2), L1L2 both; OrthogonalRegularizer(factor,
  mode): rows (or columns) normalised (x / max(||x||, 1e-7)), P = U U^T, factor * 0.5 * sum|P off the diagonal| /
  (n (n - 1) / 2).
  keras/src/constraints/constraints.py (numpy float64): norms along axis (keepdims); MaxNorm w * clip(n, 0, max) /
  (eps + n); NonNeg w * (w >= 0); UnitNorm w / (eps + n); MinMaxNorm w * (rate * clip(n, min, max) + (1 - rate) n) /
  (eps + n); eps = 1e-7 (float32).
Weights are float32-exact and written as the doubles that equal them; no weight is exactly 0 (|w|'s kink).
"""
import json
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
EPS = float(np.float32(1e-7))
rng = np.random.default_rng(7)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def normalize(x, axis):
    return x / torch.clamp(torch.sqrt((x * x).sum(axis, keepdim=True)), min=EPS)


def orthogonal(w, factor, mode):
    u = normalize(w, 1) if mode == "rows" else normalize(w, 0).T
    p = u @ u.T
    n = u.shape[0]
    off = p * (1.0 - torch.eye(n))
    return factor * 0.5 * off.abs().sum() / (n * (n - 1.0) / 2.0)


regularizers = []


def reg(name, config, w, fn):
    wt = torch.tensor(w, requires_grad=True)
    penalty = fn(wt)
    penalty.backward()
    regularizers.append({"class_name": name, "config": config, "weight": w.tolist(), "penalty_f64": penalty.item(),
                         "grad_f64": wt.grad.tolist()})


kernel = f32(rng.normal(0, 0.7, size=(5, 3)))
bias = f32(rng.normal(0, 0.7, size=(1, 4)))
for w in (kernel, bias):
    reg("L1", {"l1": 0.01}, w, lambda t: 0.01 * t.abs().sum())
    reg("L2", {"l2": 0.03}, w, lambda t: 0.03 * (t * t).sum())
    reg("L1L2", {"l1": 0.002, "l2": 0.05}, w, lambda t: 0.002 * t.abs().sum() + 0.05 * (t * t).sum())
reg("OrthogonalRegularizer", {"factor": 0.01, "mode": "rows"}, kernel, lambda t: orthogonal(t, 0.01, "rows"))
reg("OrthogonalRegularizer", {"factor": 0.2, "mode": "columns"}, kernel, lambda t: orthogonal(t, 0.2, "columns"))
wide = f32(rng.normal(0, 1.0, size=(3, 6)))
reg("OrthogonalRegularizer", {"factor": 0.05, "mode": "rows"}, wide, lambda t: orthogonal(t, 0.05, "rows"))

constraints = []


def norms(w, axis):
    return np.sqrt((w * w).sum(axis=axis, keepdims=True))


def con(name, config, w, one_dimensional, fn):
    constraints.append({"class_name": name, "config": config, "weight": w.tolist(), "one_dimensional": one_dimensional,
                        "constrained_f64": fn(w).tolist()})


big = f32(rng.normal(0, 2.0, size=(4, 3)))
big[:, 1] *= 0.1  # one column under the bounds
for axis in (0, 1):
    con("MaxNorm", {"max_value": 2.0, "axis": axis}, big, False,
        lambda w, a=axis: w * (np.clip(norms(w, a), 0, 2.0) / (EPS + norms(w, a))))
    con("UnitNorm", {"axis": axis}, big, False, lambda w, a=axis: w / (EPS + norms(w, a)))
    con("MinMaxNorm", {"min_value": 0.5, "max_value": 1.5, "rate": 0.7, "axis": axis}, big, False,
        lambda w, a=axis: w * ((0.7 * np.clip(norms(w, a), 0.5, 1.5) + 0.3 * norms(w, a)) / (EPS + norms(w, a))))
con("NonNeg", {}, big, False, lambda w: w * (w >= 0))
vector = f32(rng.normal(0, 2.0, size=(1, 5)))  # a bias: axis 0 of a 1-D weight runs along the row
con("MaxNorm", {"max_value": 1.0, "axis": 0}, vector, True, lambda w: w * (np.clip(norms(w, 1), 0, 1.0) / (EPS + norms(w, 1))))
con("UnitNorm", {"axis": 0}, vector, True, lambda w: w / (EPS + norms(w, 1)))

# the hand-written L2 agrees with torch's own weight-decay gradient (2 * l2 * w)
t = torch.tensor(kernel)
assert torch.allclose(torch.tensor(regularizers[1]["grad_f64"]), 2 * 0.03 * t)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regularizers.json")
with open(out, "w") as f:
    json.dump({"generator": "generate.py, torch %s float64" % torch.__version__, "regularizers": regularizers,
               "constraints": constraints}, f, indent=1)
print("wrote %d regularizer and %d constraint cases to %s" % (len(regularizers), len(constraints), out))
