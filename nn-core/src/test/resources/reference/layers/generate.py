#!/usr/bin/env python3
"""Float64 reference cases for the forward pass of Keras layers (kept as documentation).

Writes layers.json beside this file. Every number is computed twice where possible:
once by a plain numpy float64 transcription of the formula in Keras's source, and once
by PyTorch float64 (the equivalent torch.nn.functional op where torch has the layer,
otherwise the same formula written with torch tensor ops). The script stops if the two
differ by more than 1e-12 (relative to max(1, |value|)).

Neither Keras nor TensorFlow is used: they cannot be installed here. The Keras formulas
were read from the Keras 3 source (paths are cited in each case's "keras_source").

Run with Debian's python3 (numpy + python3-torch):
    apt-get install -y python3-numpy python3-torch
    /usr/bin/python3 generate.py
The output is deterministic (fixed seeds); re-running rewrites layers.json byte for byte.
"""
import json
import math
import os
import sys

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover
    sys.exit("PyTorch is needed for the cross-checks: apt-get install -y python3-torch "
             "and run with /usr/bin/python3")

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "layers.json")
TOL = 1e-12
KERAS_EPSILON = 1e-7  # keras.backend.epsilon()

# ---------------------------------------------------------------------------- helpers


def f32(a):
    """Round through float32, return float64: every stored input is exact in float32."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def uniform(rng, shape, lo, hi, decimals=3):
    return f32(np.round(rng.uniform(lo, hi, shape), decimals))


def T(a):
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64)


def N(t):
    return t.detach().cpu().numpy().astype(np.float64)


def check(name, ours, theirs):
    """Assert numpy and torch agree; return the max of |numpy - torch| / max(1, |numpy|)."""
    ours = np.asarray(ours, dtype=np.float64)
    theirs = np.asarray(theirs, dtype=np.float64)
    assert ours.shape == theirs.shape, (name, ours.shape, theirs.shape)
    diff = np.abs(ours - theirs)
    scaled = diff / np.maximum(1.0, np.abs(ours))
    worst = float(scaled.max()) if scaled.size else 0.0
    assert worst <= TOL, f"{name}: numpy and torch disagree by {worst}"
    return worst


def lst(a):
    a = np.asarray(a, dtype=np.float64)
    return a.tolist()


def assert_f32_exact(name, a):
    a = np.asarray(a, dtype=np.float64)
    assert np.array_equal(a, a.astype(np.float32).astype(np.float64)), f"{name} not float32-exact"


CASES = []
CROSSCHECKS = []


def add(name, layer, config, weights, x, out, note, source, formula, crosscheck_by, max_diff,
        **extra):
    for k, v in weights.items():
        assert_f32_exact(f"{name}.weights.{k}", v)
    assert_f32_exact(f"{name}.x", x)
    case = {
        "name": name,
        "layer": layer,
        "config": config,
        "weight_order": list(weights.keys()),
        "weights": {k: (int(v) if isinstance(v, (int, np.integer)) else lst(v)) for k, v in weights.items()},
        "x": lst(x),
        "output_f64": lst(out),
    }
    case.update(extra)
    case["note"] = note
    case["keras_source"] = source
    case["formula"] = formula
    case["crosscheck"] = {"by": crosscheck_by, "max_diff_numpy_vs_torch": max_diff,
                         "diff_measure": "|numpy - torch| / max(1, |numpy|), over every compared number"}
    CASES.append(case)
    CROSSCHECKS.append((name, crosscheck_by, max_diff))


# ---------------------------------------------------------------------------- BatchNormalization

BN_SRC = ("keras/src/layers/normalization/batch_normalization.py (Keras 3), BatchNormalization.call: "
          "training -> mean, variance = ops.moments(inputs, axes=reduction_axes) (biased variance); "
          "moving_mean.assign(moving_mean * momentum + mean * (1.0 - momentum)); "
          "moving_variance.assign(moving_variance * momentum + variance * (1.0 - momentum)); "
          "otherwise mean, variance = moving_mean, moving_variance; then "
          "ops.batch_normalization(x, mean, variance, axis, offset=beta, scale=gamma, epsilon) = "
          "(x - mean) / sqrt(variance + epsilon) * gamma + beta. "
          "build() adds weights in the order gamma (if scale), beta (if center), moving_mean, moving_variance.")
BN_FORMULA_INF = "y = gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta"


def bn_numpy(x, mean, var, gamma, beta, eps):
    y = (x - mean) / np.sqrt(var + eps)
    if gamma is not None:
        y = y * gamma
    if beta is not None:
        y = y + beta
    return y


def bn_inference_case(rng, name, rows, feats, eps, center, scale, note):
    x = uniform(rng, (rows, feats), -3, 3)
    gamma = uniform(rng, feats, 0.5, 2.0) if scale else None
    beta = uniform(rng, feats, -1, 1) if center else None
    mm = uniform(rng, feats, -1, 1)
    mv = uniform(rng, feats, 0.05, 2.5)
    y = bn_numpy(x, mm, mv, gamma, beta, eps)
    yt = F.batch_norm(T(x), T(mm), T(mv), None if gamma is None else T(gamma),
                      None if beta is None else T(beta), training=False, eps=eps)
    d = check(name, y, N(yt))
    weights = {}
    if scale:
        weights["gamma"] = gamma
    if center:
        weights["beta"] = beta
    weights["moving_mean"] = mm
    weights["moving_variance"] = mv
    formula = BN_FORMULA_INF
    if not scale:
        formula = formula.replace("gamma * ", "")
    if not center:
        formula = formula.replace(" + beta", "")
    add(name, "BatchNormalization",
        {"axis": -1, "momentum": 0.99, "epsilon": eps, "center": center, "scale": scale},
        weights, x, y, note, BN_SRC, formula,
        "torch.nn.functional.batch_norm(training=False), float64", d, training=False)


def bn_training_case(rng, name, feats, momentum, steps, eps, note, init_default=False):
    gamma = uniform(rng, feats, 0.5, 2.0)
    beta = uniform(rng, feats, -1, 1)
    if init_default:
        mm = f32(np.zeros(feats))
        mv = f32(np.ones(feats))
    else:
        mm = uniform(rng, feats, -1, 1)
        mv = uniform(rng, feats, 0.2, 2.0)
    weights = {"gamma": gamma, "beta": beta, "moving_mean": mm, "moving_variance": mv}
    # torch state: running stats updated by F.batch_norm in place
    rm_t, rv_t = T(mm), T(mv)
    cur_m, cur_v = mm.copy(), mv.copy()
    step_records = []
    max_d = 0.0
    for s in range(steps):
        x = uniform(rng, (8, feats), -2, 4)
        bmean = x.mean(axis=0)
        bvar_biased = ((x - bmean) ** 2).mean(axis=0)
        bvar_unbiased = ((x - bmean) ** 2).sum(axis=0) / (x.shape[0] - 1)
        y = bn_numpy(x, bmean, bvar_biased, gamma, beta, eps)
        new_m = cur_m * momentum + bmean * (1.0 - momentum)
        new_v = cur_v * momentum + bvar_biased * (1.0 - momentum)
        # torch: normalised output uses the biased batch variance (same as Keras)
        yt = F.batch_norm(T(x), rm_t, rv_t, T(gamma), T(beta), training=True,
                          momentum=1.0 - momentum, eps=eps)
        max_d = max(max_d, check(f"{name}.step{s + 1}.output", y, N(yt)))
        # torch running_mean uses the same update as Keras (torch momentum = 1 - keras momentum)
        max_d = max(max_d, check(f"{name}.step{s + 1}.moving_mean", new_m, N(rm_t)))
        # torch running_var is updated with the UNBIASED variance: check that, then redo the
        # Keras update (biased) with torch's own population variance
        xt = T(x)
        max_d = max(max_d, check(f"{name}.step{s + 1}.torch_running_var_is_unbiased",
                                 cur_v * momentum + bvar_unbiased * (1.0 - momentum), N(rv_t)))
        keras_v_t = T(cur_v) * momentum + torch.var(xt, dim=0, unbiased=False) * (1.0 - momentum)
        max_d = max(max_d, check(f"{name}.step{s + 1}.moving_variance", new_v, N(keras_v_t)))
        rv_t = keras_v_t.clone()  # continue torch's chain with Keras's (biased) moving variance
        step_records.append({
            "x": lst(x),
            "output_f64": lst(y),
            "batch_mean": lst(bmean),
            "batch_variance_biased": lst(bvar_biased),
            "moving_mean_after": lst(new_m),
            "moving_variance_after": lst(new_v),
            "moving_variance_after_if_unbiased_variance_were_used": lst(
                cur_v * momentum + bvar_unbiased * (1.0 - momentum)),
        })
        cur_m, cur_v = new_m, new_v
    first = step_records[0]
    extra = {"training": True}
    if steps == 1:
        extra.update({k: first[k] for k in ("batch_mean", "batch_variance_biased",
                                             "moving_mean_after", "moving_variance_after",
                                             "moving_variance_after_if_unbiased_variance_were_used")})
    else:
        extra["steps"] = step_records
        extra["moving_mean_after"] = step_records[-1]["moving_mean_after"]
        extra["moving_variance_after"] = step_records[-1]["moving_variance_after"]
    add(name, "BatchNormalization",
        {"axis": -1, "momentum": momentum, "epsilon": eps, "center": True, "scale": True},
        weights, np.array(first["x"]), np.array(first["output_f64"]), note, BN_SRC,
        "training: m = mean(x, axis=0); v = mean((x - m)^2, axis=0) (biased, divide by batch size); "
        "y = gamma * (x - m) / sqrt(v + epsilon) + beta; "
        "moving_mean <- moving_mean * momentum + m * (1 - momentum); "
        "moving_variance <- moving_variance * momentum + v * (1 - momentum)",
        "torch.nn.functional.batch_norm(training=True, momentum=1-keras_momentum), float64: output and "
        "running_mean compared directly; moving_variance compared with the Keras update written in torch ops "
        "(torch.var(unbiased=False)), after asserting torch's own running_var equals the unbiased-variance update",
        max_d, **extra)


# ---------------------------------------------------------------------------- LayerNormalization

LN_SRC = ("keras/src/layers/normalization/layer_normalization.py (Keras 3), LayerNormalization.call: "
          "mean, variance = ops.moments(inputs, axes=self.axis, keepdims=True) (biased); "
          "inv = ops.rsqrt(variance + self.epsilon); inv = inv * gamma (if scale); res = -mean * inv (+ beta if center); "
          "outputs = inputs * inv + res. Defaults axis=-1, epsilon=1e-3, center=True, scale=True. "
          "build() adds gamma (if scale) then beta (if center).")


def ln_case(rng, name, rows, feats, eps, center, scale, note):
    x = uniform(rng, (rows, feats), -3, 3)
    gamma = uniform(rng, feats, 0.5, 2.0) if scale else None
    beta = uniform(rng, feats, -1, 1) if center else None
    m = x.mean(axis=1, keepdims=True)
    v = ((x - m) ** 2).mean(axis=1, keepdims=True)
    y = (x - m) / np.sqrt(v + eps)
    if scale:
        y = y * gamma
    if center:
        y = y + beta
    yt = F.layer_norm(T(x), (feats,), None if gamma is None else T(gamma),
                      None if beta is None else T(beta), eps=eps)
    d = check(name, y, N(yt))
    weights = {}
    if scale:
        weights["gamma"] = gamma
    if center:
        weights["beta"] = beta
    formula = "y = (x - mean_row) / sqrt(var_row + epsilon) * gamma + beta, var_row biased (divide by features)"
    if not scale:
        formula = formula.replace(" * gamma", "")
    if not center:
        formula = formula.replace(" + beta", "")
    add(name, "LayerNormalization",
        {"axis": -1, "epsilon": eps, "center": center, "scale": scale, "rms_scaling": False},
        weights, x, y, note, LN_SRC, formula, "torch.nn.functional.layer_norm, float64", d)


# ---------------------------------------------------------------------------- Normalization

NORM_SRC = ("keras/src/layers/preprocessing/normalization.py (Keras 3), Normalization.call: "
            "invert=False -> divide(subtract(inputs, mean), maximum(sqrt(variance), backend.epsilon())); "
            "invert=True -> add(mean, multiply(inputs, maximum(sqrt(variance), backend.epsilon()))); "
            "backend.epsilon() = 1e-7. adapt() on a numpy array: total_mean = np.mean(data, axis=reduce_axis), "
            "total_var = np.var(data, axis=reduce_axis) (population variance); on batches it merges "
            "batch means/variances with the lack-of-fit sum of squares formula (same result). "
            "build() adds weights mean, variance, count (count: int scalar, 'for backwards compatibility', "
            "not updated by Keras 3 adapt).")


def norm_numpy(x, mean, var, invert):
    denom = np.maximum(np.sqrt(var), KERAS_EPSILON)
    return mean + x * denom if invert else (x - mean) / denom


def norm_torch(x, mean, var, invert):
    denom = torch.clamp(torch.sqrt(T(var)), min=KERAS_EPSILON)
    return N(T(mean) + T(x) * denom) if invert else N((T(x) - T(mean)) / denom)


def norm_case(name, x, mean, var, invert, note, extra_cfg=None, weights_in_config=False, **extra):
    y = norm_numpy(x, mean, var, invert)
    d = check(name, y, norm_torch(x, mean, var, invert))
    cfg = {"axis": [-1], "invert": invert, "mean": None, "variance": None}
    if weights_in_config:
        cfg["mean"] = lst(mean)
        cfg["variance"] = lst(var)
        weights = {}
    else:
        weights = {"mean": mean, "variance": var, "count": np.int64(0)}
    if extra_cfg:
        cfg.update(extra_cfg)
    formula = ("y = mean + x * max(sqrt(variance), 1e-7)" if invert
               else "y = (x - mean) / max(sqrt(variance), 1e-7)")
    add(name, "Normalization", cfg, weights, x, y, note, NORM_SRC, formula,
        "the same formula written with torch ops (torch.clamp(torch.sqrt(v), min=1e-7)), float64; "
        "torch has no Normalization layer", d, **extra)


# ---------------------------------------------------------------------------- activation layers

def elementwise_case(name, layer, config, x, y_np, y_t, note, source, formula, by, weights=None, **extra):
    d = check(name, y_np, y_t)
    add(name, layer, config, weights or {}, x, y_np, note, source, formula, by, d, **extra)


RELU_SRC = ("keras/src/layers/activations/relu.py (Keras 3) calls keras/src/activations/activations.py "
            "ReLU.static_call: if negative_slope != 0: (max_value None and threshold 0 -> leaky_relu) else "
            "negative_part = relu(-x + threshold) (or relu(-x) when threshold == 0); "
            "if threshold != 0: x = x * cast(greater(x, threshold)) elif max_value == 6: x = relu6(x) else x = relu(x); "
            "if max_value is not None: x = clip(x, 0, max_value); if negative_slope != 0: x -= negative_slope * negative_part. "
            "Keras 2 backend.relu(x, alpha, max_value, threshold) is the same code.")


def keras_relu_numpy(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Transcription of Keras's ReLU.static_call (the code, not the docstring)."""
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return np.where(x >= 0, x, negative_slope * x)
        negative_part = np.maximum(-x + threshold, 0.0) if threshold != 0 else np.maximum(-x, 0.0)
    clip_max = max_value is not None
    if threshold != 0:
        y = x * (x > threshold).astype(np.float64)
    elif max_value == 6:
        y = np.minimum(np.maximum(x, 0.0), 6.0)
        clip_max = False
    else:
        y = np.maximum(x, 0.0)
    if clip_max:
        y = np.clip(y, 0.0, max_value)
    if negative_slope != 0.0:
        y = y - negative_slope * negative_part
    return y


def relu_piecewise_torch(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Independent piecewise form in torch: x > threshold -> min(x, max_value); else slope * (x - threshold)."""
    xt = T(x)
    hi = xt if max_value is None else torch.clamp(xt, max=max_value)
    if threshold == 0 and max_value is None and negative_slope != 0:
        return N(F.leaky_relu(xt, negative_slope))
    lo = negative_slope * (xt - threshold)
    if threshold == 0:
        # plain relu(x) then clip: x <= 0 -> -slope * relu(-x) = slope * x
        return N(torch.where(xt > 0, hi, lo))
    return N(torch.where(xt > threshold, hi, lo))


# ---------------------------------------------------------------------------- dropout family

ALPHA = 1.6732632423543772848170429916717
SCALE = 1.0507009873554804934193349852946
ALPHA_P = -ALPHA * SCALE


def alpha_dropout_ab(rate):
    a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5
    b = -a * ALPHA_P * rate
    return a, b


def torch_alpha_dropout_ab(rate, seed):
    """Recover a, b and the dropped value from torch.nn.functional.alpha_dropout itself."""
    n = 4096
    torch.manual_seed(seed)
    z = F.alpha_dropout(torch.zeros(n), p=rate, training=True)
    torch.manual_seed(seed)
    o = F.alpha_dropout(torch.ones(n), p=rate, training=True)
    kept = (o - z).abs() > 1e-9  # same mask for both calls (same seed); kept units differ by a
    a = float((o - z)[kept][0])
    b = float(z[kept][0])
    dropped = float(z[~kept][0])
    # every kept unit must give the same a, b; every dropped unit the same constant
    assert torch.allclose(z[kept], torch.full_like(z[kept], b), rtol=0, atol=1e-15)
    assert torch.allclose(z[~kept], torch.full_like(z[~kept], dropped), rtol=0, atol=1e-15)
    return a, b, dropped


DROPOUT_SRC = ("keras/src/layers/regularization/dropout.py (Keras 3): call(training=True) -> "
               "backend.random.dropout(inputs, rate, ...): kept units are divided by (1 - rate), dropped units are 0; "
               "training=False (inference, predict) -> inputs unchanged.")
ALPHA_SRC = ("keras/src/layers/regularization/alpha_dropout.py (Keras 3): alpha = 1.6732632423543772848170429916717; "
             "scale = 1.0507009873554804934193349852946; alpha_p = -alpha * scale; "
             "kept_idx = greater_equal(uniform(noise_shape), rate); "
             "a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5; b = -a * alpha_p * rate; "
             "x = inputs * kept_idx + alpha_p * (1 - kept_idx); return a * x + b (training only; "
             "inference returns inputs).")
GAUSS_SRC = ("keras/src/layers/regularization/gaussian_dropout.py (Keras 3): training -> "
             "stddev = math.sqrt(rate / (1.0 - rate)); inputs * random.normal(shape, mean=1.0, stddev=stddev); "
             "inference returns inputs.")

# ---------------------------------------------------------------------------- build the cases


def main():
    rng = np.random.default_rng(20240611)

    # --- BatchNormalization, inference
    bn_inference_case(rng, "bn_inference_default", 5, 4, 1e-3, True, True,
                      "Inference (training=False, what predict() does) with Keras defaults epsilon=1e-3, "
                      "center and scale on. momentum does not matter in inference.")
    bn_inference_case(rng, "bn_inference_center_false", 4, 3, 1e-3, False, True,
                      "center=False: the layer has no beta weight (weights are gamma, moving_mean, moving_variance).")
    bn_inference_case(rng, "bn_inference_scale_false", 4, 5, 1e-3, True, False,
                      "scale=False: the layer has no gamma weight (weights are beta, moving_mean, moving_variance).")
    bn_inference_case(rng, "bn_inference_center_false_scale_false", 3, 4, 1e-3, False, False,
                      "center=False and scale=False: only moving_mean and moving_variance.")
    bn_inference_case(rng, "bn_inference_epsilon_1e-5", 4, 4, 1e-5, True, True,
                      "Non-default epsilon 1e-5 (as set by models ported from PyTorch); epsilon is a config field.")

    # --- BatchNormalization, training mode
    bn_training_case(rng, "bn_training_one_step", 5, 0.99, 1, 1e-3,
                     "One forward pass in training mode (fit / training=True) on a batch of 8 rows x 5 features, "
                     "Keras defaults momentum=0.99, epsilon=1e-3. The output uses the batch mean and the BIASED batch "
                     "variance; the moving statistics are updated with the biased variance too (Keras 3 and tf.keras 2 "
                     "for 2-D inputs). moving_variance_after_if_unbiased_variance_were_used is what a PyTorch-style "
                     "update would give: it must NOT match. Initial moving statistics are not the initializer "
                     "defaults so that both terms of the update matter.")
    bn_training_case(rng, "bn_training_default_init_one_step", 4, 0.99, 1, 1e-3,
                     "One training step from a freshly built layer (gamma/beta/moving stats from the Keras "
                     "initializers: gamma and beta here are random, moving_mean zeros, moving_variance ones).",
                     init_default=True)
    bn_training_case(rng, "bn_training_two_steps_momentum_0.99", 5, 0.99, 2, 1e-3,
                     "Two consecutive training steps (two different batches of 8 x 5). 'x'/'output_f64' are step 1; "
                     "'steps' has each step's batch, output and moving statistics after that step; the top-level "
                     "moving_*_after are after step 2. Step 2 starts from step 1's moving statistics.")
    bn_training_case(rng, "bn_training_two_steps_momentum_0.9", 5, 0.9, 2, 1e-3,
                     "As bn_training_two_steps_momentum_0.99 with momentum=0.9, so the update compounds visibly.")

    # --- LayerNormalization
    ln_case(rng, "ln_default", 5, 4, 1e-3, True, True,
            "Keras defaults: axis=-1, epsilon=1e-3, center and scale on; statistics per row.")
    ln_case(rng, "ln_center_false", 4, 5, 1e-3, False, True, "center=False: no beta weight.")
    ln_case(rng, "ln_scale_false", 4, 3, 1e-3, True, False, "scale=False: no gamma weight.")
    ln_case(rng, "ln_epsilon_1e-6_6_features", 3, 6, 1e-6, True, True,
            "epsilon=1e-6 (a common non-default); 6 features.")

    # --- Normalization
    mean = uniform(rng, 4, -2, 5)
    var = uniform(rng, 4, 0.1, 9)
    x = uniform(rng, (5, 4), -3, 8)
    norm_case("normalization_basic", x, mean, var, False,
              "Weights mean/variance as stored in a saved Keras 3 model after adapt() (config mean/variance null). "
              "count is the int64 scalar weight Keras 3 adds 'for backwards compatibility' (0 after a Keras 3 "
              "adapt; Keras 2 stored the sample count); it does not enter the output.")
    norm_case("normalization_invert", x, mean, var, True,
              "invert=True: de-normalizes, y = mean + x * sqrt(variance).")
    mean_z = f32([1.5, -0.25, 3.0])
    var_z = f32([0.0, 2.25, 4.0])
    x_z = f32([[1.5, 0.5, 2.0], [1.25, -0.25, 3.0], [1.75, 1.0, 4.5], [1.5, -2.0, -1.0]])
    norm_case("normalization_zero_variance", x_z, mean_z, var_z, False,
              "Feature 0 has variance 0: Keras divides by max(sqrt(0), 1e-7) = 1e-7 (backend.epsilon()), so "
              "x - mean = +-0.25 gives +-2.5e6 and x == mean gives 0. Real Keras does this in float32 with "
              "float32(1e-7) = 1.0000000116860974e-07; output_f64 uses the double 1e-7 (relative difference "
              "1.2e-8). An implementation that adds epsilon to the variance instead would give 0.25/sqrt(1e-7) = "
              "790.6 here.")
    norm_case("normalization_zero_variance_invert", x_z, mean_z, var_z, True,
              "invert=True with a zero-variance feature: y = mean + x * 1e-7 for feature 0.")
    mean_c = f32([10.0, -3.5, 0.25])
    var_c = f32([4.0, 0.5, 16.0])
    x_c = f32([[12.0, -3.0, 0.0], [8.0, -4.5, 4.25], [10.5, -3.5, -3.75]])
    norm_case("normalization_config_mean_variance", x_c, mean_c, var_c, False,
              "mean and variance passed to the constructor: they are in the config, not in the weights "
              "(the layer then has no weights).", weights_in_config=True)

    # adapt: numpy path (np.mean / np.var) and the batched lack-of-fit merge, both in numpy; torch var
    data = uniform(rng, (20, 4), -4, 10, decimals=2)
    data[:, 3] = f32(np.round(data[:, 3] * 25.0, 1))  # a wider-scaled column
    a_mean = np.mean(data, axis=0)
    a_var = np.var(data, axis=0)
    # Keras's iterable/tf.data path: merge batches of 8, 8, 4
    tm = np.zeros(4)
    tv = np.zeros(4)
    tc = 0
    for start in range(0, 20, 8):
        batch = data[start:start + 8]
        bm = batch.mean(axis=0)
        bv = batch.var(axis=0)
        bc = batch.shape[0]
        tc += bc
        bw = bc / tc
        ew = 1.0 - bw
        ntm = tm * ew + bm * bw
        tv = (tv + (tm - ntm) ** 2) * ew + (bv + (bm - ntm) ** 2) * bw
        tm = ntm
    d_merge = max(check("adapt.mean.merge", a_mean, tm), check("adapt.var.merge", a_var, tv))
    dt = T(data)
    d_torch = max(check("adapt.mean.torch", a_mean, N(dt.mean(dim=0))),
                  check("adapt.var.torch", a_var, N(torch.var(dt, dim=0, unbiased=False))))
    w_mean = f32(a_mean)
    w_var = f32(a_var)
    x_a = uniform(rng, (4, 4), -4, 10, decimals=2)
    y_a = norm_numpy(x_a, w_mean, w_var, False)
    d_a = check("normalization_adapt", y_a, norm_torch(x_a, w_mean, w_var, False))
    assert_f32_exact("adapt_data", data)
    add("normalization_adapt", "Normalization",
        {"axis": [-1], "invert": False, "mean": None, "variance": None},
        {"mean": w_mean, "variance": w_var, "count": np.int64(0)}, x_a, y_a,
        "adapt(adapt_data) on a [20][4] float32 array: Keras stores mean = np.mean(data, axis=0) and the "
        "POPULATION variance np.var(data, axis=0) (divide by 20, not 19). adapt_mean_f64/adapt_variance_f64 are "
        "the exact float64 statistics; adapt_variance_unbiased_f64 is the divide-by-19 value that must NOT be "
        "produced. Keras computes them in float32 (np.mean of a float32 array) so a Keras file's values may "
        "differ from adapt_mean_f64 in the last float32 bits. 'weights' are the float64 statistics rounded to "
        "float32 (what a saved model holds); x/output_f64 use those weights.",
        NORM_SRC, "adapt: mean = sum(data)/n, variance = sum((data - mean)^2)/n; then y = (x - mean) / max(sqrt(variance), 1e-7)",
        "adapt statistics: numpy np.mean/np.var vs Keras's batched lack-of-fit merge (batches 8, 8, 4) vs "
        "torch.mean/torch.var(unbiased=False); output: formula in torch ops", max(d_merge, d_torch, d_a),
        adapt_data=lst(data), adapt_mean_f64=lst(a_mean), adapt_variance_f64=lst(a_var),
        adapt_variance_unbiased_f64=lst(np.var(data, axis=0, ddof=1)))

    # --- Rescaling
    resc_src = ("keras/src/layers/preprocessing/rescaling.py (Keras 3), Rescaling.call: "
                "cast(inputs, dtype) * scale + offset (scale and offset cast to the compute dtype).")
    x_img = f32(np.array([[0, 17, 128, 255], [64, 200, 3, 99], [255, 255, 0, 1]], dtype=np.float64))
    for name, scale, offset, xx, note in [
        ("rescaling_1_over_255", 1.0 / 255.0, 0.0, x_img,
         "scale = 1/255 as Keras writes it to the config (the double 0.00392156862745098), offset 0. Real Keras "
         "casts scale to float32 first (0.003921568859368563), so a float32 Keras result is relatively "
         "~6e-8 off output_f64."),
        ("rescaling_scale_2_offset_-1", 2.0, -1.0, uniform(rng, (4, 3), 0, 1),
         "scale=2, offset=-1: maps [0, 1] to [-1, 1]."),
    ]:
        y = xx * scale + offset
        yt = N(T(xx) * scale + offset)
        elementwise_case(name, "Rescaling", {"scale": scale, "offset": offset}, xx, y, yt, note, resc_src,
                         "y = x * scale + offset", "torch tensor ops, float64 (torch has no Rescaling layer)")

    # --- PReLU
    prelu_src = ("keras/src/layers/activations/prelu.py (Keras 3), PReLU.call: pos = relu(inputs); "
                 "neg = -alpha * relu(-inputs); return pos + neg. build(): alpha has shape input_shape[1:] "
                 "(with 1 on shared_axes); alpha_initializer 'Zeros'.")
    xp = uniform(rng, (5, 4), -3, 3)
    xp[0, 0] = 0.0
    alpha = uniform(rng, 4, -0.5, 0.9)
    y = np.maximum(xp, 0) - alpha * np.maximum(-xp, 0)
    elementwise_case("prelu_per_feature", "PReLU", {"shared_axes": None}, xp, y,
                     N(F.prelu(T(xp), T(alpha))),
                     "alpha is one value per feature (shape [features], as Keras stores it for 2-D input); "
                     "one alpha is negative, allowed since it is learned. x[0][0] is 0.",
                     prelu_src, "y = x if x > 0 else alpha * x (alpha per feature)",
                     "torch.nn.functional.prelu, float64", weights={"alpha": alpha})
    xs = uniform(rng, (4, 3), -3, 3)
    alpha1 = f32([0.25])
    y = np.maximum(xs, 0) - alpha1 * np.maximum(-xs, 0)
    elementwise_case("prelu_shared_axes_1", "PReLU", {"shared_axes": [1]}, xs, y,
                     N(F.prelu(T(xs), T(alpha1))),
                     "shared_axes=[1] on 2-D input: a single alpha of shape [1] shared by all features.",
                     prelu_src, "y = x if x > 0 else alpha * x (one alpha)",
                     "torch.nn.functional.prelu with one parameter, float64", weights={"alpha": alpha1})

    # --- LeakyReLU
    lrelu_src = ("keras/src/layers/activations/leaky_relu.py (Keras 3): __init__(negative_slope=0.3) (a legacy "
                 "'alpha' kwarg is accepted and used as negative_slope); call -> activations.leaky_relu(inputs, "
                 "negative_slope) = x if x >= 0 else negative_slope * x. get_config writes 'negative_slope'. "
                 "Keras 2 (keras/layers/activation/leaky_relu.py): LeakyReLU(alpha=0.3), config key 'alpha'.")
    xl = uniform(rng, (4, 5), -4, 4)
    xl[1, 2] = 0.0
    for slope, note in [
        (0.3, "negative_slope 0.3: the LeakyReLU LAYER default in both Keras 2 (config key 'alpha') and Keras 3 "
              "(config key 'negative_slope'). config_keras2 shows the Keras 2 spelling."),
        (0.2, "negative_slope 0.2: the default of the keras.activations.leaky_relu FUNCTION (and so of "
              "activation='leaky_relu' in Keras 3), and what real models often set explicitly (e.g. the "
              "real-wild FlowNet model)."),
    ]:
        y = np.where(xl >= 0, xl, slope * xl)
        elementwise_case(f"leaky_relu_{slope}", "LeakyReLU", {"negative_slope": slope}, xl, y,
                         N(F.leaky_relu(T(xl), slope)), note, lrelu_src,
                         "y = x if x >= 0 else negative_slope * x", "torch.nn.functional.leaky_relu, float64",
                         config_keras2={"alpha": slope})

    # --- ELU
    elu_src = ("keras/src/layers/activations/elu.py (Keras 3): ELU(alpha=1.0); call -> activations.elu(inputs, "
               "alpha) = x if x > 0 else alpha * (exp(x) - 1). NOTE: the Keras 3 ELU layer has no get_config "
               "override, so a Keras 3 file does not record alpha (loading gives 1.0); Keras 2 writes 'alpha'.")
    xe = uniform(rng, (4, 5), -4, 3)
    xe[0, 1] = 0.0
    for a in (1.0, 0.7):
        y = np.where(xe > 0, xe, a * np.expm1(xe))
        elementwise_case(f"elu_alpha_{a}", "ELU", {"alpha": a}, xe, y, N(F.elu(T(xe), alpha=a)),
                         f"ELU layer with alpha={a}." + (" alpha=0.7 can only come from a Keras 2 config "
                                                         "(see keras_source)." if a != 1.0 else ""),
                         elu_src, "y = x if x > 0 else alpha * (exp(x) - 1)", "torch.nn.functional.elu, float64")

    # --- ReLU layer variants
    xr = f32([[-2.0, -0.5, 0.0, 0.25, 0.5],
              [0.75, 3.0, 5.999, 6.0, 7.5],
              [-6.0, 0.4999, 0.5001, 10.0, -0.001],
              [1.0, -1.0, 2.5, -3.25, 0.125]])
    for name, kw, note in [
        ("relu_default", {}, "ReLU() with defaults: max(x, 0)."),
        ("relu_max_value_6", {"max_value": 6.0}, "max_value=6 (the relu6 path in Keras's code): min(max(x, 0), 6)."),
        ("relu_negative_slope_0.1", {"negative_slope": 0.1},
         "negative_slope only (no max_value, threshold 0): Keras takes the leaky_relu path."),
        ("relu_threshold_0.5", {"threshold": 0.5},
         "threshold only: x > 0.5 -> x, else 0 (x == 0.5 gives 0)."),
        ("relu_max6_slope0.1_threshold0.5", {"max_value": 6.0, "negative_slope": 0.1, "threshold": 0.5},
         "All three: x > 0.5 -> min(x, 6); x <= 0.5 -> 0.1 * (x - 0.5). At x == 0.5 exactly Keras's CODE gives 0 "
         "(x * (x > threshold) = 0 and negative_part = relu(0) = 0); the layer docstring "
         "('x if threshold <= x < max_value') would give 0.5 there. output_f64 follows the code. x = 6 and 7.5 "
         "give 6; x = 5.999 gives 5.999."),
    ]:
        cfg = {"max_value": kw.get("max_value"), "negative_slope": kw.get("negative_slope", 0.0),
               "threshold": kw.get("threshold", 0.0)}
        y = keras_relu_numpy(xr, cfg["negative_slope"], cfg["max_value"], cfg["threshold"])
        yt = relu_piecewise_torch(xr, cfg["negative_slope"], cfg["max_value"], cfg["threshold"])
        elementwise_case(name, "ReLU", cfg, xr, y, yt, note, RELU_SRC,
                         "y = min(x, max_value) if x > threshold else negative_slope * (x - threshold) "
                         "(threshold = 0: x > 0 -> min(x, max_value), x <= 0 -> negative_slope * x)",
                         "numpy transcription of Keras's ReLU.static_call vs an independent piecewise form in torch "
                         "(torch.where / torch.clamp / F.leaky_relu), float64")

    # --- Softmax layer
    sm_src = ("keras/src/layers/activations/softmax.py (Keras 3): Softmax(axis=-1); call -> activations.softmax("
              "inputs, axis) = exp(x - max(x)) / sum(exp(x - max(x))) along axis; a mask adds -1e9 to masked logits.")
    xsm = uniform(rng, (4, 5), -3, 3)
    xsm[3] = f32([1.0, 1.0, 1.0, 1.0, 1.0])
    for name, xx, note in [
        ("softmax_axis_-1", xsm, "Softmax over the last axis (features) of each row; the last row is constant "
                                  "(uniform output 0.2)."),
        ("softmax_large_logits", f32([[90.0, 91.5, 89.25], [-100.0, -101.0, -99.5], [1000.0, 0.0, -1000.0]]),
         "Large logits: exp(90) overflows float32 (max ~3.4e38 = exp(88.7)), so an implementation must subtract "
         "the row maximum first (as Keras's docstring formula does)."),
    ]:
        e = np.exp(xx - xx.max(axis=1, keepdims=True))
        y = e / e.sum(axis=1, keepdims=True)
        elementwise_case(name, "Softmax", {"axis": -1}, xx, y, N(torch.softmax(T(xx), dim=-1)), note, sm_src,
                         "y_i = exp(x_i - max(x)) / sum_j exp(x_j - max(x)) per row", "torch.softmax, float64")

    # --- Dropout family: inference is the identity; training constants and one fixed-mask example each
    xd = uniform(rng, (4, 5), -2, 3)
    for rate in (0.1, 0.5):
        mask = (rng.uniform(size=xd.shape) >= rate).astype(np.float64)
        keep = 1.0 / (1.0 - rate)
        torch.manual_seed(7)
        kept_t = F.dropout(torch.ones(4096), p=rate, training=True)
        kept_val = float(kept_t[kept_t != 0][0])
        d0 = check(f"dropout_{rate}.scale", np.array([keep]), np.array([kept_val]))
        y_train = xd * mask * keep
        d1 = check(f"dropout_{rate}.train", y_train, N(T(xd) * T(mask) / (1.0 - rate)))
        add(f"dropout_rate_{rate}", "Dropout", {"rate": rate, "noise_shape": None, "seed": None}, {}, xd, xd,
            "output_f64 is inference (training=False, what predict() does): the identity. training_example: with "
            "the given kept_mask (1 = kept), y = x * kept_mask / (1 - rate).",
            DROPOUT_SRC, "inference: y = x; training: y = x / (1 - rate) where kept, 0 where dropped",
            "torch.nn.functional.dropout(training=True) kept value on ones vs 1/(1 - rate); example by torch ops",
            max(d0, d1), training=False,
            constants={"kept_scale": keep},
            training_example={"kept_mask": lst(mask), "output_f64": lst(y_train)})

    for rate in (0.1, 0.5):
        a, b = alpha_dropout_ab(rate)
        ta, tb, tdrop = torch_alpha_dropout_ab(rate, 11)
        dropped = a * ALPHA_P + b
        dc = check(f"alpha_dropout_{rate}.constants", np.array([a, b, dropped]), np.array([ta, tb, tdrop]))
        mask = (rng.uniform(size=xd.shape) >= rate).astype(np.float64)
        y_train = a * (xd * mask + ALPHA_P * (1 - mask)) + b
        yt = N(torch.where(T(mask) > 0, ta * T(xd) + tb, torch.full_like(T(xd), tdrop)))
        de = check(f"alpha_dropout_{rate}.train", y_train, yt)
        add(f"alpha_dropout_rate_{rate}", "AlphaDropout", {"rate": rate, "noise_shape": None, "seed": None}, {},
            xd, xd,
            "output_f64 is inference (the identity). constants: a, b, the value a dropped unit takes "
            "(a * alpha_p + b) and alpha_p. training_example: kept units a * x + b, dropped units a * alpha_p + b.",
            ALPHA_SRC, "a = ((1 - rate) * (1 + rate * alpha_p^2))^-0.5; b = -a * alpha_p * rate; "
                       "y = a * x + b (kept), a * alpha_p + b (dropped)",
            "a, b and the dropped value recovered from torch.nn.functional.alpha_dropout(training=True) on zeros "
            "and ones (torch uses the same SELU constants)", max(dc, de), training=False,
            constants={"alpha": ALPHA, "scale": SCALE, "alpha_p": ALPHA_P, "a": a, "b": b,
                       "dropped_value": dropped},
            training_example={"kept_mask": lst(mask), "output_f64": lst(y_train)})

    for rate in (0.1, 0.5):
        sd = math.sqrt(rate / (1.0 - rate))
        sd_t = float(torch.sqrt(torch.tensor(rate) / (1.0 - torch.tensor(rate))))
        noise = f32(1.0 + sd * rng.standard_normal(xd.shape))
        y_train = xd * noise
        dc = max(check(f"gaussian_dropout_{rate}.stddev", np.array([sd]), np.array([sd_t])),
                 check(f"gaussian_dropout_{rate}.train", y_train, N(T(xd) * T(noise))))
        assert_f32_exact("noise", noise)
        add(f"gaussian_dropout_rate_{rate}", "GaussianDropout", {"rate": rate, "seed": None}, {}, xd, xd,
            "output_f64 is inference (the identity). constants.stddev = sqrt(rate / (1 - rate)); "
            "training_example: y = x * noise for the given noise (drawn from N(1, stddev^2), float32-exact).",
            GAUSS_SRC, "inference: y = x; training: y = x * n, n ~ Normal(mean=1, stddev=sqrt(rate/(1-rate)))",
            "stddev in torch tensor ops; example by torch ops (torch has no GaussianDropout)", dc,
            training=False, constants={"stddev": sd},
            training_example={"noise": lst(noise), "output_f64": lst(y_train)})

    doc = {
        "description": "Float64 reference outputs of Keras layers' forward pass, computed outside nn-core: numpy "
                       "float64 transcriptions of the Keras 3 source formulas, each cross-checked against PyTorch "
                       "float64 (the matching torch.nn.functional op where one exists). See README.md.",
        "generated_by": "generate.py (this folder)",
        "numpy_version": np.__version__,
        "torch_version": torch.__version__,
        "conventions": {
            "x": "[batch][features]; output_f64 the same shape",
            "weights": "by Keras weight name, in get_weights() order (also listed in weight_order); shapes as Keras "
                       "stores them for 2-D input: 1-D [features] vectors; Normalization's count is a scalar",
            "float32": "every input (x, weights, adapt_data, masks, noise) is exactly representable in float32, "
                       "written as the double equal to it; config values (epsilon, momentum, scale, ...) are the "
                       "doubles Keras writes to its JSON config",
            "primary": "output_f64 (float64, computed from the float32-exact inputs); for training-mode "
                       "BatchNormalization also moving_mean_after and moving_variance_after",
            "tolerance": "for a float32 implementation: |actual - expected| <= 1e-5 + 1e-5 * |expected|; "
                         "for a float64 implementation 1e-12 relative",
        },
        "tolerance": {"atol": 1e-5, "rtol": 1e-5},
        "cases": CASES,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {OUT}: {len(CASES)} cases, {os.path.getsize(OUT)} bytes")
    worst = max(d for _, _, d in CROSSCHECKS)
    for name, by, d in CROSSCHECKS:
        print(f"  {name:45s} max |numpy - torch|/max(1,|v|) = {d:.3g}")
    print(f"max disagreement over all cases: {worst:.3g}")


if __name__ == "__main__":
    main()
