#!/usr/bin/env python3
"""Float64 reference values and gradients for nn-core's Keras losses.

Writes losses.json next to this file. The tests never run this script; it is the record of how the numbers were
made. Run it with Debian's PyTorch (not the pyenv python):

    /usr/bin/python3 nn-core/src/test/resources/reference/losses/generate.py

Each case holds float32-exact predictions and targets (written as the doubles that equal them), and in float64:
the per-sample loss, the batch mean and the gradient of the mean w.r.t. the predictions (torch autograd).

Where PyTorch defines the same function its own implementation is used (source "torch"): mse_loss, l1_loss,
huber_loss, cross_entropy (logits, soft or index targets, label_smoothing), binary_cross_entropy_with_logits,
poisson_nll_loss(log_input=False, eps=1e-7). Elsewhere (source "keras formula") the formula of Keras 3's
keras/src/losses/losses.py and keras/src/backend/tensorflow/nn.py is written out in torch float64 ops and torch
autograd differentiates it; Keras's epsilon() is 1e-7 as a float32. Clipping is written with torch.where so that
the gradient is 0 strictly outside the bounds; no input sits exactly on a bound or a kink.
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
EPS = float(np.float32(1e-7))
HIGH = float(np.float32(1) - np.float32(1e-7))
rng = np.random.default_rng(20261129)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def clip(x, low, high):
    return torch.where(x < low, torch.full_like(x, low), torch.where(x > high, torch.full_like(x, high), x))


def probs(rows, cols, low=0.02, high=0.98):
    return f32(rng.uniform(low, high, size=(rows, cols)))


def normal(rows, cols, scale=1.0):
    return f32(rng.normal(0, scale, size=(rows, cols)))


def one_hot(rows, cols):
    t = np.zeros((rows, cols))
    t[np.arange(rows), rng.integers(0, cols, rows)] = 1
    return t


def binary(rows, cols):
    return rng.integers(0, 2, size=(rows, cols)).astype(np.float64)


# ---- the Keras formulas, per sample (a vector of length rows) ----

def bce_probs(p, t, ls=0.0):
    t = t * (1 - ls) + 0.5 * ls
    q = clip(p, EPS, HIGH)
    return (-(t * torch.log(q) + (1 - t) * torch.log(1 - q))).mean(-1)


def cce_probs(p, t, ls=0.0):
    t = t * (1 - ls) + ls / p.shape[-1]
    q = clip(p / p.sum(-1, keepdim=True), EPS, HIGH)
    return -(t * torch.log(q)).sum(-1)


def sparse_probs(p, labels):
    q = clip(p / p.sum(-1, keepdim=True), EPS, HIGH)
    return -torch.log(q.gather(1, labels.view(-1, 1))).view(-1)


def hinge_target(t):
    return 2 * t - 1 if bool(((t == 0) | (t == 1)).all()) else t


def kld(p, t):
    t = clip(t, EPS, 1.0)
    return (t * torch.log(t / clip(p, EPS, 1.0))).sum(-1)


def log_cosh(p, t):
    x = p - t
    return (x + F.softplus(-2 * x) - np.log(2)).mean(-1)


def mape(p, t):
    return 100 * (torch.abs(t - p) / torch.clamp(torch.abs(t), min=EPS)).mean(-1)


def msle(p, t):
    first = torch.log(torch.where(p < EPS, torch.full_like(p, EPS), p) + 1)
    second = torch.log(torch.clamp(t, min=EPS) + 1)
    return ((first - second) ** 2).mean(-1)


def cosine(p, t):
    def normalize(x):
        return x / torch.clamp(torch.sqrt((x * x).sum(-1, keepdim=True)), min=EPS)
    return -(normalize(t) * normalize(p)).sum(-1)


def categorical_hinge(p, t):
    pos = (t * p).sum(-1)
    neg = ((1 - t) * p).max(-1).values
    return torch.clamp(neg - pos + 1, min=0)


def focal(p, t, balancing=False, alpha=0.25, gamma=2.0, logits=False, ls=0.0):
    t = t * (1 - ls) + 0.5 * ls
    q = torch.sigmoid(p) if logits else p
    c = clip(q, EPS, HIGH)
    bce = -(t * torch.log(c) + (1 - t) * torch.log(1 - c))
    pt = t * q + (1 - t) * (1 - q)
    out = torch.pow(1 - pt, gamma) * bce
    if balancing:
        out = (t * alpha + (1 - t) * (1 - alpha)) * out
    return out.mean(-1)


def torch_sparse_logits(p, t):
    return F.cross_entropy(p, t.long().view(-1), reduction="none")


cases = []


def add(name, loss, params, p, t, per_sample, source):
    pt = torch.tensor(p, requires_grad=True)
    tt = torch.tensor(t)
    losses = per_sample(pt, tt)
    mean = losses.mean()
    mean.backward()
    cases.append({
        "name": name, "loss": loss, "params": params, "source": source,
        "predictions": p.tolist(), "targets": t.tolist(),
        "per_sample_loss_f64": losses.detach().tolist(), "loss_f64": mean.item(),
        "grad_wrt_predictions_f64": pt.grad.tolist(),
    })


# ---- the cases ----
p = normal(6, 4); t = normal(6, 4)
add("mse", "mean_squared_error", {}, p, t, lambda a, b: F.mse_loss(a, b, reduction="none").mean(-1), "torch")
add("mae", "mean_absolute_error", {}, p, t, lambda a, b: F.l1_loss(a, b, reduction="none").mean(-1), "torch")
p = normal(6, 4, 2.0); t = normal(6, 4)
for delta in (1.0, 0.5, 2.5):
    add("huber_%g" % delta, "huber", {"delta": delta}, p, t,
        lambda a, b, d=delta: F.huber_loss(a, b, reduction="none", delta=d).mean(-1), "torch")
add("log_cosh", "log_cosh", {}, p, t, log_cosh, "keras formula")
p = probs(5, 3); t = binary(5, 3)
add("bce_probs", "binary_crossentropy", {"from_logits": False, "label_smoothing": 0.0}, p, t,
    lambda a, b: bce_probs(a, b), "keras formula")
add("bce_probs_smoothed", "binary_crossentropy", {"from_logits": False, "label_smoothing": 0.2}, p, t,
    lambda a, b: bce_probs(a, b, 0.2), "keras formula")
pc = p.copy(); pc[0, 0] = 0.0; pc[1, 1] = 1.0; pc[2, 2] = f32(1e-9)
add("bce_probs_clipped", "binary_crossentropy", {"from_logits": False, "label_smoothing": 0.0}, pc, t,
    lambda a, b: bce_probs(a, b), "keras formula")
z = normal(5, 3, 3.0); z[0, 0] = 40.0; z[1, 1] = -40.0
add("bce_logits", "binary_crossentropy", {"from_logits": True, "label_smoothing": 0.0}, z, t,
    lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction="none").mean(-1), "torch")
add("bce_logits_smoothed", "binary_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, z, t,
    lambda a, b: F.binary_cross_entropy_with_logits(a, b * 0.9 + 0.05, reduction="none").mean(-1), "torch")
p = probs(6, 4); t = one_hot(6, 4)
add("cce_probs", "categorical_crossentropy", {"from_logits": False, "label_smoothing": 0.0}, p, t,
    lambda a, b: cce_probs(a, b), "keras formula")
add("cce_probs_smoothed", "categorical_crossentropy", {"from_logits": False, "label_smoothing": 0.1}, p, t,
    lambda a, b: cce_probs(a, b, 0.1), "keras formula")
z = normal(6, 4, 3.0); z[0] = [500.0, -500.0, 0.0, 1.0]
add("cce_logits", "categorical_crossentropy", {"from_logits": True, "label_smoothing": 0.0}, z, t,
    lambda a, b: F.cross_entropy(a, b, reduction="none"), "torch")
add("cce_logits_smoothed", "categorical_crossentropy", {"from_logits": True, "label_smoothing": 0.2}, z, t,
    lambda a, b: F.cross_entropy(a, b, reduction="none", label_smoothing=0.2), "torch")
labels = np.argmax(t, axis=1).astype(np.float64).reshape(-1, 1)
add("sparse_probs", "sparse_categorical_crossentropy", {"from_logits": False}, p, labels,
    lambda a, b: sparse_probs(a, b.long().view(-1)), "keras formula")
add("sparse_logits", "sparse_categorical_crossentropy", {"from_logits": True}, z, labels, torch_sparse_logits, "torch")
p = probs(5, 4, 0.05, 0.95); t = probs(5, 4, 0.05, 0.95); t[0, 0] = 0.0
add("kl_divergence", "kl_divergence", {}, p, t, kld, "keras formula")
p = f32(rng.uniform(0.1, 3.0, size=(5, 3))); t = f32(rng.integers(0, 5, size=(5, 3)))
add("poisson", "poisson", {}, p, t,
    lambda a, b: F.poisson_nll_loss(a, b, log_input=False, full=False, eps=EPS, reduction="none").mean(-1), "torch")
p = normal(6, 3); t = binary(6, 3)
add("hinge", "hinge", {}, p, t, lambda a, b: torch.clamp(1 - hinge_target(b) * a, min=0).mean(-1), "keras formula")
add("squared_hinge", "squared_hinge", {}, p, t,
    lambda a, b: (torch.clamp(1 - hinge_target(b) * a, min=0) ** 2).mean(-1), "keras formula")
tpm = 2 * binary(6, 3) - 1
add("hinge_pm1", "hinge", {}, p, tpm, lambda a, b: torch.clamp(1 - b * a, min=0).mean(-1), "keras formula")
t = one_hot(6, 3)
add("categorical_hinge", "categorical_hinge", {}, p, t, categorical_hinge, "keras formula")
p = normal(5, 4); t = normal(5, 4); t[0, 0] = 0.0
add("mape", "mean_absolute_percentage_error", {}, p, t, mape, "keras formula")
p = f32(rng.uniform(0.0, 4.0, size=(5, 3))); p[0, 0] = -0.5; t = f32(rng.uniform(0.0, 4.0, size=(5, 3)))
add("msle", "mean_squared_logarithmic_error", {}, p, t, msle, "keras formula")
p = normal(5, 4); t = normal(5, 4); t[1] = 0.0
add("cosine_similarity", "cosine_similarity", {}, p, t, cosine, "keras formula")
p = probs(5, 3); t = binary(5, 3)
add("focal", "binary_focal_crossentropy", {"apply_class_balancing": False, "alpha": 0.25, "gamma": 2.0,
    "from_logits": False, "label_smoothing": 0.0}, p, t, lambda a, b: focal(a, b), "keras formula")
add("focal_balanced", "binary_focal_crossentropy", {"apply_class_balancing": True, "alpha": 0.3, "gamma": 1.5,
    "from_logits": False, "label_smoothing": 0.1}, p, t,
    lambda a, b: focal(a, b, True, 0.3, 1.5, False, 0.1), "keras formula")
z = normal(5, 3, 2.0)
add("focal_logits", "binary_focal_crossentropy", {"apply_class_balancing": False, "alpha": 0.25, "gamma": 2.0,
    "from_logits": True, "label_smoothing": 0.0}, z, t, lambda a, b: focal(a, b, logits=True), "keras formula")

# the hand-written torch forms agree with torch's own where torch has one
zt = torch.tensor(normal(4, 3, 2.0)); tb = torch.tensor(binary(4, 3))
assert torch.allclose(focal(zt, tb, logits=True, gamma=0.0),
                      F.binary_cross_entropy_with_logits(zt, tb, reduction="none").mean(-1), rtol=1e-6)
pt_ = torch.tensor(probs(4, 3)); tt_ = torch.tensor(one_hot(4, 3))
assert torch.allclose(cce_probs(pt_ / pt_.sum(-1, keepdim=True), tt_),
                      F.cross_entropy(torch.log(pt_), tt_, reduction="none"), rtol=1e-12)
for c in cases:
    assert all(np.isfinite(c["grad_wrt_predictions_f64"]).ravel()), c["name"]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses.json")
with open(out, "w") as f:
    json.dump({"generator": "generate.py, torch %s float64" % torch.__version__,
               "tolerance": "value 1e-12 relative; gradient float32 rounding (2^-23 relative) of the float64 value",
               "cases": cases}, f, indent=1)
print("wrote %d cases to %s" % (len(cases), out))
