"""Regenerates the PyTorch-exported ONNX graphs of OnnxPyTorchGraphTest (Debian's python3-torch 1.13).

    /usr/bin/python3 graphs.py      # in this folder

Three graph models, each exported at every opset torch 1.13 writes from 11 on (11..17), with a reference
<name>.json: float32 inputs (numbers that are exactly float32) per graph input, and PyTorch's outputs for them computed
in float64 (model.double()) per graph output.

- two_branches: inputs "wide" [b, 5] and "deep" [b, 6]; each through its own Linear, concatenated, then two heads:
  "main" (Linear, Softmax) and "aux" (a Linear on the deep branch alone).
- residual: a Linear, then two blocks h = h + relu(Linear(h)), then a Linear (Add skips).
- merges: two branches combined by maximum, minimum, product, difference, (a + b) / 2, constants (x - 0.5) / 3,
  per-feature scale and offset, and one Linear module called on both branches (shared weights).
"""
import json

import torch
from torch import nn

OPSETS = list(range(11, 18))


class TwoBranches(nn.Module):
    def __init__(self):
        super().__init__()
        self.wide = nn.Linear(5, 8)
        self.deep = nn.Linear(6, 8)
        self.joint = nn.Linear(16, 8)
        self.main = nn.Linear(8, 3)
        self.aux = nn.Linear(8, 1)

    def forward(self, wide, deep):
        a = torch.relu(self.wide(wide))
        b = torch.tanh(self.deep(deep))
        h = torch.relu(self.joint(torch.cat([a, b], dim=1)))
        return torch.softmax(self.main(h), dim=1), self.aux(b)


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc_in = nn.Linear(10, 16)
        self.block1 = nn.Linear(16, 16)
        self.block2 = nn.Linear(16, 16)
        self.fc_out = nn.Linear(16, 4)

    def forward(self, x):
        h = torch.relu(self.fc_in(x))
        h = h + torch.relu(self.block1(h))
        h = h + torch.relu(self.block2(h))
        return self.fc_out(h)


class Merges(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 6)
        self.fc2 = nn.Linear(6, 6)
        self.shared = nn.Linear(6, 6)
        self.register_buffer("scale", torch.tensor([0.5, 2.0, 1.5, 0.25, 3.0, 1.0]))
        self.register_buffer("offset", torch.tensor([0.1, -0.2, 0.3, -0.4, 0.5, -0.6]))

    def forward(self, x):
        a = torch.relu(self.fc1(x))
        b = torch.sigmoid(self.fc2(x))
        out = torch.maximum(a, b) - torch.minimum(a, b) + a * b + (a + b) / 2
        out = out + (a - 0.5) / 3 + self.shared(a) + self.shared(b)
        return out * self.scale + self.offset


def models():
    torch.manual_seed(10)
    two = TwoBranches()
    torch.manual_seed(11)
    residual = Residual()
    torch.manual_seed(12)
    merges = Merges()
    return [("two_branches", two, {"wide": 5, "deep": 6}, ["main", "aux"]),
            ("residual", residual, {"input": 10}, ["output"]),
            ("merges", merges, {"input": 6}, ["output"])]


def main():
    for name, model, inputs, outputs in models():
        model.eval()
        torch.manual_seed(100)
        xs = tuple(torch.randn(5, width) * 1.5 for width in inputs.values())
        axes = {n: {0: "batch"} for n in list(inputs) + outputs}
        for opset in OPSETS:
            torch.onnx.export(model, xs, f"{name}_opset{opset}.onnx", opset_version=opset, input_names=list(inputs),
                              output_names=outputs, dynamic_axes=axes)
        with torch.no_grad():
            ys = model.double()(*(x.double() for x in xs))
        if not isinstance(ys, tuple):
            ys = (ys,)
        with open(f"{name}.json", "w") as f:
            json.dump({"inputs": {n: x.tolist() for n, x in zip(inputs, xs)},
                       "outputs": {n: y.tolist() for n, y in zip(outputs, ys)}}, f)


if __name__ == "__main__":
    main()
