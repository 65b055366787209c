#!/usr/bin/env python3
"""An independent scalar re-implementation of the update rules in PyTorch's torch.optim documentation (the pseudo-code of
SGD, Adam, AdamW and RMSprop), in double precision and plain Python, with no PyTorch.

It computes the expected numbers of tests/Backprop.Tests/Optim/OptimizerTests.cs: three steps of each optimizer on
loss = sum(p_i^2 + c_i*p_i) with c = [0.5, -1], from p = [1, -2] (so the gradient is 2p + c).
Run: python3 scripts/optimizer-reference.py   (prints one line per case: name, p0, p1)
"""
import math

C = [0.5, -1.0]
START = [1.0, -2.0]


def grad(p):
    return [2 * x + c for x, c in zip(p, C)]


def sgd(lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0, steps=3):
    p, b = list(START), None
    for t in range(1, steps + 1):
        g = [gi + weight_decay * pi for gi, pi in zip(grad(p), p)]
        if momentum != 0:
            b = list(g) if b is None else [momentum * bi + (1 - dampening) * gi for bi, gi in zip(b, g)]
            g = [gi + momentum * bi for gi, bi in zip(g, b)] if nesterov else b
        p = [pi - lr * gi for pi, gi in zip(p, g)]
    return p


def adam(lr, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, decoupled=False, steps=3):
    p, m, v = list(START), [0.0, 0.0], [0.0, 0.0]
    for t in range(1, steps + 1):
        g = grad(p)
        if decoupled:
            p = [pi * (1 - lr * weight_decay) for pi in p]
        else:
            g = [gi + weight_decay * pi for gi, pi in zip(g, p)]
        m = [beta1 * mi + (1 - beta1) * gi for mi, gi in zip(m, g)]
        v = [beta2 * vi + (1 - beta2) * gi * gi for vi, gi in zip(v, g)]
        m_hat = [mi / (1 - beta1 ** t) for mi in m]
        v_hat = [vi / (1 - beta2 ** t) for vi in v]
        p = [pi - lr * mh / (math.sqrt(vh) + eps) for pi, mh, vh in zip(p, m_hat, v_hat)]
    return p


def rmsprop(lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False, steps=3):
    p, v, g_avg, b = list(START), [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    for t in range(1, steps + 1):
        g = [gi + weight_decay * pi for gi, pi in zip(grad(p), p)]
        v = [alpha * vi + (1 - alpha) * gi * gi for vi, gi in zip(v, g)]
        v_tilde = v
        if centered:
            g_avg = [alpha * ai + (1 - alpha) * gi for ai, gi in zip(g_avg, g)]
            v_tilde = [vi - ai * ai for vi, ai in zip(v, g_avg)]
        if momentum > 0:
            b = [momentum * bi + gi / (math.sqrt(vt) + eps) for bi, gi, vt in zip(b, g, v_tilde)]
            p = [pi - lr * bi for pi, bi in zip(p, b)]
        else:
            p = [pi - lr * gi / (math.sqrt(vt) + eps) for pi, gi, vt in zip(p, g, v_tilde)]
    return p


CASES = {
    "sgd": lambda: sgd(0.1),
    "momentum": lambda: sgd(0.1, momentum=0.9, dampening=0.1),
    "nesterov": lambda: sgd(0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "adam": lambda: adam(0.1),
    "adam_wd": lambda: adam(0.1, weight_decay=0.1),
    "adamw": lambda: adam(0.1, weight_decay=0.1, decoupled=True),
    "rmsprop": lambda: rmsprop(0.01),
    "rmsprop_centered_momentum": lambda: rmsprop(0.01, momentum=0.9, centered=True, weight_decay=0.1),
}

if __name__ == "__main__":
    for name, run in CASES.items():
        p = run()
        print(f'{{ "{name}", {p[0]!r}, {p[1]!r} }},')
