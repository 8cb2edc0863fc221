"""PyTorch float64 reference for Dense's activity_regularizer as Keras 3 trains it (ActivityRegularizerTest).

keras/src/layers/layer.py adds `activity_regularizer(outputs)` of each call to the model's losses, undivided;
fit minimises mean_squared_error + 0.01 * sum(h^2) (L2 on the hidden layer's relu outputs) + 0.001 * sum|y|
(L1 on the output). Three steps of SGD(0.1) over one batch of 4 rows, from weights exact in float32.
    /usr/bin/python3 make_activity.py > activity.json
"""
import json
import torch

torch.manual_seed(5)
D = torch.float64
w = {
    "k1": ((torch.rand(3, 4, dtype=D) * 2 - 1) * 0.7).float().double(),
    "b1": ((torch.rand(4, dtype=D) * 2 - 1) * 0.1).float().double(),
    "k2": ((torch.rand(4, 2, dtype=D) * 2 - 1) * 0.7).float().double(),
    "b2": ((torch.rand(2, dtype=D) * 2 - 1) * 0.1).float().double(),
}
x = ((torch.rand(4, 3, dtype=D) * 2 - 1)).float().double()
y = ((torch.rand(4, 2, dtype=D) * 2 - 1)).float().double()
order = ["k1", "b1", "k2", "b2"]


def loss(p):
    h = torch.relu(x @ p["k1"] + p["b1"])
    out = h @ p["k2"] + p["b2"]
    return ((out - y) ** 2).mean() + 0.01 * (h * h).sum() + 0.001 * out.abs().sum()


params = {k: v.clone().requires_grad_(True) for k, v in w.items()}
first = loss(params)
first.backward()
gradients = {k: params[k].grad.clone() for k in order}
current = {k: v.clone() for k, v in w.items()}
for step in range(3):
    p = {k: v.clone().requires_grad_(True) for k, v in current.items()}
    loss(p).backward()
    current = {k: (p[k] - 0.1 * p[k].grad).detach() for k in order}


def listed(t):
    return t.reshape(1, -1).tolist() if t.dim() == 1 else t.tolist()


print(json.dumps({"weights": [listed(w[k]) for k in order], "x": x.tolist(), "y": y.tolist(),
                  "loss": first.item(), "gradients": [listed(gradients[k]) for k in order],
                  "trained": [listed(current[k]) for k in order]}, indent=1))
