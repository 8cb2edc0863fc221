"""Extracts the first ROWS rows of mnist_mlp_th_keras_2_inputs_and_outputs.h5 (malfaro2/dl4j-test-resources,
src/main/resources/modelimport/keras/examples/mnist_mlp/, commit b748ea7429c5dca04308a71c2dded8a4b394f849; 1.16 MB,
not copied here) into mnist_mlp_th_keras_2_inputs_and_outputs.json: the inputs (inputs/dense_1_input) and the
predictions Keras 2.0.6 on Theano recorded (predictions/dense_3), each float32 written as the decimal of its exact
value (repr of the float64 it widens to), so that Java's (float) Double.parseDouble gives back the same float32.

Run with Debian's python3 (python3-h5py): /usr/bin/python3 extract_keras_2.py path/to/mnist_mlp_th_keras_2_inputs_and_outputs.h5
"""
import json
import sys

import h5py
import numpy as np

ROWS = 20
SOURCE = "mnist_mlp_th_keras_2_inputs_and_outputs.h5"


def exact(array):
    assert array.dtype == np.float32
    return [[float(v) for v in row] for row in array]


with h5py.File(sys.argv[1] if len(sys.argv) > 1 else SOURCE, "r") as f:
    inputs = f["inputs/dense_1_input"][:ROWS]
    predictions = f["predictions/dense_3"][:ROWS]
    labels = f["outputs/dense_3"][:ROWS]

case = {
    "repo": "malfaro2/dl4j-test-resources",
    "path": "src/main/resources/modelimport/keras/examples/mnist_mlp/" + SOURCE,
    "commit": "b748ea7429c5dca04308a71c2dded8a4b394f849",
    "rows": "the first %d of 100" % ROWS,
    "inputs": exact(inputs),
    "expected": exact(predictions),
    "expected_source": "predictions/dense_3, recorded by Keras 2.0.6 (Theano backend, float32)",
    "labels": [int(i) for i in labels.argmax(axis=1)],
}
with open("mnist_mlp_th_keras_2_inputs_and_outputs.json", "w") as out:
    json.dump(case, out, separators=(",", ":"))
    out.write("\n")
