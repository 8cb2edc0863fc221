"""Regenerates the PyTorch-exported ONNX fixtures of OnnxPyTorchTest (Debian's python3-torch 1.13, python3-onnx 1.12).

    /usr/bin/python3 generate.py      # in this folder

Each model is trained for nothing: the weights are torch.manual_seed(0)'s initialisation, with BatchNorm's running
statistics set to non-trivial values, so that every layer matters. Each file <name>_opset<N>.onnx has a reference
<name>.json: float32 inputs (as numbers that are exactly float32) and PyTorch's outputs for them computed in float64
(model.double()), which nn-core's float32 outputs must match within 1e-5 of the largest output magnitude.
"""
import json

import torch
from torch import nn


class MatMulAdd(nn.Module):
    """x @ W + b as a module, which torch.onnx exports as MatMul then Add (not Gemm)."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_in, n_out) * 0.3)
        self.bias = nn.Parameter(torch.randn(n_out) * 0.1)

    def forward(self, x):
        return x @ self.weight + self.bias


def models():
    torch.manual_seed(0)
    mlp784 = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=1))
    torch.manual_seed(1)
    mlp64 = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10), nn.Softmax(dim=1))
    torch.manual_seed(2)
    bn_gelu = nn.Sequential(nn.Linear(20, 16), nn.BatchNorm1d(16), nn.GELU(), nn.Dropout(0.3),
                            nn.Linear(16, 16), nn.BatchNorm1d(16), nn.GELU(), nn.Dropout(0.3),
                            nn.Linear(16, 3), nn.Softmax(dim=1))
    for m in bn_gelu:
        if isinstance(m, nn.BatchNorm1d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    torch.manual_seed(3)
    misc = nn.Sequential(nn.Flatten(), MatMulAdd(16, 12), nn.SiLU(), nn.Linear(12, 8), nn.Mish(),
                         nn.Linear(8, 8), nn.LeakyReLU(0.1), nn.Linear(8, 8), nn.ELU(0.5), nn.Linear(8, 8),
                         nn.Hardswish(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 4), nn.LogSoftmax(dim=1))
    return [("mlp784", mlp784, (784,), [13]), ("mlp64", mlp64, (64,), [11, 13, 17]),
            ("bn_gelu", bn_gelu, (20,), [11, 13, 17]), ("misc", misc, (1, 4, 4), [14, 17])]


def main():
    for name, model, shape, opsets in models():
        model.eval()
        torch.manual_seed(100)
        x = torch.randn(5, *shape) * 1.5
        for opset in opsets:
            torch.onnx.export(model, x, f"{name}_opset{opset}.onnx", opset_version=opset, input_names=["input"],
                              output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        with torch.no_grad():
            y = model.double()(x.double())
        with open(f"{name}.json", "w") as f:
            json.dump({"input_shape": list(shape), "input": x.reshape(5, -1).tolist(), "output": y.tolist()}, f)


if __name__ == "__main__":
    main()
