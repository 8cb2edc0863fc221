"""PyTorch float64 references for Functional graphs (GraphReferenceTest).

The graph: inputs a[3], b[3]; a Dense(3, tanh) "shared" applied to both; every merge (Add, Subtract, Multiply,
Average, Maximum, Minimum, Dot normalised and not, Concatenate); outputs "main" = Dense(2, softmax) on the
concatenation and "aux" = Dense(1, linear) on the sum. Merges follow Keras: Average divides the sum, Dot(normalize)
uses x * rsqrt(max(sum(x^2), 1e-12)), Maximum/Minimum reduce left to right (the inputs have no ties).

Records: the weights (Keras get_weights() order), forward outputs, gradients of
1.0 * categorical_crossentropy(main) + 0.5 * mse(aux) (batch means), and the weights after a fit of SGD(0.1),
batch 4, 3 epochs, no shuffling, computed step by step. Run with Debian's python3-torch:
    /usr/bin/python3 make_graphs.py > graphs.json
"""
import json
import torch

torch.manual_seed(1234)
D = torch.float64


def rand(*shape, scale=0.6):
    return (torch.rand(*shape, dtype=D) * 2 - 1) * scale


weights = {
    "shared_kernel": rand(3, 3), "shared_bias": rand(3, scale=0.1),
    "main_kernel": rand(8, 2), "main_bias": rand(2, scale=0.1),
    "aux_kernel": rand(3, 1), "aux_bias": rand(1, scale=0.1),
}
weights = {k: v.float().double() for k, v in weights.items()}  # values exact in float32
order = ["shared_kernel", "shared_bias", "main_kernel", "main_bias", "aux_kernel", "aux_bias"]


def l2n(x):
    return x * torch.rsqrt(torch.clamp((x * x).sum(dim=1, keepdim=True), min=1e-12))


def forward(w, a, b):
    shared = lambda x: torch.tanh(x @ w["shared_kernel"] + w["shared_bias"])
    sa, sb = shared(a), shared(b)
    total = sa + sb + a
    difference = sa - b
    product = sa * sb
    mean = (total + difference) / 2
    high = torch.maximum(torch.maximum(product, mean), a)
    low = torch.minimum(product, mean)
    cosine = (l2n(high) * l2n(low)).sum(dim=1, keepdim=True)
    plain = (sa * b).sum(dim=1, keepdim=True)
    merged = torch.cat([high, low, cosine, plain], dim=1)
    main = torch.softmax(merged @ w["main_kernel"] + w["main_bias"], dim=1)
    aux = total @ w["aux_kernel"] + w["aux_bias"]
    return main, aux


def loss(w, a, b, t_main, t_aux):
    main, aux = forward(w, a, b)
    p = torch.clamp(main / main.sum(dim=1, keepdim=True), 1e-7, 1 - 1e-7)
    cce = -(t_main * torch.log(p)).sum(dim=1).mean()
    mse = ((aux - t_aux) ** 2).mean(dim=1).mean()
    return 1.0 * cce + 0.5 * mse


rows = 8
a = rand(rows, 3, scale=1.0).float().double()
b = rand(rows, 3, scale=1.0).float().double()
labels = torch.randint(0, 2, (rows,))
t_main = torch.nn.functional.one_hot(labels, 2).double()
t_aux = rand(rows, 1, scale=1.0).float().double()

main, aux = forward(weights, a, b)
params = {k: v.clone().requires_grad_(True) for k, v in weights.items()}
value = loss(params, a, b, t_main, t_aux)
value.backward()

fit = {k: v.clone() for k, v in weights.items()}
for epoch in range(3):
    for start in range(0, rows, 4):
        p = {k: v.clone().requires_grad_(True) for k, v in fit.items()}
        batch = slice(start, start + 4)
        l = loss(p, a[batch], b[batch], t_main[batch], t_aux[batch])
        l.backward()
        fit = {k: (p[k] - 0.1 * p[k].grad).detach() for k in fit}


def listed(t):
    t = t.detach()
    return t.reshape(1, -1).tolist() if t.dim() == 1 else t.tolist()


print(json.dumps({
    "weights": [listed(weights[k]) for k in order],
    "a": a.tolist(), "b": b.tolist(), "main_targets": t_main.tolist(), "aux_targets": t_aux.tolist(),
    "main": main.tolist(), "aux": aux.tolist(),
    "loss": value.item(),
    "gradients": [listed(params[k].grad) for k in order],
    "fit": {"optimizer": "sgd", "learning_rate": 0.1, "batch_size": 4, "epochs": 3, "loss_weights": [1.0, 0.5],
            "weights": [listed(fit[k]) for k in order]},
}, indent=1))
