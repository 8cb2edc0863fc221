"""Expected outputs of model.keras and tfjs/ (Dense(4 -> 5, relu) then a Softmax layer), from their stored weights.

Independent of nn-core: h5py reads the weights inside model.keras, numpy reads tfjs/weights.bin by its manifest,
and numpy computes the forward pass in float64 from the layer classes the configs name.
Run with Debian's python3 (python3-h5py, python3-numpy): /usr/bin/python3 expected.py > expected.json
"""
import io
import json
import sys
import zipfile

import h5py
import numpy as np


def keras_weights(path):
    with zipfile.ZipFile(path) as z:
        config = json.loads(z.read("config.json"))
        with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as h5:
            layers = []
            for entry in config["config"]["layers"]:
                layers.append((entry["class_name"], entry["config"]))
            kernel = np.array(h5["layers/dense/vars/0"], dtype=np.float64)
            bias = np.array(h5["layers/dense/vars/1"], dtype=np.float64)
            assert list(h5["layers/softmax/vars"].keys()) == [], "a Softmax layer has no weights"
    return layers, kernel, bias


def tfjs_weights(directory):
    with open(directory + "/model.json") as f:
        model = json.load(f)
    group = model["weightsManifest"][0]
    data = b"".join(open(directory + "/" + p, "rb").read() for p in group["paths"])
    values, offset = {}, 0
    for weight in group["weights"]:
        count = int(np.prod(weight["shape"]))
        values[weight["name"]] = np.frombuffer(data, "<f4", count, offset).reshape(weight["shape"]).astype(np.float64)
        offset += 4 * count
    layers = [(layer["class_name"], layer["config"]) for layer in model["modelTopology"]["config"]["layers"]]
    return layers, values["hidden/kernel"], values["hidden/bias"]


def forward(x, kernel, bias):
    hidden = np.maximum(x @ kernel + bias, 0.0)                  # Dense(5, activation="relu")
    shifted = np.exp(hidden - hidden.max(axis=1, keepdims=True))  # Softmax(axis=-1)
    return shifted / shifted.sum(axis=1, keepdims=True)


layers, kernel, bias = keras_weights("model.keras")
assert [c for c, _ in layers] == ["InputLayer", "Dense", "Softmax"], layers
assert layers[1][1]["activation"] == "relu" and layers[2][1]["axis"] == -1, layers
tfjs_layers, tfjs_kernel, tfjs_bias = tfjs_weights("tfjs")
assert [c for c, _ in tfjs_layers] == ["Dense", "Softmax"], tfjs_layers
assert np.array_equal(kernel, tfjs_kernel) and np.array_equal(bias, tfjs_bias), "the two files hold the same weights"

x = np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 0.0, 0.0, 0.0], [-1.5, 2.5, 1.0, -0.25], [4.0, 1.0, -3.0, 2.0]])
json.dump({"x": x.tolist(), "expected": forward(x, kernel, bias).tolist(),
           "kernel": kernel.tolist(), "bias": bias.tolist()}, sys.stdout, indent=1)
print()
