"""Writes nested-model files in the layouts Keras saves them, and their numpy float64 outputs.

Run once with Debian's python3-h5py (/usr/bin/python3 make_nested.py); tests read the files, never run this.
No Keras is installed here: the layouts follow Keras's saving code (keras 3.x saving_lib: layers/<class key>/vars,
a nested model's layers under layers/<key>/layers/...; Keras 2 legacy h5: model_weights/<layer>/ with weight_names,
a nested model's weights all in its group as <inner layer>/<weight>:0; TF.js: modelTopology.model_config).

The model: input x (3) -> nested Sequential "block" [Dense "dense" (4, relu), Dense "dense_1" (3, tanh)], called
twice (y1 = block(x), y2 = block(y1)); z = Add()([y1, y2]); outputs Dense "dense" (2, linear)(z) and Dense "aux" (1,
sigmoid)(y1). The outer "dense" clashes with the block's "dense", which nn-core renames "block_dense".
"""
import io, json, zipfile
import numpy as np
import h5py

rng = np.random.default_rng(12)
def w(*shape):
    return (rng.uniform(-1, 1, size=shape)).astype(np.float32)

K1, B1 = w(3, 4), w(4)        # block/dense
K2, B2 = w(4, 3), w(3)        # block/dense_1
K3, B3 = w(3, 2), w(2)        # outer dense
K4, B4 = w(3, 1), w(1)        # aux

def forward(x, k1, b1, k2, b2, k3, b3, k4, b4):
    x = np.asarray(x, np.float64)
    f = lambda v, k, b: v @ k.astype(np.float64) + b.astype(np.float64)
    block = lambda v: np.tanh(f(np.maximum(f(v, k1, b1), 0), k2, b2))
    y1 = block(x); y2 = block(y1)
    out = f(y1 + y2, k3, b3)
    aux = 1 / (1 + np.exp(-f(y1, k4, b4)))
    return out, aux

inputs = [[0.5, -1.0, 2.0], [0.0, 0.25, -0.75], [1.5, 1.0, -2.0]]

def tensor(name, node, shape):
    return {"class_name": "__keras_tensor__", "config": {"shape": [None, shape], "dtype": "float32",
            "keras_history": [name, node, 0]}}

def dense3(name, units, act, inp):
    return {"module": "keras.layers", "class_name": "Dense", "config": {"name": name, "trainable": True,
            "dtype": "float32", "units": units, "activation": act, "use_bias": True},
            "registered_name": None, "build_config": {"input_shape": [None, inp]}}

block3 = {"module": "keras", "class_name": "Sequential", "config": {"name": "block", "trainable": True, "layers": [
    {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 3], "dtype": "float32",
     "sparse": False, "name": "block_input"}, "registered_name": None},
    dense3("dense", 4, "relu", 3), dense3("dense_1", 3, "tanh", 4)]},
    "registered_name": None, "build_config": {"input_shape": [None, 3]}, "name": "block",
    "inbound_nodes": [{"args": [tensor("x", 0, 3)], "kwargs": {}}, {"args": [tensor("block", 0, 3)], "kwargs": {}}]}

def with_calls(layer, calls):
    layer = dict(layer); layer["name"] = layer["config"]["name"]
    layer["inbound_nodes"] = [{"args": [a], "kwargs": {}} for a in calls]
    return layer

config3 = {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "nested",
    "trainable": True, "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 3], "dtype": "float32",
         "sparse": False, "name": "x"}, "registered_name": None, "name": "x", "inbound_nodes": []},
        block3,
        with_calls({"module": "keras.layers", "class_name": "Add", "config": {"name": "add", "trainable": True,
            "dtype": "float32"}, "registered_name": None, "build_config": {"input_shape": [[None, 3], [None, 3]]}},
            [[tensor("block", 0, 3), tensor("block", 1, 3)]]),
        with_calls(dense3("dense", 2, "linear", 3), [tensor("add", 0, 3)]),
        with_calls(dense3("aux", 1, "sigmoid", 3), [tensor("block", 0, 3)])],
    "input_layers": [["x", 0, 0]], "output_layers": [["dense", 0, 0], ["aux", 0, 0]]},
    "registered_name": "Functional", "build_config": {"input_shape": None}}

# Keras 3 .keras: layers/<key>/vars in model.layers order, keys counted per class; the nested model's own layers
weights = io.BytesIO()
with h5py.File(weights, "w") as f:
    for key in ["input_layer", "add"]:
        f.create_group("layers/" + key + "/vars")
    for path, arrays in [("layers/sequential/layers/dense", [K1, B1]), ("layers/sequential/layers/dense_1", [K2, B2]),
                         ("layers/dense", [K3, B3]), ("layers/dense_1", [K4, B4])]:
        g = f.create_group(path + "/vars")
        for i, a in enumerate(arrays):
            g.create_dataset(str(i), data=a)
    f.create_group("layers/sequential/vars")
    f.create_group("vars")
with zipfile.ZipFile("nested_keras3.keras", "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.10.0", "date_saved": "2026-11-29@00:00:00"}))
    z.writestr("config.json", json.dumps(config3))
    z.writestr("model.weights.h5", weights.getvalue())

# Keras 2 legacy h5: model_config with inbound_nodes [[[name, node, tensor, {}]]]; nested weights in one group
def dense2(name, units, act):
    return {"class_name": "Dense", "config": {"name": name, "trainable": True, "dtype": "float32", "units": units,
            "activation": act, "use_bias": True}}

block2 = {"class_name": "Sequential", "config": {"name": "block", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32", "sparse": False,
     "ragged": False, "name": "block_input"}}, dense2("dense", 4, "relu"), dense2("dense_1", 3, "tanh")]},
    # get_config renumbers a layer's nodes that belong to the model from 0 (node_conversion_map)
    "name": "block", "inbound_nodes": [[["x", 0, 0, {}]], [["block", 0, 0, {}]]]}
config2 = {"class_name": "Functional", "config": {"name": "nested", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 3], "dtype": "float32", "sparse": False,
     "ragged": False, "name": "x"}, "name": "x", "inbound_nodes": []},
    block2,
    dict(**{"class_name": "Add", "config": {"name": "add", "trainable": True, "dtype": "float32"}}, name="add",
         inbound_nodes=[[["block", 0, 0, {}], ["block", 1, 0, {}]]]),
    dict(**dense2("dense", 2, "linear"), name="dense", inbound_nodes=[[["add", 0, 0, {}]]]),
    dict(**dense2("aux", 1, "sigmoid"), name="aux", inbound_nodes=[[["block", 0, 0, {}]]])],
    "input_layers": [["x", 0, 0]], "output_layers": [["dense", 0, 0], ["aux", 0, 0]]}}
with h5py.File("nested_keras2.h5", "w") as f:
    f.attrs["keras_version"] = "2.4.0"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = json.dumps(config2)
    mw = f.create_group("model_weights")
    mw.attrs["layer_names"] = [n.encode() for n in ["x", "block", "add", "dense", "aux"]]
    for name, arrays in [("x", []), ("add", []), ("dense", [("dense/kernel:0", K3), ("dense/bias:0", B3)]),
                         ("aux", [("aux/kernel:0", K4), ("aux/bias:0", B4)]),
                         ("block", [("dense/kernel:0", K1), ("dense/bias:0", B1), ("dense_1/kernel:0", K2),
                                    ("dense_1/bias:0", B2)])]:
        g = mw.create_group(name)
        g.attrs["weight_names"] = [n.encode() for n, _ in arrays]
        for n, a in arrays:
            g.create_dataset(n, data=a)

# TF.js: modelTopology nesting model_config, two manifest groups over three shards, quantised weights
import os
os.makedirs("nested_tfjs", exist_ok=True)
def quantise_uint8(a):
    lo, hi = float(a.min()), float(a.max()); scale = (hi - lo) / 255
    q = np.round((a - lo) / scale).astype(np.uint8)
    return q, {"dtype": "uint8", "scale": scale, "min": lo}, (q.astype(np.float32) * np.float32(scale) + np.float32(lo))
def quantise_uint16(a):
    lo, hi = float(a.min()), float(a.max()); scale = (hi - lo) / 65535
    q = np.round((a - lo) / scale).astype(np.uint16)
    return q, {"dtype": "uint16", "scale": scale, "min": lo}, (q.astype(np.float32) * np.float32(scale) + np.float32(lo))
q1, quant1, K1q = quantise_uint8(K1)
q2, quant2, K2q = quantise_uint16(K2)
K3h = K3.astype(np.float16)
group1 = b"".join([q1.tobytes(), B1.astype("<f4").tobytes(), q2.tobytes(), B2.astype("<f4").tobytes()])
group2 = b"".join([K3h.astype("<f2").tobytes(), B3.astype("<f4").tobytes(), K4.astype("<f4").tobytes(),
                   B4.astype("<f4").tobytes()])
cut = 10
open("nested_tfjs/group1-shard1of2.bin", "wb").write(group1[:cut])
open("nested_tfjs/group1-shard2of2.bin", "wb").write(group1[cut:])
open("nested_tfjs/group2-shard1of1.bin", "wb").write(group2)
manifest = [{"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"], "weights": [
    {"name": "block/dense/kernel", "shape": [3, 4], "dtype": "float32", "quantization": quant1},
    {"name": "block/dense/bias", "shape": [4], "dtype": "float32"},
    {"name": "block/dense_1/kernel", "shape": [4, 3], "dtype": "float32", "quantization": quant2},
    {"name": "block/dense_1/bias", "shape": [3], "dtype": "float32"}]},
    {"paths": ["group2-shard1of1.bin"], "weights": [
    {"name": "dense/kernel", "shape": [3, 2], "dtype": "float32", "quantization": {"dtype": "float16"}},
    {"name": "dense/bias", "shape": [2], "dtype": "float32"},
    {"name": "aux/kernel", "shape": [3, 1], "dtype": "float32"},
    {"name": "aux/bias", "shape": [1], "dtype": "float32"}]}]
json.dump({"format": "layers-model", "generatedBy": "keras v2.4.0", "convertedBy": "make_nested.py",
           "modelTopology": {"keras_version": "2.4.0", "backend": "tensorflow", "model_config": config2},
           "weightsManifest": manifest}, open("nested_tfjs/model.json", "w"))

out, aux = forward(inputs, K1, B1, K2, B2, K3, B3, K4, B4)
outq, auxq = forward(inputs, K1q, B1, K2q, B2, K3h.astype(np.float32), B3, K4, B4)
json.dump({"inputs": inputs, "output_names": ["dense", "aux"],
           "keras": {"dense": out.tolist(), "aux": aux.tolist()},
           "tfjs_quantised": {"dense": outq.tolist(), "aux": auxq.tolist()}},
          open("nested-reference.json", "w"), indent=1)
print("written")

# A nested Functional model of two inputs and two outputs: pair(p, q) = [Dense "dense" (3, relu)(c), c] with
# c = Concatenate()([p, q]); outer: a (2), b (2); [d, c] = pair([a, b]); head = Dense "head" (1)(Concatenate([d, c])).
# The second output of the nested call is tensor 1 of its node: ["pair", 0, 1].
KP, BP = w(4, 3), w(3)
KH, BH = w(7, 1), w(1)

def forward_pair(a, b):
    a = np.asarray(a, np.float64); b = np.asarray(b, np.float64)
    c = np.concatenate([a, b], -1)
    d = np.maximum(c @ KP.astype(np.float64) + BP, 0)
    return np.concatenate([d, c], -1) @ KH.astype(np.float64) + BH

pair3 = {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "pair", "trainable": True,
    "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 2], "dtype": "float32",
         "sparse": False, "name": "p"}, "registered_name": None, "name": "p", "inbound_nodes": []},
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 2], "dtype": "float32",
         "sparse": False, "name": "q"}, "registered_name": None, "name": "q", "inbound_nodes": []},
        with_calls({"module": "keras.layers", "class_name": "Concatenate", "config": {"name": "concatenate",
            "trainable": True, "dtype": "float32", "axis": -1}, "registered_name": None,
            "build_config": {"input_shape": [[None, 2], [None, 2]]}}, [[tensor("p", 0, 2), tensor("q", 0, 2)]]),
        with_calls(dense3("dense", 3, "relu", 4), [tensor("concatenate", 0, 4)])],
    "input_layers": [["p", 0, 0], ["q", 0, 0]], "output_layers": [["dense", 0, 0], ["concatenate", 0, 0]]},
    "registered_name": "Functional", "build_config": {"input_shape": None}, "name": "pair",
    "inbound_nodes": [{"args": [[tensor("a", 0, 2), tensor("b", 0, 2)]], "kwargs": {}}]}
pair_out1 = tensor("pair", 0, 3)
pair_out2 = tensor("pair", 0, 4); pair_out2["config"]["keras_history"][2] = 1
outer3 = {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "outer",
    "trainable": True, "layers": [
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 2], "dtype": "float32",
         "sparse": False, "name": "a"}, "registered_name": None, "name": "a", "inbound_nodes": []},
        {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [None, 2], "dtype": "float32",
         "sparse": False, "name": "b"}, "registered_name": None, "name": "b", "inbound_nodes": []},
        pair3,
        with_calls({"module": "keras.layers", "class_name": "Concatenate", "config": {"name": "concatenate",
            "trainable": True, "dtype": "float32", "axis": -1}, "registered_name": None,
            "build_config": {"input_shape": [[None, 3], [None, 4]]}}, [[pair_out1, pair_out2]]),
        with_calls(dense3("head", 1, "linear", 7), [tensor("concatenate", 0, 7)])],
    "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["head", 0, 0]]},
    "registered_name": "Functional", "build_config": {"input_shape": None}}
weights = io.BytesIO()
with h5py.File(weights, "w") as f:
    for key in ["input_layer", "input_layer_1", "concatenate", "functional/layers/input_layer",
                "functional/layers/input_layer_1", "functional/layers/concatenate", "functional"]:
        f.create_group("layers/" + key + "/vars")
    for path, arrays in [("layers/functional/layers/dense", [KP, BP]), ("layers/dense", [KH, BH])]:
        g = f.create_group(path + "/vars")
        for i, a in enumerate(arrays):
            g.create_dataset(str(i), data=a)
    f.create_group("vars")
with zipfile.ZipFile("nested_functional_keras3.keras", "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.10.0", "date_saved": "2026-11-29@00:00:00"}))
    z.writestr("config.json", json.dumps(outer3))
    z.writestr("model.weights.h5", weights.getvalue())

pair_inputs = {"a": [[0.5, -1.0], [2.0, 0.25], [-1.5, 1.0]], "b": [[1.0, 0.0], [-0.5, 0.75], [0.25, -2.0]]}
reference = json.load(open("nested-reference.json"))
reference["functional"] = {"inputs": pair_inputs, "head": forward_pair(pair_inputs["a"], pair_inputs["b"]).tolist()}
json.dump(reference, open("nested-reference.json", "w"), indent=1)
print("written nested functional")
