"""Writes one small network in each weights layout Keras and TensorFlow.js use, with h5py and numpy alone, and its
expected outputs: the layouts as Keras writes them, independent of nn-core's writers.

The network: input 3 -> Normalization (adapted: mean, variance, count) -> Dense(4, relu) -> BatchNormalization
(epsilon 0.01) -> PReLU -> Dropout(0.25) -> LayerNormalization -> Dense(2, hard_sigmoid), saved by "Keras 2", whose
hard_sigmoid is clip(0.2 x + 0.5, 0, 1).

Files:
  legacy_model.h5      tf.keras 2.4 model.save(".h5"): model_config, model_weights/<layer>/<layer>/<weight>:0
  legacy_weights.h5    Keras 2.2-style save_weights: layer_names at the root, layers named dense_1, dense_2, ...
  tfkeras2_13.keras    tf.keras 2.13 model.save(".keras"): _layer_checkpoint_dependencies/<key>/vars/<i>, where each
                       layer with weights is visited twice, so the keys are dense, dense_2 (not dense_1)
  tfjs/model.json      tensorflowjs_converter output: weights named <layer>/<weight>, some under a scope,
  tfjs/weights.bin     count as int32
  expected.json        x and numpy's float64 outputs

Run with Debian's python3 (python3-h5py 3.7, numpy 1.24): /usr/bin/python3 make_layouts.py
"""
import io
import json
import os
import zipfile

import h5py
import numpy as np

rng = np.random.default_rng(7)
f32 = lambda a: np.asarray(a, dtype=np.float32)

weights = {
    "normalization": [("mean", f32(rng.normal(0, 2, 3))), ("variance", f32(rng.uniform(0.5, 4, 3))),
                      ("count", np.array(314, dtype=np.int64))],
    "dense": [("kernel", f32(rng.normal(0, 0.8, (3, 4)))), ("bias", f32(rng.normal(0, 0.3, 4)))],
    "batch_normalization": [("gamma", f32(rng.uniform(0.5, 1.5, 4))), ("beta", f32(rng.normal(0, 0.3, 4))),
                            ("moving_mean", f32(rng.normal(0.5, 0.3, 4))),
                            ("moving_variance", f32(rng.uniform(0.2, 2, 4)))],
    "p_re_lu": [("alpha", f32(rng.uniform(0.05, 0.5, 4)))],
    "dropout": [],
    "layer_normalization": [("gamma", f32(rng.uniform(0.5, 1.5, 4))), ("beta", f32(rng.normal(0, 0.3, 4)))],
    "dense_1": [("kernel", f32(rng.normal(0, 1.2, (4, 2)))), ("bias", f32(rng.normal(0, 0.3, 2)))],
}
classes = {"normalization": "Normalization", "dense": "Dense", "batch_normalization": "BatchNormalization",
           "p_re_lu": "PReLU", "dropout": "Dropout", "layer_normalization": "LayerNormalization", "dense_1": "Dense"}
configs = {
    "normalization": {"axis": [-1], "invert": False, "mean": None, "variance": None},
    "dense": {"units": 4, "activation": "relu", "use_bias": True},
    "batch_normalization": {"axis": [1], "momentum": 0.9, "epsilon": 0.01, "center": True, "scale": True},
    "p_re_lu": {"shared_axes": None},
    "dropout": {"rate": 0.25, "noise_shape": None, "seed": None},
    "layer_normalization": {"axis": [1], "epsilon": 0.001, "center": True, "scale": True},
    "dense_1": {"units": 2, "activation": "hard_sigmoid", "use_bias": True},
}
names = list(weights)


def layer_list(input_entry=True):
    layers = [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32",
                                                       "sparse": False, "ragged": False, "name": "input_1"}}]
    for name in names:
        layers.append({"class_name": classes[name], "config": dict(name=name, trainable=True, dtype="float32",
                                                                    **configs[name])})
    return layers if input_entry else layers[1:]


def model_config():
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": layer_list()}}


def string_array(values):
    return np.array([v.encode() for v in values], dtype="S" + str(max([len(v) for v in values] + [1])))


def write_legacy_group(group, layer_names):
    group.attrs["layer_names"] = string_array(layer_names)
    group.attrs["backend"] = "tensorflow"
    group.attrs["keras_version"] = "2.4.0"
    for name, stored in zip(names, layer_names):
        g = group.create_group(stored)
        weight_names = [stored + "/" + w + ":0" for w, _ in weights[name]]
        g.attrs["weight_names"] = string_array(weight_names) if weight_names else np.array([], dtype="S1")
        for weight_name, (_, value) in zip(weight_names, weights[name]):
            g.create_dataset(weight_name, data=value)


# tf.keras 2.4 model.save("legacy_model.h5")
with h5py.File("legacy_model.h5", "w") as h5:
    h5.attrs["keras_version"] = "2.4.0"
    h5.attrs["backend"] = "tensorflow"
    h5.attrs["model_config"] = json.dumps(model_config())
    write_legacy_group(h5.create_group("model_weights"), names)

# save_weights, with the layer names Keras 2.2 gave (dense_1, dense_2, ...), not the config's
legacy_names = ["normalization_1", "dense_1", "batch_normalization_1", "p_re_lu_1", "dropout_1",
                "layer_normalization_1", "dense_2"]
with h5py.File("legacy_weights.h5", "w") as h5:
    write_legacy_group(h5, legacy_names)

# tf.keras 2.13 model.save("tfkeras2_13.keras"): each layer with weights appears twice in
# _layer_checkpoint_dependencies (as layer_with_weights-i and layer-j), and the key counter runs over both visits
buffer = io.BytesIO()
with h5py.File(buffer, "w") as h5:
    counts = {}
    for name in names:
        base = name if name != "dense_1" else "dense"
        visits = 2 if weights[name] else 1
        for visit in range(visits):
            n = counts.get(base, -1) + 1
            counts[base] = n
            if visit == 1:
                continue  # the second visit of a layer already saved writes nothing
            key = base if n == 0 else base + "_" + str(n)
            vars_group = h5.create_group("_layer_checkpoint_dependencies/" + key + "/vars")
            for i, (_, value) in enumerate(weights[name]):
                vars_group.create_dataset(str(i), data=value)
    h5.create_group("vars")
config = {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "layers": [
    dict(module="keras.layers", registered_name=None, **layer) for layer in layer_list()]}, "registered_name": None}
with zipfile.ZipFile("tfkeras2_13.keras", "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "2.13.1", "date_saved": "2026-01-01@00:00:00"}))
    z.writestr("config.json", json.dumps(config))
    z.writestr("model.weights.h5", buffer.getvalue())

# tensorflowjs_converter: names <layer>/<weight>, BatchNormalization's under the model's scope; count as int32
os.makedirs("tfjs", exist_ok=True)
manifest, data = [], b""
for name in names:
    for weight, value in weights[name]:
        scoped = ("sequential/" if name == "batch_normalization" else "") + name + "/" + weight
        if weight == "count":
            manifest.append({"name": scoped, "shape": [], "dtype": "int32"})
            data += np.array(value, dtype="<i4").tobytes()
        else:
            manifest.append({"name": scoped, "shape": list(value.shape), "dtype": "float32"})
            data += value.astype("<f4").tobytes()
layers = layer_list(input_entry=False)
layers[0]["config"]["batch_input_shape"] = [None, 3]
with open("tfjs/model.json", "w") as f:
    json.dump({"format": "layers-model", "generatedBy": "keras v2.4.0", "convertedBy": "TensorFlow.js Converter v3.0.0",
               "modelTopology": {"keras_version": "2.4.0", "backend": "tensorflow",
                                 "model_config": {"class_name": "Sequential",
                                                  "config": {"name": "sequential", "layers": layers}}},
               "weightsManifest": [{"paths": ["weights.bin"], "weights": manifest}]}, f)
with open("tfjs/weights.bin", "wb") as f:
    f.write(data)


def w(layer, name):
    return dict(weights[layer])[name].astype(np.float64)


def forward(x):
    x = (x - w("normalization", "mean")) / np.maximum(np.sqrt(w("normalization", "variance")), 1e-7)
    x = np.maximum(x @ w("dense", "kernel") + w("dense", "bias"), 0)
    x = (w("batch_normalization", "gamma") * (x - w("batch_normalization", "moving_mean"))
         / np.sqrt(w("batch_normalization", "moving_variance") + 0.01) + w("batch_normalization", "beta"))
    x = np.where(x > 0, x, w("p_re_lu", "alpha") * x)
    mean = x.mean(axis=1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=1, keepdims=True)
    x = (x - mean) / np.sqrt(variance + 0.001) * w("layer_normalization", "gamma") + w("layer_normalization", "beta")
    z = x @ w("dense_1", "kernel") + w("dense_1", "bias")
    return np.clip(0.2 * z + 0.5, 0, 1)  # Keras 2's hard_sigmoid


x = rng.normal(0, 2, (5, 3))
with open("expected.json", "w") as f:
    json.dump({"x": x.tolist(), "expected": forward(x).tolist()}, f, indent=1)
