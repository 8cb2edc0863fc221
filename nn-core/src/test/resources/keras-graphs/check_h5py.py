"""Reads nn-core's Functional .keras file with h5py alone and computes its outputs in numpy float64.

/usr/bin/python3 check_h5py.py every_merge.keras nncore-output.json > numpy-output.json

An interpreter of the Keras 3 Functional config written from Keras's docs, not from nn-core: layers in config order,
each inbound node's keras_history tensors resolved by (layer, node index), weights found as Keras 3's saving_lib
finds them (layers/<class in snake case, counted per class in model.layers order>/vars/0, 1, ...).
"""
import io, json, re, sys, zipfile
import numpy as np
import h5py

path, reference = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(path)
config = json.loads(z.read("config.json"))
h5 = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
assert config["class_name"] == "Functional", config["class_name"]
layers = config["config"]["layers"]

snake = lambda name: re.sub("([a-z])([A-Z])", r"\1_\2", re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)).lower()
counts, weights = {}, {}
for layer in layers:
    base = snake(layer["class_name"])
    k = counts.get(base, 0); counts[base] = k + 1
    key = base if k == 0 else f"{base}_{k}"
    vars_ = h5[f"layers/{key}/vars"]
    weights[layer["name"]] = [np.array(vars_[str(i)], dtype=np.float64) for i in range(len(vars_))]

acts = {"relu": lambda v: np.maximum(v, 0), "tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
        "linear": lambda v: v}

def compute(layer, args):
    cls, cfg, w = layer["class_name"], layer["config"], weights[layer["name"]]
    if cls == "Dense":
        return acts[cfg["activation"]](args[0] @ w[0] + (w[1] if cfg["use_bias"] else 0))
    if cls == "BatchNormalization":
        gamma, beta, mean, var = w
        return gamma * (args[0] - mean) / np.sqrt(var + cfg["epsilon"]) + beta
    if cls == "Dropout":
        return args[0]
    if cls == "Concatenate": return np.concatenate(args, axis=-1)
    if cls == "Add": return sum(args[1:], args[0])
    if cls == "Subtract": return args[0] - args[1]
    if cls == "Multiply": return np.prod(args, axis=0)
    if cls == "Average": return np.mean(args, axis=0)
    if cls == "Maximum": return np.max(args, axis=0)
    if cls == "Minimum": return np.min(args, axis=0)
    if cls == "Dot":
        a, b = args
        if cfg["normalize"]:
            a = a / np.sqrt(np.maximum(np.sum(a * a, -1, keepdims=True), 1e-12))
            b = b / np.sqrt(np.maximum(np.sum(b * b, -1, keepdims=True), 1e-12))
        return np.sum(a * b, -1, keepdims=True)
    raise ValueError(cls)

def tensors(value):
    if isinstance(value, dict) and "keras_history" in value.get("config", {}):
        return [tuple(value["config"]["keras_history"][:2])]
    if isinstance(value, list):
        return [t for v in value for t in tensors(v)]
    return []

inputs = np.array(json.load(open(reference))["inputs"], dtype=np.float64)
values = {}
input_names = [t[0] for t in config["config"]["input_layers"]]
assert len(input_names) == 1
values[(input_names[0], 0)] = inputs
pending = [(layer, n) for layer in layers for n in range(len(layer["inbound_nodes"]))]
while pending:
    left = []
    for layer, n in pending:
        refs = tensors(layer["inbound_nodes"][n]["args"])
        if all(r in values for r in refs):
            values[(layer["name"], n)] = compute(layer, [values[r] for r in refs])
        else:
            left.append((layer, n))
    assert len(left) < len(pending), "cycle"
    pending = left
out = {"h5py": h5py.__version__, "numpy": np.__version__}
for name, node, _ in config["config"]["output_layers"]:
    out[name] = values[(name, node)].tolist()
print(json.dumps(out))
