#!/usr/bin/env python3
"""Chebyshev coefficients of S(u) = ln(erfc(z)·exp(z²)/t), t = 2/(2+z), u = 2t − 1, for src/Backprop/Kernels/SpecialFunctions.cs.

erfc(z) = t·exp(−z² + S(u)) for z ≥ 0 (Numerical Recipes' erfccheb, 3rd ed. §6.2.2). Prints the 28 coefficients (c₀
halved, so the series is c₀ + Σ cⱼ·Tⱼ(u)) and the largest relative error of erfc so computed in double over z ∈ [0, 10].
Needs mpmath only: python3 scripts/erfc-chebyshev.py
"""
import math

import mpmath as mp

mp.mp.dps = 40
N = 28


def s_of_u(u):
    t = (u + 1) / 2
    if t == 0:
        return mp.log(1 / mp.sqrt(mp.pi))  # erfc(z)·e^(z²)/t → (2 + z)/(2·z·√π)·2 → 1/√π as z → ∞
    z = 2 * (1 - t) / t
    return mp.log(mp.erfc(z) * mp.exp(z * z) / t)


def coefficients():
    angles = [mp.pi * (k + mp.mpf(1) / 2) / N for k in range(N)]
    values = [s_of_u(mp.cos(a)) for a in angles]
    c = [2 * sum(v * mp.cos(j * a) for v, a in zip(values, angles)) / N for j in range(N)]
    c[0] /= 2
    return [float(x) for x in c]


def erfc(z, c):
    t = 2.0 / (2.0 + z)
    u = 2.0 * t - 1.0
    d = dd = 0.0
    for j in range(len(c) - 1, 0, -1):
        d, dd = 2 * u * d - dd + c[j], d
    return t * math.exp(-z * z + u * d - dd + c[0])


c = coefficients()
print(",\n".join(repr(x) for x in c))
worst = max(abs(erfc(i / 400, c) - mp.erfc(i / 400)) / mp.erfc(i / 400) for i in range(4001))
print(f"largest relative error of erfc over [0, 10]: {float(worst):.3g}")
