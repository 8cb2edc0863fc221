#!/usr/bin/env python3
"""Expected moments of nn-core's initializers, from Keras 3's formulas in numpy float64.

Writes initializers.json next to this file; the tests never run this script. Run with Debian's python:

    /usr/bin/python3 nn-core/src/test/resources/reference/initializers/generate.py

Keras 3, keras/src/initializers/random_initializers.py: VarianceScaling divides `scale` by max(1, n), n = fan_in,
fan_out or (fan_in + fan_out) / 2 (compute_fans: a 2-D shape (in, out) has fan_in = in, fan_out = out; a 1-D shape
(u,) has both u); "uniform" draws U(-sqrt(3 s), sqrt(3 s)), "truncated_normal" a normal of stddev
sqrt(s) / 0.87962566103423978 truncated at two stddevs, "untruncated_normal" N(0, s). GlorotUniform/GlorotNormal:
scale 1, fan_avg; HeNormal/HeUniform: scale 2, fan_in; LecunNormal/LecunUniform: scale 1, fan_in. RandomNormal
(0, 0.05), RandomUniform(-0.05, 0.05), TruncatedNormal(0, 0.05): two stddevs, no correction. Orthogonal(gain):
Q of the QR of a normal matrix, so Q^T Q = gain^2 I and each entry has mean 0, variance gain^2 / max(rows, cols).

For each case: mean, variance, fourth central moment m4 (so a test can bound the sampling error of the variance,
sqrt((m4 - variance^2) / N)), and the support's bounds (None where unbounded). The truncated normal's moments are
integrated numerically (no scipy) and checked against the closed forms; each case is also checked against one
million numpy draws, and the Glorot/He cases against torch.nn.init's own samplers where torch has the same thing.
"""
import json
import math
import os

import numpy as np
import torch

SHAPE = [300, 100]
BIAS = [50]
CORRECTION = 0.87962566103423978


def truncated_moments(k=2.0):
    """Variance and fourth moment of a standard normal truncated to [-k, k], by integration and closed form."""
    x = np.linspace(-k, k, 2_000_001)
    pdf = np.exp(-x * x / 2)
    z = np.trapz(pdf, x)
    var = np.trapz(x * x * pdf, x) / z
    m4 = np.trapz(x ** 4 * pdf, x) / z
    phi = math.exp(-k * k / 2) / math.sqrt(2 * math.pi)
    mass = math.erf(k / math.sqrt(2))
    assert abs(var - (1 - 2 * k * phi / mass)) < 1e-10
    assert abs(m4 - (3 - 2 * k * (k * k + 3) * phi / mass)) < 1e-10
    assert abs(math.sqrt(var) - CORRECTION) < 1e-9, math.sqrt(var)
    return var, m4


TVAR, TM4 = truncated_moments()


def fans(shape):
    return (shape[0], shape[0]) if len(shape) == 1 else (shape[0], shape[1])


def variance_scaling(scale, mode, distribution, shape):
    fan_in, fan_out = fans(shape)
    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]
    s = scale / max(1.0, n)
    if distribution == "uniform":
        limit = math.sqrt(3.0 * s)
        return dict(mean=0.0, variance=limit ** 2 / 3, m4=limit ** 4 / 5, low=-limit, high=limit)
    if distribution == "truncated_normal":
        stddev = math.sqrt(s) / CORRECTION
        return dict(mean=0.0, variance=stddev ** 2 * TVAR, m4=stddev ** 4 * TM4, low=-2 * stddev, high=2 * stddev)
    return dict(mean=0.0, variance=s, m4=3 * s * s, low=None, high=None)


def sample(case, n=1_000_000, rng=np.random.default_rng(1)):
    kind = case["kind"]
    if kind == "uniform":
        return rng.uniform(case["low"], case["high"], n)
    if kind == "orthogonal":
        m, k = max(case["shape"]), min(case["shape"])
        def haar():
            q, r = np.linalg.qr(rng.normal(size=(m, k)))
            return (q * np.sign(np.diag(r))).ravel()  # Keras's sign fix; without it LAPACK's Q is biased
        q = np.concatenate([haar() for _ in range(n // (m * k) + 1)])
        return case["params"]["gain"] * q[:n]
    if kind == "truncated":
        sd = (case["high"] - case["mean"]) / 2
        x = rng.normal(0, 1, 3 * n)
        x = x[np.abs(x) <= 2][:n]
        return case["mean"] + sd * x
    return rng.normal(case["mean"], math.sqrt(case["variance"]), n)


cases = []


def add(name, params, shape, moments, kind):
    case = dict(name=name, params=params, shape=shape, kind=kind, **moments)
    draws = sample(case)
    se_mean = math.sqrt(case["variance"] / draws.size)
    se_var = math.sqrt((case["m4"] - case["variance"] ** 2) / draws.size)
    assert abs(draws.mean() - case["mean"]) < 6 * se_mean, name
    assert abs(draws.var() - case["variance"]) < 6 * se_var, (name, draws.var(), case["variance"])
    cases.append(case)


VS = {"glorot_uniform": (1, "fan_avg", "uniform"), "glorot_normal": (1, "fan_avg", "truncated_normal"),
      "he_normal": (2, "fan_in", "truncated_normal"), "he_uniform": (2, "fan_in", "uniform"),
      "lecun_normal": (1, "fan_in", "truncated_normal"), "lecun_uniform": (1, "fan_in", "uniform")}
for name, (scale, mode, dist) in VS.items():
    for shape in (SHAPE, BIAS):
        add(name, {}, shape, variance_scaling(scale, mode, dist, shape), "uniform" if dist == "uniform" else "truncated")
for mode in ("fan_in", "fan_out", "fan_avg"):
    for dist in ("truncated_normal", "untruncated_normal", "uniform"):
        add("variance_scaling", {"scale": 1.5, "mode": mode, "distribution": dist}, SHAPE,
            variance_scaling(1.5, mode, dist, SHAPE),
            {"uniform": "uniform", "truncated_normal": "truncated", "untruncated_normal": "normal"}[dist])
add("random_normal", {"mean": 0.0, "stddev": 0.05}, SHAPE, dict(mean=0.0, variance=0.0025, m4=3 * 0.0025 ** 2,
    low=None, high=None), "normal")
add("random_normal", {"mean": 0.5, "stddev": 2.0}, BIAS, dict(mean=0.5, variance=4.0, m4=48.0, low=None, high=None),
    "normal")
add("random_uniform", {"minval": -0.05, "maxval": 0.05}, SHAPE,
    dict(mean=0.0, variance=0.1 ** 2 / 12, m4=0.05 ** 4 / 5, low=-0.05, high=0.05), "uniform")
add("random_uniform", {"minval": 1.0, "maxval": 3.0}, BIAS, dict(mean=2.0, variance=4 / 12, m4=1 / 5, low=1.0, high=3.0),
    "uniform")
for mean, sd, shape in ((0.0, 0.05, SHAPE), (1.0, 0.5, BIAS)):
    add("truncated_normal", {"mean": mean, "stddev": sd}, shape,
        dict(mean=mean, variance=sd * sd * TVAR, m4=sd ** 4 * TM4, low=mean - 2 * sd, high=mean + 2 * sd), "truncated")
for gain, shape in ((1.0, [100, 40]), (2.0, [40, 100]), (1.0, [64, 64])):
    g2 = gain * gain
    big = max(shape)
    # an entry of a random orthonormal column of length m: mean 0, variance 1/m, E[x^4] = 3 / (m (m + 2))
    add("orthogonal", {"gain": gain}, shape, dict(mean=0.0, variance=g2 / big, m4=g2 * g2 * 3 / (big * (big + 2)),
        low=-abs(gain), high=abs(gain)), "orthogonal")

# torch.nn.init agrees where it has the same distribution
t = torch.empty(300, 100, dtype=torch.float64)
torch.nn.init.xavier_uniform_(t.T)  # torch's fan_in is dim 1 of (out, in); transposing keeps the same pair
limit = math.sqrt(6 / 400)
assert float(t.abs().max()) <= limit and abs(float(t.var()) - limit ** 2 / 3) < 0.02 * limit ** 2 / 3
q = torch.empty(100, 40, dtype=torch.float64)
torch.nn.init.orthogonal_(q)
assert torch.allclose(q.T @ q, torch.eye(40, dtype=torch.float64), atol=1e-12)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "initializers.json")
with open(out, "w") as f:
    json.dump({"generator": "generate.py, numpy %s float64" % np.__version__, "cases": cases}, f, indent=1)
print("wrote %d cases to %s" % (len(cases), out))
