#!/usr/bin/env python3
"""Fits the sixteen degree-6 pieces of the Float tanh lanes (Sources/CActivationKernels/
FloatLanes.h, `tanh`) and prints their tables as C.

Piece i covers the a = |x| whose a + 1 has exponent and two leading mantissa bits i (a + 1 in
[1, 16), a clamped at 9.5); the lanes index a 16-entry permute by the raw bits of a + 1
shifted right by 21, so piece i sits in slot (i + 12) mod 16. Each piece is
p(u) = m0 + m1·u + … + m6·u⁶, u = a − c, fitted to tanh at 3 000 Chebyshev points with weights
1/ulp (Lawson's iteration towards the minimax), coefficients rounded to Float one at a time
from the lowest, the rest refitted. c is the Float near the piece's middle whose tanh is
nearest a Float (m0). The first piece has c = 0 and is evaluated as a + a·q(a) (the lanes
take a, not m0, as the last addend), so its m0 and m1 are printed as 0. Needs NumPy; the bound is
proved by the exhaustive C sweep (bench/performance-notes.md), not here.
"""
import numpy as np

DEGREE, CLAMP = 6, 9.5


def ulp(y):
    return np.spacing(np.abs(y).astype(np.float32)).astype(np.float64)


def lawson(a, b, w, iterations=60):
    weights = np.full(len(b), 1.0 / len(b))
    for _ in range(iterations):
        s = np.sqrt(weights) * w
        x = np.linalg.lstsq(a * s[:, None], b * s, rcond=None)[0]
        weights *= np.abs(w * (a @ x - b))
        weights /= weights.sum()
    return x


def fit(i):
    binade, quarter = divmod(i, 4)
    t_low, t_high = 2.0**binade * (1 + quarter / 4), 2.0**binade * (1 + (quarter + 1) / 4)
    low, high = t_low - 1, min(t_high - 1, CLAMP)
    if low >= 9:  # tanh rounds to 1 from 9.011; 1 from 9 keeps the lanes monotone
        return 0.0, [1.0] + [0.0] * DEGREE
    middle = np.float32((low + high) / 2)
    # a + 1 is rounded: a piece reaches a little beyond its bounds.
    low, high = max(low - 2**-22 * t_low, 0.0), min(high + 2**-22 * t_high, CLAMP)
    a = (low + high) / 2 + (high - low) / 2 * np.cos(np.linspace(0, np.pi, 3000))
    a = a[a > 1e-4]
    y = np.tanh(a)
    w = 1.0 / ulp(y * (1 - 2**-23))
    m = np.zeros(DEGREE + 1)
    if i == 0:
        c, m[1], first = 0.0, 1.0, 2
    else:
        cs = (middle + np.arange(-4000, 4000) * float(np.spacing(middle))).astype(np.float32).astype(np.float64)
        distance = np.abs(np.tanh(cs) - np.tanh(cs).astype(np.float32)) / ulp(np.tanh(cs))
        c = float(cs[np.argmin(distance)])
        m[0], first = float(np.float32(np.tanh(c))), 1
    u = a - c
    powers = np.stack([u**k for k in range(first, DEGREE + 1)], 1)
    rest = y - m[0] - m[1] * u * (first == 2)
    for k in range(first, DEGREE + 1):
        m[k] = float(np.float32(lawson(powers[:, k - first:], rest, w)[0]))
        rest = rest - m[k] * u**k
    error = np.max(np.abs(rest) * w)
    if i == 0:
        m[1] = 0.0  # the lanes add u itself: p = u + u·q(u), q(0) = 0
    print(f"// piece {i:2d}: a in [{t_low - 1:g}, {min(t_high - 1, CLAMP):g}), c = {c:.9g}, {error:.3f} ulp")
    return c, list(m)


def c_float(v):
    if v == 0:
        return "0.0f"
    mantissa, exponent = float.hex(float(v)).split("p")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}p{exponent}f"


pieces = [fit(i) for i in range(16)]
slots = [pieces[(s - 12) % 16] for s in range(16)]
def table(values):
    rows = [", ".join(c_float(v) for v in values[k:k + 4]) for k in range(0, 16, 4)]
    return ",\n        ".join(rows)
print(f"    const rect_f16 centers = {{{table([c for c, _ in slots])}}};")
for k in range(DEGREE, -1, -1):
    print(f"    const rect_f16 m{k} = {{{table([m[k] for _, m in slots])}}};")
