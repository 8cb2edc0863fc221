#!/usr/bin/python3
"""Reference weights for nn-core's optimizers and learning-rate schedules (OptimizerStepsTest, ScheduleReferenceTest).

Run with Debian's python3 (numpy, python3-torch):  /usr/bin/python3 generate.py
Writes optimizers.json and schedules.json beside this script. Tests only read them.

Each optimizer case starts from the same two weight tensors (a [3][2] kernel and a [1][2] bias) and applies ten fixed
gradient sets (independent of the weights, so any implementation can replay them); it records the weights after 1 and
10 steps. The expected numbers come from PyTorch float64 (torch.optim) where PyTorch defines the same update, and
otherwise from the float64 numpy transcription of Keras 3's formulas below (keras/src/optimizers/*.py). Every case that
PyTorch can express is ALSO computed with numpy and the two must agree to 1e-12, so the numpy transcription is
itself checked against PyTorch before it is trusted for the cases PyTorch cannot express (Keras's epsilon placement,
Lion, Ftrl, per-tensor clipnorm, EMA, ...).
"""
import json
import math
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 10
rng = np.random.default_rng(20261129)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def away_from_zero(shape):
    v = rng.uniform(0.05, 1.0, size=shape) * rng.choice([-1.0, 1.0], size=shape)
    return f32(v)


W0 = [f32(rng.uniform(-1, 1, size=(3, 2))), f32(rng.uniform(-1, 1, size=(1, 2)))]
GRADS = [[away_from_zero((3, 2)), away_from_zero((1, 2))] for _ in range(STEPS)]


# ---------------------------------------------------------------- numpy transcription of Keras 3
def schedule_value(spec, step):
    if spec is None:
        return None
    name, c = spec["class_name"], spec["config"]
    if name == "ExponentialDecay":
        p = step / c["decay_steps"]
        if c["staircase"]:
            p = math.floor(p)
        return c["initial_learning_rate"] * c["decay_rate"] ** p
    if name == "InverseTimeDecay":
        p = step / c["decay_steps"]
        if c["staircase"]:
            p = math.floor(p)
        return c["initial_learning_rate"] / (1 + c["decay_rate"] * p)
    if name == "PiecewiseConstantDecay":
        for b, v in zip(c["boundaries"], c["values"]):
            if step <= b:
                return v
        return c["values"][-1]
    if name == "PolynomialDecay":
        ds = c["decay_steps"]
        s = step
        if c["cycle"]:
            mult = 1 if step == 0 else math.ceil(step / ds)
            ds = ds * mult
        else:
            s = min(s, ds)
        return (c["initial_learning_rate"] - c["end_learning_rate"]) * (1 - s / ds) ** c["power"] + c["end_learning_rate"]
    if name == "CosineDecay":
        ds, alpha = c["decay_steps"], c["alpha"]

        def decay(s, frm):
            cos = 0.5 * (1 + math.cos(math.pi * s / ds))
            return frm * ((1 - alpha) * cos + alpha)
        if c.get("warmup_target") is None:
            return decay(min(step, ds), c["initial_learning_rate"])
        ws, wt = c["warmup_steps"], c["warmup_target"]
        s = min(step, ds + ws)
        if s < ws:
            return (wt - c["initial_learning_rate"]) * (s / ws) + c["initial_learning_rate"]
        return decay(s - ws, wt)
    if name == "CosineDecayRestarts":
        fds, t_mul, m_mul, alpha = c["first_decay_steps"], c["t_mul"], c["m_mul"], c["alpha"]
        frac = step / fds
        if t_mul == 1.0:
            i = math.floor(frac)
            frac -= i
        else:
            i = math.floor(math.log(1 - frac * (1 - t_mul)) / math.log(t_mul))
            sum_r = (1 - t_mul ** i) / (1 - t_mul)
            frac = (frac - sum_r) / t_mul ** i
        cos = 0.5 * m_mul ** i * (1 + math.cos(math.pi * frac))
        return c["initial_learning_rate"] * ((1 - alpha) * cos + alpha)
    raise ValueError(name)


def keras_numpy(cls, cfg, steps, torch113_nadam=False):
    """Keras 3's BaseOptimizer.apply_gradients loop: rate, clip, weight decay, update_step, EMA, iterations += 1."""
    w = [x.copy() for x in W0]
    n = len(w)
    z = lambda: [np.zeros_like(x) for x in w]
    full = lambda v: [np.full_like(x, v) for x in w]
    s = {}
    if cls == "SGD":
        s["m"] = z()
    elif cls in ("Adam", "AdamW"):
        s["m"], s["v"], s["vhat"] = z(), z(), z()
    elif cls == "RMSprop":
        s["v"], s["mom"], s["avg"] = z(), z(), z()
    elif cls == "Adagrad":
        s["acc"] = full(cfg["initial_accumulator_value"])
    elif cls == "Adadelta":
        s["ag"], s["ad"] = z(), z()
    elif cls == "Adamax":
        s["m"], s["u"] = z(), z()
    elif cls == "Nadam":
        s["m"], s["v"] = z(), z()
        s["uprod"] = 1.0
    elif cls == "Lion":
        s["m"] = z()
    elif cls == "Ftrl":
        s["acc"], s["lin"] = full(cfg["initial_accumulator_value"]), z()
    ema = z() if cfg.get("use_ema") else None
    out = {}
    for it in range(steps):
        lr_spec = cfg["learning_rate"]
        lr = schedule_value(lr_spec, it) if isinstance(lr_spec, dict) else lr_spec
        g = [x.copy() for x in GRADS[it]]
        if cfg.get("clipnorm"):
            c = cfg["clipnorm"]
            g = [x * c / max(math.sqrt(np.sum(x * x)), c) for x in g]
        elif cfg.get("global_clipnorm"):
            c = cfg["global_clipnorm"]
            norm = math.sqrt(sum(np.sum(x * x) for x in g))
            g = [x * (c * min(1 / norm, 1 / c)) for x in g]
        elif cfg.get("clipvalue"):
            c = cfg["clipvalue"]
            g = [np.clip(x, -c, c) for x in g]
        if cfg.get("weight_decay"):
            w = [x - x * cfg["weight_decay"] * lr for x in w]
        t = it + 1
        if cls == "Nadam":
            s["uprod"] = s["uprod"] * cfg["beta_1"] * (1 - 0.5 * 0.96 ** t)
        for k in range(n):
            gk = g[k]
            if cls == "SGD":
                mu = cfg["momentum"]
                if mu:
                    s["m"][k] = s["m"][k] * mu - gk * lr
                    w[k] = w[k] + (s["m"][k] * mu - gk * lr if cfg["nesterov"] else s["m"][k])
                else:
                    w[k] = w[k] - gk * lr
            elif cls in ("Adam", "AdamW"):
                b1, b2, eps = cfg["beta_1"], cfg["beta_2"], cfg["epsilon"]
                alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                s["m"][k] += (gk - s["m"][k]) * (1 - b1)
                s["v"][k] += (gk * gk - s["v"][k]) * (1 - b2)
                v = s["v"][k]
                if cfg["amsgrad"]:
                    s["vhat"][k] = np.maximum(s["vhat"][k], v)
                    v = s["vhat"][k]
                w[k] = w[k] - s["m"][k] * alpha / (np.sqrt(v) + eps)
            elif cls == "RMSprop":
                rho, eps = cfg["rho"], cfg["epsilon"]
                s["v"][k] = rho * s["v"][k] + (1 - rho) * gk * gk
                if cfg["centered"]:
                    s["avg"][k] = rho * s["avg"][k] + (1 - rho) * gk
                    den = s["v"][k] - s["avg"][k] ** 2 + eps
                else:
                    den = s["v"][k] + eps
                inc = lr * gk / np.sqrt(den)
                if cfg["momentum"] > 0:
                    s["mom"][k] = cfg["momentum"] * s["mom"][k] + inc
                    w[k] = w[k] - s["mom"][k]
                else:
                    w[k] = w[k] - inc
            elif cls == "Adagrad":
                s["acc"][k] = s["acc"][k] + gk * gk
                w[k] = w[k] - lr * gk / np.sqrt(s["acc"][k] + cfg["epsilon"])
            elif cls == "Adadelta":
                rho, eps = cfg["rho"], cfg["epsilon"]
                s["ag"][k] = rho * s["ag"][k] + (1 - rho) * gk * gk
                d = -np.sqrt(s["ad"][k] + eps) * gk / np.sqrt(s["ag"][k] + eps)
                s["ad"][k] = rho * s["ad"][k] + (1 - rho) * d * d
                w[k] = w[k] + lr * d
            elif cls == "Adamax":
                b1, b2, eps = cfg["beta_1"], cfg["beta_2"], cfg["epsilon"]
                s["m"][k] += (gk - s["m"][k]) * (1 - b1)
                s["u"][k] = np.maximum(b2 * s["u"][k], np.abs(gk))
                w[k] = w[k] - lr * s["m"][k] / ((1 - b1 ** t) * (s["u"][k] + eps))
            elif cls == "Nadam":
                b1, b2, eps = cfg["beta_1"], cfg["beta_2"], cfg["epsilon"]
                u_t = b1 * (1 - 0.5 * 0.96 ** t)
                u_t1 = b1 * (1 - 0.5 * 0.96 ** (t + 1))
                up = s["uprod"]
                up1 = up * u_t * u_t1 if torch113_nadam else up * u_t1
                s["m"][k] += (gk - s["m"][k]) * (1 - b1)
                s["v"][k] += (gk * gk - s["v"][k]) * (1 - b2)
                m_hat = u_t1 * s["m"][k] / (1 - up1) + (1 - u_t) * gk / (1 - up)
                v_hat = s["v"][k] / (1 - b2 ** t)
                w[k] = w[k] - m_hat * lr / (np.sqrt(v_hat) + eps)
            elif cls == "Lion":
                b1, b2 = cfg["beta_1"], cfg["beta_2"]
                arg = s["m"][k] * b1 + gk * (1 - b1)
                assert np.min(np.abs(arg)) > 1e-5, "Lion's sign too close to 0"
                w[k] = w[k] - lr * np.sign(arg)
                s["m"][k] = s["m"][k] * b2 + gk * (1 - b2)
            elif cls == "Ftrl":
                p = cfg["learning_rate_power"]
                l2 = cfg["l2_regularization_strength"] + cfg["beta"] / (2 * lr)
                l1 = cfg["l1_regularization_strength"]
                acc = s["acc"][k]
                gs = gk + 2 * cfg["l2_shrinkage_regularization_strength"] * w[k]
                new_acc = acc + gk * gk
                s["lin"][k] = s["lin"][k] + gs - (new_acc ** -p - acc ** -p) / lr * w[k]
                quad = new_acc ** -p / lr + 2 * l2
                w[k] = (np.clip(s["lin"][k], -l1, l1) - s["lin"][k]) / quad
                s["acc"][k] = new_acc
        if ema is not None:
            mom = 0.0 if it == 0 else cfg["ema_momentum"]
            ema = [mom * a + (1 - mom) * x for a, x in zip(ema, w)]
            f = cfg.get("ema_overwrite_frequency")
            if f and (it + 1) % f == 0:
                w = [a.copy() for a in ema]
        if t in (1, STEPS):
            out[t] = [x.copy() for x in w]
            if ema is not None:
                out[str(t) + "_final"] = [a.copy() for a in ema]  # finalize_variable_values at the end of fit
    return out


# ---------------------------------------------------------------- PyTorch
def torch_run(make, steps, clip_value=None, scheduler=None):
    params = [torch.tensor(x, requires_grad=True) for x in W0]
    opt = make(params)
    sched = scheduler(opt) if scheduler else None
    out = {}
    for it in range(steps):
        for p, g in zip(params, GRADS[it]):
            p.grad = torch.tensor(g)
        if clip_value is not None:
            torch.nn.utils.clip_grad_value_(params, clip_value)
        opt.step()
        if sched:
            sched.step()
        if it + 1 in (1, STEPS):
            out[it + 1] = [p.detach().numpy().copy() for p in params]
    return out


def cfg(cls, lr, **rule):
    base = {"name": cls.lower() if cls != "SGD" else "SGD", "learning_rate": lr, "weight_decay": None,
            "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
            "ema_overwrite_frequency": None, "loss_scale_factor": None, "gradient_accumulation_steps": None}
    base.update(rule)
    return base


def sched(name, **config):
    return {"module": "keras.optimizers.schedules", "class_name": name, "config": config, "registered_name": None}


O = torch.optim
ADAM = dict(beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False)
CASES = [
    # name, class, config, torch factory (or None), torch description, extra torch args
    ("sgd", "SGD", cfg("SGD", 0.1, momentum=0.0, nesterov=False), lambda p: O.SGD(p, lr=0.1), "torch.optim.SGD(lr=0.1)", {}),
    ("sgd_momentum", "SGD", cfg("SGD", 0.05, momentum=0.9, nesterov=False),
     lambda p: O.SGD(p, lr=0.05, momentum=0.9), "torch.optim.SGD(lr=0.05, momentum=0.9)", {}),
    ("sgd_nesterov", "SGD", cfg("SGD", 0.05, momentum=0.9, nesterov=True),
     lambda p: O.SGD(p, lr=0.05, momentum=0.9, nesterov=True), "torch.optim.SGD(lr=0.05, momentum=0.9, nesterov=True)", {}),
    ("sgd_weight_decay", "SGD", cfg("SGD", 0.1, momentum=0.0, nesterov=False, weight_decay=0.2),
     lambda p: O.SGD(p, lr=0.1, weight_decay=0.2), "torch.optim.SGD(lr=0.1, weight_decay=0.2): L2 in the gradient, "
     "the same as Keras's decay for plain SGD", {}),
    ("sgd_clipvalue", "SGD", cfg("SGD", 0.1, momentum=0.0, nesterov=False, clipvalue=0.3),
     lambda p: O.SGD(p, lr=0.1), "torch.nn.utils.clip_grad_value_(0.3) then torch.optim.SGD(lr=0.1)", {"clip_value": 0.3}),
    ("sgd_clipnorm", "SGD", cfg("SGD", 0.1, momentum=0.9, nesterov=False, clipnorm=0.5), None, None, {}),
    ("sgd_exponential_decay", "SGD",
     cfg("SGD", sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=1, decay_rate=0.9, staircase=False),
         momentum=0.0, nesterov=False),
     lambda p: O.SGD(p, lr=0.1), "torch.optim.SGD(lr=0.1) with lr_scheduler.ExponentialLR(gamma=0.9) stepped per update",
     {"scheduler": lambda o: O.lr_scheduler.ExponentialLR(o, gamma=0.9)}),
    ("adam", "Adam", cfg("Adam", 0.01, **ADAM), None, None, {}),
    ("adam_eps0", "Adam", cfg("Adam", 0.01, **dict(ADAM, epsilon=0.0)),
     lambda p: O.Adam(p, lr=0.01, eps=0.0), "torch.optim.Adam(lr=0.01, eps=0): Keras's form when epsilon is 0", {}),
    ("adam_amsgrad", "Adam", cfg("Adam", 0.01, **dict(ADAM, amsgrad=True)), None, None, {}),
    ("adam_amsgrad_eps0", "Adam", cfg("Adam", 0.01, **dict(ADAM, epsilon=0.0, amsgrad=True)),
     lambda p: O.Adam(p, lr=0.01, eps=0.0, amsgrad=True), "torch.optim.Adam(lr=0.01, eps=0, amsgrad=True)", {}),
    ("adam_global_clipnorm", "Adam", cfg("Adam", 0.01, **ADAM, global_clipnorm=1.0), None, None, {}),
    ("adam_clipnorm_ema", "Adam", cfg("Adam", 0.01, **ADAM, clipnorm=0.7, use_ema=True, ema_momentum=0.9), None, None, {}),
    ("adam_ema_overwrite", "Adam",
     cfg("Adam", 0.01, **ADAM, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=3), None, None, {}),
    ("adam_cosine_decay", "Adam",
     cfg("Adam", sched("CosineDecay", initial_learning_rate=0.0, decay_steps=8, alpha=0.1, warmup_target=0.02,
                       warmup_steps=3), **ADAM), None, None, {}),
    ("adamw", "AdamW", cfg("AdamW", 0.01, **dict(ADAM, weight_decay=0.004)), None, None, {}),
    ("adamw_eps0", "AdamW", cfg("AdamW", 0.01, **dict(ADAM, epsilon=0.0, weight_decay=0.05)),
     lambda p: O.AdamW(p, lr=0.01, eps=0.0, weight_decay=0.05), "torch.optim.AdamW(lr=0.01, eps=0, weight_decay=0.05)", {}),
    ("adagrad", "Adagrad", cfg("Adagrad", 0.05, initial_accumulator_value=0.1, epsilon=1e-7), None, None, {}),
    ("adagrad_eps0", "Adagrad", cfg("Adagrad", 0.05, initial_accumulator_value=0.1, epsilon=0.0),
     lambda p: O.Adagrad(p, lr=0.05, initial_accumulator_value=0.1, eps=0.0),
     "torch.optim.Adagrad(lr=0.05, initial_accumulator_value=0.1, eps=0)", {}),
    ("adadelta", "Adadelta", cfg("Adadelta", 1.0, rho=0.95, epsilon=1e-7),
     lambda p: O.Adadelta(p, lr=1.0, rho=0.95, eps=1e-7), "torch.optim.Adadelta(lr=1.0, rho=0.95, eps=1e-7)", {}),
    ("adamax", "Adamax", cfg("Adamax", 0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7), None, None, {}),
    ("adamax_eps0", "Adamax", cfg("Adamax", 0.01, beta_1=0.9, beta_2=0.999, epsilon=0.0),
     lambda p: O.Adamax(p, lr=0.01, eps=0.0), "torch.optim.Adamax(lr=0.01, eps=0)", {}),
    ("nadam", "Nadam", cfg("Nadam", 0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7), None, None, {}),
    ("rmsprop", "RMSprop", cfg("RMSprop", 0.01, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False), None, None, {}),
    ("rmsprop_eps0", "RMSprop", cfg("RMSprop", 0.01, rho=0.9, momentum=0.0, epsilon=0.0, centered=False),
     lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, eps=0.0), "torch.optim.RMSprop(lr=0.01, alpha=0.9, eps=0)", {}),
    ("rmsprop_momentum_centered", "RMSprop", cfg("RMSprop", 0.01, rho=0.9, momentum=0.5, epsilon=1e-7, centered=True),
     None, None, {}),
    ("rmsprop_momentum_centered_eps0", "RMSprop",
     cfg("RMSprop", 0.01, rho=0.9, momentum=0.5, epsilon=0.0, centered=True),
     lambda p: O.RMSprop(p, lr=0.01, alpha=0.9, eps=0.0, momentum=0.5, centered=True),
     "torch.optim.RMSprop(lr=0.01, alpha=0.9, eps=0, momentum=0.5, centered=True)", {}),
    ("lion", "Lion", cfg("Lion", 0.01, beta_1=0.9, beta_2=0.99), None, None, {}),
    ("ftrl", "Ftrl", cfg("Ftrl", 0.1, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                         l1_regularization_strength=0.01, l2_regularization_strength=0.02,
                         l2_shrinkage_regularization_strength=0.03, beta=0.1), None, None, {}),
]


def tolist(ws):
    return [x.tolist() for x in ws]


cases = []
for name, cls, config, make, description, extra in CASES:
    mine = keras_numpy(cls, config, STEPS)
    case = {"name": name, "class_name": cls, "config": config}
    if make is not None:
        theirs = torch_run(make, STEPS, extra.get("clip_value"), extra.get("scheduler"))
        for t in (1, STEPS):
            for a, b in zip(mine[t], theirs[t]):
                assert np.max(np.abs(a - b)) < 1e-12, (name, t, np.max(np.abs(a - b)))
        expected = theirs
        case["source"] = description + " in float64 (the numpy transcription of Keras agrees to 1e-12)"
    else:
        expected = mine
        case["source"] = "numpy float64 of keras/src/optimizers/" + cls.lower() + ".py and base_optimizer.py"
    case["after_1"] = tolist(expected[1])
    case["after_10"] = tolist(expected[STEPS])
    if "10_final" in mine:
        case["after_10_finalized"] = tolist(mine["10_final"])
    cases.append(case)

with open(os.path.join(HERE, "optimizers.json"), "w") as f:
    json.dump({"generator": "generate.py (numpy " + np.__version__ + ", torch " + torch.__version__ + ")",
               "initial_weights": tolist(W0), "gradients": [tolist(g) for g in GRADS],
               "tolerance": "float32 weights and slots: |actual - expected| <= 1e-6 + 1e-5 |expected|",
               "cases": cases}, f, indent=1)

# PyTorch 1.13's NAdam (momentum_decay=1 is Keras 3's 0.96^t) computes mu_product * mu * mu_next where Keras and
# PyTorch >= 2.0 have mu_product * mu_next; so the Nadam case comes from numpy, whose transcription is checked here
# against PyTorch 1.13 with that one factor put back.
_bugged = keras_numpy("Nadam", CASES[[c[0] for c in CASES].index("nadam")][2], STEPS, torch113_nadam=True)
_torch = torch_run(lambda p: O.NAdam(p, lr=0.01, eps=1e-7, momentum_decay=1.0), STEPS)
if torch.__version__.startswith("1."):
    for t in (1, STEPS):
        for a, b in zip(_bugged[t], _torch[t]):
            assert np.max(np.abs(a - b)) < 1e-12, ("nadam vs torch 1.13", t, np.max(np.abs(a - b)))

# ---------------------------------------------------------------- schedules
S_STEPS = [0, 1, 2, 5, 10, 49, 50, 51, 99, 100, 101, 150, 299, 300, 301, 700, 1000, 5000]
LR = O.lr_scheduler


def torch_schedule(base, make, steps):
    p = [torch.zeros(1, requires_grad=True)]
    opt = O.SGD(p, lr=base)
    s = make(opt)
    values = {}
    for step in range(max(steps) + 1):
        if step in steps:
            values[step] = opt.param_groups[0]["lr"]
        opt.step()
        s.step()
    return [values[x] for x in steps]


def restarts_torch(base, t0, tmul, eta_min, steps):
    p = [torch.zeros(1, requires_grad=True)]
    opt = O.SGD(p, lr=base)
    s = LR.CosineAnnealingWarmRestarts(opt, T_0=t0, T_mult=tmul, eta_min=eta_min)
    out = []
    for step in steps:
        s.step(step)  # the closed form at this step
        out.append(opt.param_groups[0]["lr"])
    return out


SCHEDULES = [
    (sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=1, decay_rate=0.99, staircase=False),
     lambda st: torch_schedule(0.1, lambda o: LR.ExponentialLR(o, gamma=0.99), st), "torch lr_scheduler.ExponentialLR(gamma=0.99)"),
    (sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=100, decay_rate=0.5, staircase=True), None, None),
    (sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=100, decay_rate=0.5, staircase=False), None, None),
    (sched("InverseTimeDecay", initial_learning_rate=0.1, decay_steps=50, decay_rate=0.5, staircase=False), None, None),
    (sched("InverseTimeDecay", initial_learning_rate=0.1, decay_steps=50, decay_rate=0.5, staircase=True), None, None),
    (sched("PiecewiseConstantDecay", boundaries=[50, 100, 300], values=[1.0, 0.5, 0.1, 0.01]), None, None),
    (sched("PolynomialDecay", initial_learning_rate=0.1, decay_steps=300, end_learning_rate=0.0, power=2.0, cycle=False),
     lambda st: torch_schedule(0.1, lambda o: LR.PolynomialLR(o, total_iters=300, power=2.0), st),
     "torch lr_scheduler.PolynomialLR(total_iters=300, power=2.0)"),
    (sched("PolynomialDecay", initial_learning_rate=0.1, decay_steps=100, end_learning_rate=0.0001, power=1.0, cycle=True),
     None, None),
    (sched("PolynomialDecay", initial_learning_rate=0.1, decay_steps=100, end_learning_rate=0.001, power=0.5, cycle=False),
     None, None),
    (sched("CosineDecay", initial_learning_rate=0.1, decay_steps=300, alpha=0.1, warmup_target=None, warmup_steps=0),
     None, None),
    (sched("CosineDecay", initial_learning_rate=0.0, decay_steps=250, alpha=0.0, warmup_target=0.1, warmup_steps=50),
     None, None),
    (sched("CosineDecayRestarts", initial_learning_rate=0.1, first_decay_steps=50, t_mul=2.0, m_mul=1.0, alpha=0.1),
     lambda st: restarts_torch(0.1, 50, 2, 0.01, st), "torch lr_scheduler.CosineAnnealingWarmRestarts(T_0=50, T_mult=2, eta_min=0.01)"),
    (sched("CosineDecayRestarts", initial_learning_rate=0.1, first_decay_steps=50, t_mul=1.0, m_mul=0.5, alpha=0.0),
     None, None),
    (sched("CosineDecayRestarts", initial_learning_rate=0.1, first_decay_steps=40, t_mul=1.5, m_mul=0.9, alpha=0.05),
     None, None),
]

# CosineAnnealingLR agrees with Keras's CosineDecay up to decay_steps (it then rises again where Keras stays)
cos_keras = [schedule_value(SCHEDULES[9][0], s) for s in range(301)]
cos_torch = torch_schedule(0.1, lambda o: LR.CosineAnnealingLR(o, T_max=300, eta_min=0.01), list(range(301)))
assert max(abs(a - b) for a, b in zip(cos_keras, cos_torch)) < 1e-12

schedule_cases = []
for spec, torch_values, description in SCHEDULES:
    mine = [schedule_value(spec, s) for s in S_STEPS]
    case = {"learning_rate": spec, "steps": S_STEPS}
    if torch_values is not None:
        theirs = torch_values(S_STEPS)
        assert max(abs(a - b) for a, b in zip(mine, theirs)) < 1e-12, (spec, mine, theirs)
        case["values"] = theirs
        case["source"] = description + " (numpy transcription of Keras agrees to 1e-12)"
    else:
        case["values"] = mine
        case["source"] = "numpy float64 of keras/src/optimizers/schedules/learning_rate_schedule.py"
    schedule_cases.append(case)

with open(os.path.join(HERE, "schedules.json"), "w") as f:
    json.dump({"generator": "generate.py", "tolerance": "|actual - expected| <= 1e-12 + 1e-12 |expected|",
               "cases": schedule_cases}, f, indent=1)
