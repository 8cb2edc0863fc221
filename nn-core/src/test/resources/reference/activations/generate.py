#!/usr/bin/env python3
"""Float64 reference values and gradients for every activation nn-core supports (Keras names).

Writes activations.json next to this file. The tests never run this script; it is kept as the record of how the
numbers were made. Run it with Debian's PyTorch (PyPI is not needed; python3-mpmath comes with python3-torch):

    apt-get install -y python3-torch python3-numpy python3-mpmath
    /usr/bin/python3 nn-core/src/test/resources/reference/activations/generate.py

It is deterministic (fixed seed) and prints how far each case's numbers are from an 80-digit mpmath evaluation
of the textbook formulas.

What it computes, for each case:
  * rows      inputs, every one exactly a float32 (rounded through numpy.float32, written as the double that
              equals it), so Java's (float) cast of the parsed double loses nothing. Element-wise cases: one
              long row of ordinary values, 0, +-20, +-100, +-1000, 88.7, +-88.8, -104, and each kink k with
              k +- 2^-10 (exact in float32, so no rounding decides a comparison), then a short second row;
  * upstream  dL/dy, also exactly float32: all ones for the long row (so its gradient is the derivative itself),
              random for the short one (so multiplying by dL/dy is checked), random for every softmax /
              log_softmax row (so the row's Jacobian-transpose product is checked);
  * output_f64  the forward value in float64 (torch);
  * grad_f64    dL/dx = upstream * f'(x) (element-wise) or J(x)^T upstream (softmax, log_softmax): float64
              torch autograd, except at kinks (below) and where a closed form is more accurate (below).

Checks made before anything is written: central differences agree with every gradient away from kinks; every
value and gradient agrees with 80-digit mpmath to 1e-13 relative (softmax rows: or 1e-15 absolute); the
hand-written forms agree with torch's own functions (F.softplus, F.mish, F.gelu, F.elu, F.selu, F.hardsigmoid,
F.hardswish, F.relu6, F.leaky_relu, F.threshold, F.hardtanh) where those are exact; nothing is NaN; the only
infinities are exponential(1000) and its derivative; the values the brief pins down (softplus(1000) = 1000,
sigmoid(-1000) = 0, mish(-1000) = silu(-1000) = -0, ...) hold.

Kinks. PyTorch and TensorFlow do not always agree on the derivative at a point where the function is not
differentiable; nn-core follows Keras, i.e. TensorFlow's gradient kernels and TensorFlow's autodiff of Keras 3's
ops (keras/src/backend/tensorflow/nn.py). Each element-wise case lists the derivative Keras/TF gives at its
kinks; the script stores those values there, and the case's "kink_notes" says where torch's answer differs.
    relu        TF ReluGrad: x > 0 ? 1 : 0                              -> relu'(0) = 0 (torch agrees)
    relu6       TF Relu6Grad: 0 < x < 6 ? 1 : 0                         -> 0 at 0 and at 6 (torch agrees)
    leaky_relu  TF LeakyReluGrad: x > 0 ? 1 : slope                     -> slope at 0 (torch agrees)
    elu         TF EluGrad on the output y: y < 0 ? y + 1 : 1, and for alpha != 1 Keras 3 uses
                tf.where(x > 0, elu(x), alpha * elu(x))                  -> alpha at 0 (torch agrees)
    selu        TF SeluGrad on the output y: y < 0 ? y + scale*alpha : scale
                                                                        -> scale (1.0507...) at 0; torch gives
                                                                           scale*alpha (1.7581...)
    hard_sigmoid  Keras 3: relu6(x + 3) / 6 -> Relu6Grad                -> 0 at -3 and 3 (torch agrees)
    hard_silu   Keras 3: x * hard_sigmoid(x), autodiff: hs(x) + x*hs'(x)
                                                                        -> 0 at -3, 1 at 3; torch's
                                                                           F.hardswish gives -0.5 at -3 and, at
                                                                           3, 1.5 or 1.0 (scalar / SIMD path)
    hard_sigmoid (Keras 2) clip(0.2x + 0.5, 0, 1) = tf.clip_by_value = maximum(minimum(v, 1), 0), whose
                Minimum/Maximum gradients send ties to v               -> 0.2 at -2.5 and 2.5 (the bounds are
                                                                           inclusive; torch.clamp agrees,
                                                                           F.hardtanh does not)
    relu(max_value, negative_slope, threshold)  (Keras 3's activations.relu as its code computes it:
                positive part x * (x > threshold), or relu6 for max_value 6 without threshold, or relu; clipped
                to [0, max_value]; minus negative_slope * relu(threshold - x)). So relu(threshold) = 0 when
                threshold != 0, as the keras.activations.relu docstring shows (the ReLU layer's prose says x).
                Derivatives at kinks as TF differentiates that graph: relu and relu6 give 0 at their kinks,
                clip_by_value passes the gradient at its bounds (1 at max_value in the combined case), plain
                leaky relu gives its slope at 0.
Everything else is smooth.

Accurate forms. Where torch 1.13's float64 function or its backward loses digits, the script uses a form that
does not (mpmath confirms each):
  softplus  F.softplus returns x itself for x > 20 (off by ~1e-9 at 20.5) and logaddexp(x, 0) uses log(1 + e^-|x|)
            (3e-8 relative error at -20, 0 instead of 6.8e-46 at -104): here x + log1p(e^-x) for x > 0, else
            log1p(e^x), each branch fed only its own side of 0; softplus(1000) = 1000, gradient sigmoid(x).
  mish      x * tanh(softplus(x)) with that softplus.
  elu/selu  scale * (x if x > 0 else alpha * expm1(x)) (torch uses exp(x) - 1), derivative
            scale * (x > 0 ? 1 : alpha * exp(x)) (autograd of expm1 gives 0 below x = -37).
  gelu      x * erfc(-x / sqrt 2) / 2 (TensorFlow's form; torch's 1 + erf cancels: 3e-4 relative error at -7.5)
            and, for approximate=True, x * sigmoid(2u) = 0.5x(1 + tanh u), u = sqrt(2/pi)(x + 0.044715x^3).
  sigmoid   derivative s(x) s(-x) (torch's s(1 - s) is 0 instead of 3e-39 at 88.7).
  tanh      derivative 4 s(2x) s(-2x) = sech^2 x (torch's 1 - tanh^2 is 0 from |x| = 19.1 on).
  softsign  derivative 1 / (1 + |x|)^2.
  hard_sigmoid  relu6(x + 3) / 6, not F.hardsigmoid, whose float64 backward uses float32(1/6) = 0.16666667163.
Infinity. Every value is finite except exponential(1000) and its derivative (+inf in float64 too).
"""

import json
import math
import os
import sys

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
SEED = 20240611
RNG = np.random.default_rng(SEED)
DELTA = 2.0 ** -10  # kink +- DELTA: exact in float32 and float64, so no rounding decides a comparison
mpmath.mp.dps = 80
MP_WORST = {}  # case id -> largest relative difference between torch float64 and 80-digit mpmath
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "activations.json")

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def debian_torch_version():
    try:
        import subprocess
        return subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "python3-torch"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except Exception:  # not Debian: the version torch reports is enough
        return "?"


def f32(values):
    """The float32 nearest to each value, as the float64 that equals it."""
    out = [float(np.float64(np.float32(v))) for v in values]
    for v in out:
        assert math.isfinite(v)
    return out


# Ordinary values, exactly 0, and large |x|: 88.8 and 100 overflow float32 exp (3.4e38 is the largest float,
# e^88.72), 88.7 does not; exp(-104) = 6.8e-46 underflows float32 to 0; exp(-88.8) = 2.8e-39 is subnormal.
COMMON = [-1000, -104, -100, -88.8, -20, -7.5, -4.2, -2.7, -1.5, -1, -0.73, -0.25, -0.01, 0,
          0.01, 0.25, 0.73, 1, 1.5, 2.7, 4.2, 7.5, 20, 88.7, 88.8, 100, 1000]
# The short second row of every element-wise case, with a random dL/dy: away from every kink.
SECOND_ROW = [-3.7, -1.2, -0.4, 0.6, 1.9, 5.1]


# ----------------------------------------------------------------------------------------------------------
# Element-wise functions: torch float64, differentiable with autograd.
# ----------------------------------------------------------------------------------------------------------

def softplus_exact(x):
    """log(1 + e^x) = x + log1p(e^-x) for x > 0, log1p(e^x) otherwise. Each branch sees only its own side of 0,
    so neither overflows nor feeds NaN into the other's gradient, and the derivative is sigmoid(x) (1/2 at 0)."""
    positive = x > 0
    xp = torch.where(positive, x, torch.zeros_like(x))
    xn = torch.where(positive, torch.zeros_like(x), x)
    return torch.where(positive, xp + torch.log1p(torch.exp(-xp)), torch.log1p(torch.exp(xn)))


def mish_exact(x):
    return x * torch.tanh(softplus_exact(x))


def gelu_exact(x):
    """x * Phi(x) with Phi(x) = erfc(-x / sqrt 2) / 2 (TensorFlow's form): torch's 0.5x(1 + erf(x / sqrt 2))
    cancels for x < 0 (3e-4 relative error at x = -7.5)."""
    return x * (0.5 * torch.special.erfc(-x / math.sqrt(2.0)))


def gelu_tanh(x):
    """0.5x(1 + tanh(u)) = x * sigmoid(2u), u = sqrt(2/pi)(x + 0.044715x^3): the same function without the
    cancellation of 1 + tanh(u) for x < 0."""
    u = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)
    return x * torch.sigmoid(2.0 * u)


def elu_exact(alpha, scale=1.0):
    """scale * (x if x > 0 else alpha * expm1(x)); torch's F.elu and F.selu use exp(x) - 1 (7.6e-15 relative
    error at x = -2^-10). The negative branch sees only x <= 0, so it never overflows into the gradient."""
    def f(x):
        positive = x > 0
        xn = torch.where(positive, torch.zeros_like(x), x)
        return scale * torch.where(positive, x, alpha * torch.expm1(xn))
    return f


def elu_derivative(alpha, scale=1.0):
    """scale * (1 if x > 0 else alpha * exp(x)); autograd of expm1 uses expm1(x) + 1, which is 0 from x = -37
    on (the kinks table then sets Keras's value at 0)."""
    def d(x):
        return scale * torch.where(x > 0, torch.ones_like(x), alpha * torch.exp(torch.clamp(x, max=0.0)))
    return d


def softsign_derivative(x):
    """1 / (1 + |x|)^2; autograd of x / (1 + |x|) subtracts two nearly equal terms at large |x|."""
    return 1.0 / (1.0 + torch.abs(x)) ** 2


def hard_sigmoid_k3(x):
    return F.relu6(x + 3.0) / 6.0


def hard_silu_k3(x):
    return x * hard_sigmoid_k3(x)


def hard_sigmoid_k2(x):
    return torch.clamp(0.2 * x + 0.5, 0.0, 1.0)


def keras_relu(max_value, negative_slope, threshold):
    """Keras 3's activations.relu as its code computes it (keras/src/activations/activations.py): the positive part
    x * (x > threshold) (or relu6 for max_value 6 without threshold, else relu), clipped to [0, max_value], minus
    negative_slope * relu(threshold - x). So relu(threshold) = 0 when threshold != 0."""
    relu6_path = threshold == 0 and max_value == 6.0
    def f(x):
        if threshold != 0:
            y = x * (x > threshold).to(x.dtype)
        elif relu6_path:
            y = torch.clamp(x, 0.0, 6.0)
        else:
            y = torch.clamp(x, min=0.0)
        if max_value is not None and not relu6_path:
            y = torch.clamp(y, 0.0, max_value)
        if negative_slope != 0:
            y = y - negative_slope * torch.clamp(threshold - x, min=0.0)
        return y
    return f


def keras_relu_kinks(max_value, negative_slope, threshold):
    """TensorFlow's gradients at the kinks: relu and relu6 give 0 there, clip_by_value passes the gradient at its
    bounds, and plain leaky relu (threshold 0, no cap) gives its slope at 0."""
    leaky = threshold == 0 and max_value is None and negative_slope != 0
    kinks = {threshold: negative_slope if leaky else 0.0}
    if max_value is not None:
        kinks[max_value] = 0.0 if (threshold == 0 and max_value == 6.0) else 1.0
    return kinks


def case(case_id, name, fn, form, params=None, by_name=False, aliases=(), kinks=None, notes=None, deriv=None):
    return dict(id=case_id, name=name, fn=fn, form=form, params=params or {}, by_name=by_name,
                aliases=list(aliases), kinks=kinks or {}, notes=notes, deriv=deriv)


def sigmoid_derivative(x):
    """s(x) s(-x): torch's backward s(1 - s) loses the digits of 1 - s for x > 0 (3.6e-8 relative at 20, 0
    instead of 3e-39 at 88.7)."""
    return torch.sigmoid(x) * torch.sigmoid(-x)


def tanh_derivative(x):
    """sech^2 x = 4 s(2x) s(-2x): torch's backward 1 - tanh^2 is 0 from |x| = 19.1 on and 4e-11 off at 7.5."""
    return 4.0 * torch.sigmoid(2.0 * x) * torch.sigmoid(-2.0 * x)


ELEMENTWISE = [
    case("linear", "linear", lambda x: x * 1.0, "x", by_name=True),
    case("relu", "relu", F.relu, "F.relu", by_name=True, kinks={0.0: 0.0}),
    case("relu6", "relu6", F.relu6, "F.relu6", by_name=True, kinks={0.0: 0.0, 6.0: 0.0}),
    case("leaky_relu_0.2", "leaky_relu", lambda x: F.leaky_relu(x, 0.2), "F.leaky_relu(x, 0.2)",
         params={"negative_slope": 0.2}, by_name=True, kinks={0.0: 0.2}),
    case("leaky_relu_0.01", "leaky_relu", lambda x: F.leaky_relu(x, 0.01), "F.leaky_relu(x, 0.01)",
         params={"negative_slope": 0.01}, kinks={0.0: 0.01}),
    case("elu_1.0", "elu", elu_exact(1.0), "x if x > 0 else expm1(x)", params={"alpha": 1.0}, by_name=True,
         kinks={0.0: 1.0}, deriv=elu_derivative(1.0)),
    case("elu_0.5", "elu", elu_exact(0.5), "x if x > 0 else 0.5 expm1(x)", params={"alpha": 0.5},
         kinks={0.0: 0.5}, deriv=elu_derivative(0.5)),
    case("selu", "selu", elu_exact(SELU_ALPHA, SELU_SCALE), "scale (x if x > 0 else alpha expm1(x))",
         by_name=True, kinks={0.0: SELU_SCALE}, deriv=elu_derivative(SELU_ALPHA, SELU_SCALE),
         notes="selu'(0) is scale = 1.0507... (TF's SeluGrad: output < 0 ? output + scale*alpha : scale), not "
               "scale*alpha = 1.7581... (torch, and the x > 0 ? scale : scale*alpha*exp(x) rule). Unlike elu, "
               "where both rules give alpha at 0, the two differ here."),
    case("gelu_exact", "gelu", gelu_exact, "x * erfc(-x / sqrt 2) / 2", params={"approximate": False},
         by_name=True),
    case("gelu_tanh", "gelu", gelu_tanh, "x * sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3))",
         params={"approximate": True}),
    case("silu", "silu", F.silu, "F.silu", by_name=True, aliases=["swish"]),
    case("softplus", "softplus", softplus_exact, "x + log1p(exp(-x)) if x > 0 else log1p(exp(x))", by_name=True),
    case("softsign", "softsign", F.softsign, "F.softsign", by_name=True, deriv=softsign_derivative),
    case("hard_sigmoid", "hard_sigmoid", hard_sigmoid_k3, "F.relu6(x + 3) / 6", by_name=True,
         kinks={-3.0: 0.0, 3.0: 0.0}),
    case("hard_silu", "hard_silu", hard_silu_k3, "x * F.relu6(x + 3) / 6", by_name=True, aliases=["hard_swish"],
         kinks={-3.0: 0.0, 3.0: 1.0},
         notes="Keras 3's x * hard_sigmoid(x) differentiates to hard_sigmoid(x) + x * hard_sigmoid'(x): 0 at "
               "x = -3 and 1 at x = 3 (hard_sigmoid' is 0 at both). torch's F.hardswish uses the inner formula "
               "x/3 + 1/2 on the closed interval, -0.5 and 1.5 there."),
    case("exponential", "exponential", torch.exp, "torch.exp", by_name=True,
         notes="exp(88.8) = 3.67e38 and exp(100) = 2.69e43 are finite in float64 but overflow float32: the "
               "float32 apply and gradient must give +Infinity there (the expected value rounded to float). "
               "exp(1000) = +Infinity even in float64, and so is its derivative. exp(88.7) = 3.3e38 still fits "
               "in float32; exp(-104) = 6.8e-46 rounds to 0 in float32."),
    case("mish", "mish", mish_exact, "x * tanh(softplus(x))", by_name=True),
    case("sigmoid", "sigmoid", torch.sigmoid, "torch.sigmoid", by_name=True, deriv=sigmoid_derivative),
    case("tanh", "tanh", torch.tanh, "torch.tanh", by_name=True, deriv=tanh_derivative),
    case("relu_max6", "relu", keras_relu(6.0, 0.0, 0.0), "torch.where, documented ReLU-layer formula",
         params={"max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0},
         kinks=keras_relu_kinks(6.0, 0.0, 0.0)),
    case("relu_slope0.1", "relu", keras_relu(None, 0.1, 0.0), "torch.where, documented ReLU-layer formula",
         params={"max_value": None, "negative_slope": 0.1, "threshold": 0.0},
         kinks=keras_relu_kinks(None, 0.1, 0.0)),
    case("relu_threshold0.5", "relu", keras_relu(None, 0.0, 0.5), "torch.where, documented ReLU-layer formula",
         params={"max_value": None, "negative_slope": 0.0, "threshold": 0.5},
         kinks=keras_relu_kinks(None, 0.0, 0.5),
         notes="relu(0.5) = 0.5 here, by the ReLU layer's documented formula and nn-core's spec; Keras's code "
               "(x * (x > threshold)) returns 0 at x == threshold."),
    case("relu_max6_slope0.1_threshold0.5", "relu", keras_relu(6.0, 0.1, 0.5),
         "torch.where, documented ReLU-layer formula",
         params={"max_value": 6.0, "negative_slope": 0.1, "threshold": 0.5},
         kinks=keras_relu_kinks(6.0, 0.1, 0.5),
         notes="relu(0.5) = 0.5 here (documented formula, nn-core's spec); Keras's code returns 0 at x == "
               "threshold. Derivatives at the kinks follow the uniform rule (0.1 at x = 0.5, 0 at x = 6); TF's "
               "autodiff of Keras's op graph would give 0 at 0.5 and 1 at 6 for this parameter combination."),
    case("hard_sigmoid_keras2", "hard_sigmoid", hard_sigmoid_k2, "torch.clamp(0.2x + 0.5, 0, 1)",
         params={"variant": "keras2"}, kinks={-2.5: 0.2, 2.5: 0.2},
         notes="Keras 2's hard_sigmoid, clip(0.2x + 0.5, 0, 1). Its derivative is 0.2 on the closed interval "
               "[-2.5, 2.5]: tf.clip_by_value's gradient passes at the bounds (and torch.clamp's does too)."),
]

# Cross-checks against torch's own functions where the script uses a hand-written form.
# (torch function, where its values must agree with this case's to 1e-15, its name for the kink notes).
def everywhere(x):
    return torch.ones_like(x, dtype=torch.bool)


CROSS_CHECKS = {
    # torch's default softplus returns x above 20; with the threshold out of reach it is log1p(exp(x)), which is
    # exact until exp overflows.
    "softplus": (lambda x: F.softplus(x, threshold=1e300), lambda x: x < 700, "F.softplus", 1e-15),
    "mish": (F.mish, everywhere, "F.mish", 1e-15),
    "elu_1.0": (lambda x: F.elu(x, 1.0), everywhere, "F.elu(x, 1.0)", 1e-14),
    "elu_0.5": (lambda x: F.elu(x, 0.5), everywhere, "F.elu(x, 0.5)", 1e-14),
    "selu": (F.selu, everywhere, "F.selu", 1e-14),
    "gelu_exact": (lambda x: F.gelu(x, approximate="none"), everywhere, "F.gelu(x, approximate='none')", 1e-15),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), everywhere, "F.gelu(x, approximate='tanh')", 1e-15),
    "hard_sigmoid": (F.hardsigmoid, everywhere, "F.hardsigmoid", 1e-15),
    "hard_silu": (F.hardswish, everywhere, "F.hardswish", 1e-15),
    "relu_max6": (F.relu6, everywhere, "F.relu6", 1e-15),
    "relu_slope0.1": (lambda x: F.leaky_relu(x, 0.1), everywhere, "F.leaky_relu(x, 0.1)", 1e-15),
    "relu_threshold0.5": (lambda x: F.threshold(x, 0.5, 0.0), lambda x: x != 0.5, "F.threshold(x, 0.5, 0)",
                          1e-15),
    "hard_sigmoid_keras2": (lambda x: F.hardtanh(0.2 * x + 0.5, 0.0, 1.0), everywhere,
                            "F.hardtanh(0.2x + 0.5, 0, 1)", 1e-15),
}


def forward_and_grad(fn, x_values, upstream_values):
    x = torch.tensor(x_values, dtype=torch.float64, requires_grad=True)
    y = fn(x)
    g = torch.tensor(upstream_values, dtype=torch.float64)
    (grad,) = torch.autograd.grad(y, x, grad_outputs=g)
    return y.detach(), grad.detach()


def close(a, b, rel=1e-14):
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300) or abs(a - b) <= 1e-300


def mp_elementwise(case_id, x):
    """Value and derivative (Keras/TF's at kinks) from the textbook formulas in 80-digit mpmath: a check on
    torch's float64 numbers that shares no code with them."""
    mp = mpmath
    x = mp.mpf(x)
    one, zero = mp.mpf(1), mp.mpf(0)
    sig = lambda v: 1 / (1 + mp.exp(-v))
    sp = lambda v: mp.log1p(mp.exp(v)) if v < 0 else v + mp.log1p(mp.exp(-v))
    if case_id == "linear":
        return x, one
    if case_id == "relu":
        return max(x, zero), one if x > 0 else zero
    if case_id == "relu6":
        return min(max(x, zero), 6), one if 0 < x < 6 else zero
    if case_id.startswith("leaky_relu_"):
        a = mp.mpf(case_id.split("_")[-1])
        return (x, one) if x > 0 else (a * x, a)
    if case_id.startswith("elu_"):
        a = mp.mpf(case_id.split("_")[-1])
        return (x, one) if x > 0 else (a * mp.expm1(x), a * mp.exp(x))
    if case_id == "selu":
        alpha, scale = mp.mpf("1.6732632423543772848170429916717"), mp.mpf("1.0507009873554804934193349852946")
        if x > 0:
            return scale * x, scale
        return scale * alpha * mp.expm1(x), scale if x == 0 else scale * alpha * mp.exp(x)
    if case_id == "gelu_exact":
        cdf = mp.erfc(-x / mp.sqrt(2)) / 2
        return x * cdf, cdf + x * mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)
    if case_id == "gelu_tanh":
        c, k = mp.sqrt(2 / mp.pi), mp.mpf("0.044715")
        u = c * (x + k * x ** 3)
        half_1_plus_t = 1 / (1 + mp.exp(-2 * u))  # (1 + tanh u) / 2, exact even where tanh u rounds to -1
        sech2 = 4 * half_1_plus_t * (1 - half_1_plus_t)  # 1 - tanh^2 u
        return x * half_1_plus_t, half_1_plus_t + x * sech2 * c * (1 + 3 * k * x * x) / 2
    if case_id == "silu":
        return x * sig(x), sig(x) * (1 + x * sig(-x))
    if case_id == "softplus":
        return sp(x), sig(x)
    if case_id == "softsign":
        return x / (1 + abs(x)), 1 / (1 + abs(x)) ** 2
    if case_id == "hard_sigmoid":
        return min(max((x + 3) / 6, zero), one), one / 6 if -3 < x < 3 else zero
    if case_id == "hard_silu":
        hs = min(max((x + 3) / 6, zero), one)
        return x * hs, (2 * x + 3) / 6 if -3 < x < 3 else (one if x >= 3 else zero)
    if case_id == "exponential":
        return mp.exp(x), mp.exp(x)
    if case_id == "mish":
        return x * mp.tanh(sp(x)), mp.tanh(sp(x)) + x * mp.sech(sp(x)) ** 2 * sig(x)
    if case_id == "sigmoid":
        return sig(x), sig(x) * sig(-x)
    if case_id == "tanh":
        return mp.tanh(x), mp.sech(x) ** 2
    if case_id.startswith("relu_"):
        p = {"relu_max6": (6, 0, 0), "relu_slope0.1": (None, "0.1", 0), "relu_threshold0.5": (None, 0, "0.5"),
             "relu_max6_slope0.1_threshold0.5": (6, "0.1", "0.5")}[case_id]
        mx, sl, th = (None if p[0] is None else mp.mpf(p[0])), mp.mpf(p[1]), mp.mpf(p[2])
        relu6_path = th == 0 and mx == 6
        if th != 0:
            pos, dpos = (x, one) if x > th else (zero, zero)
        elif relu6_path:
            pos, dpos = min(max(x, zero), mx), (one if zero < x < mx else zero)
        else:
            pos, dpos = max(x, zero), (one if x > zero else zero)
        if mx is not None and not relu6_path:
            if pos > mx or pos < zero:
                dpos = zero
            pos = min(max(pos, zero), mx)
        neg = sl * max(th - x, zero)
        if sl != 0 and th == 0 and mx is None:
            return pos - neg, (one if x > zero else sl)
        return pos - neg, dpos + (sl if x < th else zero)
    if case_id == "hard_sigmoid_keras2":
        v = mp.mpf("0.2") * x + mp.mpf("0.5")
        return min(max(v, zero), one), mp.mpf("0.2") if -2.5 <= x <= 2.5 else zero
    raise KeyError(case_id)


def mp_check(case_id, expected, reference, what, worst, atol=1e-300):
    """float64 expected vs the 80-digit reference: within 1e-13 relative (a few hundred units in the last
    place at worst, see the summary this script prints), or atol absolute."""
    ref = float(reference)  # correctly rounded; overflows to inf like float64 does
    if math.isinf(ref) or math.isinf(expected):
        assert ref == expected, (case_id, what, expected, ref)
        return
    err = abs(expected - ref) / max(abs(ref), 1e-300)
    if abs(expected - ref) > atol:
        worst[0] = max(worst[0], err)
        assert err <= 1e-13, (case_id, what, expected, ref, err)


def elementwise_case(spec):
    kinks = spec["kinks"]
    points = set(COMMON)
    for k in kinks:
        points |= {k, k - DELTA, k + DELTA}
    row1 = f32(sorted(points))
    row2 = f32(SECOND_ROW)
    for k in kinks:
        assert k not in row2 and all(abs(v - k) > 0.1 for v in row2)
    up1 = [1.0] * len(row1)
    up2 = f32(RNG.normal(0.0, 1.5, len(row2)))

    rows, ups, outs, grads = [row1, row2], [up1, up2], [], []
    kink_notes = []
    builtin = CROSS_CHECKS.get(spec["id"])
    for row, up in zip(rows, ups):
        y, g = forward_and_grad(spec["fn"], row, up)
        y, g = y.tolist(), g.tolist()
        if spec["deriv"] is not None:
            # autograd is right to ~1e-16 absolute; the closed form is right to ~1e-16 relative
            closed = [u * d for u, d in zip(up, spec["deriv"](torch.tensor(row)).tolist())]
            for a, b in zip(g, closed):
                assert abs(a - b) <= 1e-15 * (1 + abs(b)), (spec["id"], a, b)
            g = closed
        for j, x in enumerate(row):
            if x in kinks:
                keras = up[j] * kinks[x]
                if not close(g[j], keras):
                    kink_notes.append("x = %r: differentiating this case's float64 form (%s) in torch gives %r"
                                      % (x, spec["form"], g[j] / up[j]))
                if builtin is not None:
                    # torch 1.13's CPU kernels may answer differently in the scalar tail and in the SIMD lanes
                    # (F.hardswish'(3) is 1.5 alone, 1.0 in a vector of 16), so ask both ways.
                    alone = forward_and_grad(builtin[0], [x], [1.0])[1].tolist()[0]
                    lanes = forward_and_grad(builtin[0], [x] * 16, [1.0] * 16)[1].tolist()[0]
                    if not close(alone, kinks[x]) or not close(lanes, kinks[x]):
                        kink_notes.append("x = %r: torch's %s gives %s" % (
                            x, builtin[2], repr(alone) if alone == lanes
                            else "%r (scalar path) and %r (vectorised path)" % (alone, lanes)))
                g[j] = keras
        outs.append(y)
        grads.append(g)
    if kink_notes:
        kink_notes.append("stored: Keras/TF's " + ", ".join("%r at x = %r" % (d, k)
                                                            for k, d in sorted(kinks.items())))

    # Independent check of torch's autograd (and of the kink table's neighbours): central differences in float64
    # for every point at least 2 * h away from a kink, h = 1e-6 * max(1, |x|).
    for row, up, g in zip(rows, ups, grads):
        for j, x in enumerate(row):
            h = 1e-6 * max(1.0, abs(x))
            if any(abs(x - k) < 2 * h for k in kinks) or abs(x) > 150:
                continue
            t = torch.tensor([x - h, x + h])
            yp = spec["fn"](t).tolist()
            fd = up[j] * (yp[1] - yp[0]) / (2 * h)
            assert abs(fd - g[j]) <= 1e-6 * (1 + abs(g[j])), (spec["id"], x, fd, g[j])

    worst = [0.0]
    for row, up, out, g in zip(rows, ups, outs, grads):
        for x, u, a, b in zip(row, up, out, g):
            value, derivative = mp_elementwise(spec["id"], x)
            mp_check(spec["id"], a, value, "f(%r)" % x, worst)
            mp_check(spec["id"], b, mpmath.mpf(u) * derivative, "dL/dx at %r" % x, worst)
    MP_WORST[spec["id"]] = worst[0]

    check = CROSS_CHECKS.get(spec["id"])
    if check is not None:
        torch_fn, where, _, rel = check
        for row, out in zip(rows, outs):
            t = torch.tensor(row)
            ref = torch_fn(t).tolist()
            mask = where(t).tolist()
            for x, a, b, m in zip(row, out, ref, mask):
                # torch's own gelu cancels for x < 0: there its error is below 1e-15 absolute
                if m:
                    assert close(a, b, rel) or abs(a - b) <= 1e-15, (spec["id"], x, a, b)

    # Only exponential may be infinite (at 1000, value and derivative); nothing is NaN.
    for out, g, row in zip(outs, grads, rows):
        for x, a, b in zip(row, out, g):
            assert not math.isnan(a) and not math.isnan(b), (spec["id"], x)
            if math.isinf(a) or math.isinf(b):
                assert spec["id"] == "exponential" and x == 1000.0 and a == b == math.inf, (spec["id"], x, a, b)

    result = {
        "id": spec["id"],
        "name": spec["name"],
        "params": spec["params"],
        "by_name": spec["by_name"],
        "aliases": spec["aliases"],
        "elementwise": True,
        "kinks": sorted(kinks),
    }
    if spec["notes"]:
        result["notes"] = spec["notes"]
    if kink_notes:
        result["kink_notes"] = "; ".join(kink_notes)
    result.update(rows=rows, upstream=ups, output_f64=outs, grad_f64=grads)
    return result


# ----------------------------------------------------------------------------------------------------------
# Row-wise functions: softmax and log_softmax over the last axis.
# ----------------------------------------------------------------------------------------------------------

SOFTMAX_ROWS = [
    [0.0, 0.0, 0.0],
    [1.0, 2.0, 3.0, 4.0],
    [-1.5, 0.3, 2.7, -0.2, 0.9],
    [1000.0, 1000.0, -1000.0],
    [-1000.0, -1000.0, -1000.0],
    [88.8, -104.0, 20.0, 0.0],
    [100.0, -100.0],
    [3.7],
    list(RNG.normal(0.0, 3.0, 10)),
]


def rowwise_case(case_id, fn):
    rows = [f32(r) for r in SOFTMAX_ROWS]
    ups = [f32(RNG.normal(0.0, 1.0, len(r))) for r in rows]
    outs, grads = [], []
    for row, up in zip(rows, ups):
        y, g = forward_and_grad(lambda t: fn(t, dim=-1), row, up)
        y, g = y.tolist(), g.tolist()
        # The Jacobian-transpose product by the closed forms, as a check on autograd.
        s = torch.softmax(torch.tensor(row), dim=-1).tolist()
        if case_id == "softmax":
            dot = sum(si * ui for si, ui in zip(s, up))
            expect = [si * (ui - dot) for si, ui in zip(s, up)]
        else:
            total = sum(up)
            expect = [ui - si * total for si, ui in zip(s, up)]
        for a, b in zip(g, expect):
            assert abs(a - b) <= 1e-14 * (1 + abs(b)), (case_id, row, a, b)
        for v in y + g:
            assert math.isfinite(v), (case_id, row)
        xm = [mpmath.mpf(v) for v in row]
        m = max(xm)
        z = [mpmath.exp(v - m) for v in xm]
        total_z = sum(z)
        sm = [v / total_z for v in z]
        worst = [MP_WORST.get(case_id, 0.0)]
        if case_id == "softmax":
            dot = sum(si * mpmath.mpf(ui) for si, ui in zip(sm, up))
            ref_y = sm
            ref_g = [si * (mpmath.mpf(ui) - dot) for si, ui in zip(sm, up)]
        else:
            ref_y = [v - m - mpmath.log(total_z) for v in xm]
            total_u = sum(mpmath.mpf(ui) for ui in up)
            ref_g = [mpmath.mpf(ui) - si * total_u for si, ui in zip(sm, up)]
        # An element that is nearly 0 next to O(1) terms (log_softmax of the row's top entry, -1.3e-30 for
        # [88.8, -104, 20, 0], is 0 here) carries their rounding: 1e-15 absolute is allowed.
        for a, r in zip(y, ref_y):
            mp_check(case_id, a, r, "output of %r" % row, worst, atol=1e-15)
        for a, r in zip(g, ref_g):
            mp_check(case_id, a, r, "gradient of %r" % row, worst, atol=1e-15)
        MP_WORST[case_id] = worst[0]
        outs.append(y)
        grads.append(g)
    return {
        "id": case_id,
        "name": case_id,
        "params": {},
        "by_name": True,
        "aliases": [],
        "elementwise": False,
        "kinks": [],
        "rows": rows,
        "upstream": ups,
        "output_f64": outs,
        "grad_f64": grads,
    }


def main():
    cases = [elementwise_case(spec) for spec in ELEMENTWISE]
    cases.append(rowwise_case("softmax", torch.softmax))
    cases.append(rowwise_case("log_softmax", torch.log_softmax))

    # Spot checks of a few values the brief pins down.
    by_id = {c["id"]: c for c in cases}

    def at(case_id, x):
        c = by_id[case_id]
        j = c["rows"][0].index(x)
        return c["output_f64"][0][j], c["grad_f64"][0][j]

    assert at("softplus", 1000.0) == (1000.0, 1.0)
    assert at("sigmoid", -1000.0)[0] == 0.0
    for fid in ("mish", "silu"):
        v = at(fid, -1000.0)[0]
        assert v == 0.0 and math.copysign(1.0, v) < 0, (fid, v)
    assert at("exponential", 1000.0) == (math.inf, math.inf)
    assert at("relu6", 6.0) == (6.0, 0.0) and at("relu", 0.0) == (0.0, 0.0)
    assert at("elu_0.5", 0.0)[1] == 0.5 and at("leaky_relu_0.2", 0.0)[1] == 0.2
    assert at("hard_silu", 3.0) == (3.0, 1.0) and at("hard_silu", -3.0)[1] == 0.0
    assert at("relu_threshold0.5", 0.5) == (0.0, 0.0)

    n_points = sum(len(r) for c in cases for r in c["rows"])
    header = {
        "description": "Float64 forward values and gradients dL/dx = J^T dL/dy of every nn-core activation "
                       "(Keras names), for the test ActivationReferenceTest. Made by generate.py (beside this "
                       "file); see README.md.",
        "source": "PyTorch %s (Debian python3-torch %s), torch.float64, autograd; numpy %s; seed %d. "
                  "Float64 forms written out where torch 1.13 differs from Keras or loses digits (Keras 2 "
                  "hard_sigmoid, the parametrised Keras relu, hard_sigmoid, hard_silu, softplus, mish, elu, selu, "
                  "gelu; closed-form derivatives of sigmoid, tanh, softsign, elu, selu); gradients at kinks set to "
                  "Keras/TensorFlow's convention (generate.py's docstring lists them; each case's kink_notes says "
                  "where torch differs). Every number was checked against 80-digit mpmath (1e-13 relative; "
                  "softmax rows 1e-15 absolute) and central differences."
                  % (torch.__version__, debian_torch_version(), np.__version__, SEED),
        "inputs": "Every number in rows and upstream is exactly a float32, written as the double that equals it.",
        "tolerance": {
            "rule": "|actual - expected| <= atol + rtol * |expected|, element by element; no NaN anywhere "
                    "(no expected value is NaN); an expected infinity must be matched exactly. For float32 "
                    "results the expected value is compared after rounding it to float32 where that rounding "
                    "overflows (exp(88.8) is finite in float64 but +Infinity in float32).",
            "apply_float32": {"atol": 1e-6, "rtol": 1e-6},
            "apply64": {"atol": 1e-12, "rtol": 1e-12},
            "gradient_float32": {"atol": 1e-5, "rtol": 1e-5},
        },
        "fields": {
            "id": "unique case id",
            "name": "Keras activation name",
            "params": "parameters for the factory (empty: Activation.fromKerasName(name) with Keras's defaults)",
            "by_name": "true when Activation.fromKerasName(name) (and each alias) is this very function",
            "elementwise": "false for softmax and log_softmax, whose rows are whole vectors",
            "kinks": "points where the derivative is a convention (Keras/TF's is stored)",
            "rows/upstream/output_f64/grad_f64": "[row][j]: x, dL/dy, f(x), dL/dx",
        },
        "case_count": len(cases),
        "point_count": n_points,
    }
    header["cases"] = cases

    # One case per line keeps the file small and diffable.
    parts = []
    for key, value in header.items():
        if key != "cases":
            parts.append(" %s: %s" % (json.dumps(key), json.dumps(value, indent=None)))
    body = ",\n".join("  " + json.dumps(c, separators=(",", ":"), allow_nan=True) for c in cases)
    text = "{\n" + ",\n".join(parts) + ',\n "cases": [\n' + body + "\n ]\n}\n"
    json.loads(text)  # well-formed (Python accepts Infinity, as does dev.nncore.internal.Json)
    with open(OUT, "w") as f:
        f.write(text)
    print("wrote %s: %d cases, %d points, %d bytes" % (OUT, len(cases), n_points, len(text)), file=sys.stderr)
    print("largest relative difference from 80-digit mpmath, per case:", file=sys.stderr)
    for case_id, err in MP_WORST.items():
        print("  %-34s %.2e" % (case_id, err), file=sys.stderr)


if __name__ == "__main__":
    main()
