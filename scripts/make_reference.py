#!/usr/bin/env python3
"""Writes the reference tables the activation tests check against.

Also a small table for the piecewise-linear members (relu, leaky ReLU, abs), which are exact
but for the rounding of the leaky product.

For softplus (β = 1 and β = 2, threshold 20), sigmoid, tanh, gelu (erf and tanh forms), silu,
elu (α = 1 and α = 0.5), selu and mish, in Float32 and Float64, each
line holds an input x and the correctly rounded value f(x) and derivative f'(x), all three as
exact bit patterns in hex. The values come from mpmath at 50 significant digits and are rounded
once, to nearest-even, to the target format (subnormals included), so a test can count the
ulp distance of any result exactly.

The points are dense where accuracy is hard: near 0, around the softplus threshold, at the
edges where results leave the normal range, in the tails, plus ±0, ±inf, NaN and subnormal
inputs. The generator is seeded: running this script again writes the same files.

    python3 scripts/make_reference.py            # writes Tests/ActivationsTests/Reference/*.txt
    python3 scripts/make_reference.py gelu mish  # only these tables

Needs mpmath and numpy.
"""
import os
import sys

import mpmath as mp
import numpy as np

mp.mp.dps = 50

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "ActivationsTests", "Reference")
POINTS = 20_000          # per function and type; the beta = 2 variant gets a quarter
SEED = 20_240_601


class Format:
    def __init__(self, name, dtype, utype, precision, min_exponent, max_exponent, digits):
        self.name, self.dtype, self.utype = name, dtype, utype
        self.precision, self.min_exponent, self.max_exponent = precision, min_exponent, max_exponent
        self.digits = digits  # hex digits of a bit pattern

    def bits(self, value):
        return int(np.array([value], dtype=self.dtype).view(self.utype)[0])

    def from_bits(self, bits):
        return np.array([bits], dtype=self.utype).view(self.dtype)[0]


FLOAT = Format("float", np.float32, np.uint32, 24, -126, 127, 8)
DOUBLE = Format("double", np.float64, np.uint64, 53, -1022, 1023, 16)


def round_to(fmt, value):
    """The mpf `value` rounded once, to nearest-even, to `fmt` (with subnormals and overflow)."""
    if mp.isnan(value):
        return float("nan")
    if mp.isinf(value):
        return float(value)
    if value == 0:
        return 0.0
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    _, exponent = mp.frexp(magnitude)  # magnitude = m·2^exponent, m in [1/2, 1)
    quantum = max(exponent - 1, fmt.min_exponent) - (fmt.precision - 1)
    scaled = mp.ldexp(magnitude, -quantum)
    whole = int(mp.floor(scaled))
    rest = scaled - whole
    if rest > 0.5 or (rest == 0.5 and whole % 2 == 1):
        whole += 1
    rounded = mp.ldexp(whole, quantum)
    if rounded >= mp.ldexp(1, fmt.max_exponent + 1):
        return sign * float("inf")
    return sign * float(rounded)


def exact(x):
    return mp.mpf(float(x))


def softplus(beta, threshold, fmt):
    def linear(x):
        product = fmt.dtype(beta) * fmt.dtype(x)  # compared in the working type, as PyTorch
        return bool(product > fmt.dtype(threshold))

    def value(x):
        if np.isnan(x):
            return mp.nan
        if linear(x):
            return exact(x)
        if np.isinf(x):
            return mp.mpf(0) if x < 0 else mp.inf
        b = mp.mpf(beta)
        return mp.log1p(mp.exp(b * exact(x))) / b

    def derivative(x):
        if np.isnan(x):
            return mp.nan
        if linear(x):
            return mp.mpf(1)
        if np.isinf(x):
            return mp.mpf(1 if x > 0 else 0)
        return sigmoid_value(mp.mpf(beta) * exact(x))

    return value, derivative


def sigmoid_value(t):
    if t >= 0:
        return 1 / (1 + mp.exp(-t))
    e = mp.exp(t)
    return e / (1 + e)


def sigmoid(fmt):
    def value(x):
        if np.isnan(x):
            return mp.nan
        if np.isinf(x):
            return mp.mpf(1 if x > 0 else 0)
        return sigmoid_value(exact(x))

    def derivative(x):
        if np.isnan(x):
            return mp.nan
        if np.isinf(x):
            return mp.mpf(0)
        e = mp.exp(-abs(exact(x)))
        return e / (1 + e) ** 2

    return value, derivative


def tanh(fmt):
    def value(x):
        if np.isnan(x):
            return mp.nan
        if np.isinf(x):
            return mp.mpf(1 if x > 0 else -1)
        if x == 0:
            return exact(x)
        return mp.tanh(exact(x))

    def derivative(x):
        if np.isnan(x):
            return mp.nan
        if np.isinf(x):
            return mp.mpf(0)
        return mp.sech(exact(x)) ** 2

    return value, derivative


def smooth(f, fprime, limits, identity_beyond=None):
    """A member defined by mpmath functions of the exact input. `limits`: f(−∞), f′(−∞) and
    f′(+∞) (f(+∞) = +∞). Beyond ±`identity_beyond` the member is x (derivative 1) or rounds
    to 0 in both formats (|f| and |f′| below e^-900), which spares mpmath huge exponentials."""
    def value(x):
        if np.isnan(x):
            return mp.nan
        if np.isinf(x):
            return mp.inf if x > 0 else limits[0]
        if identity_beyond and abs(x) > identity_beyond:
            return exact(x) if x > 0 else mp.mpf(0)
        return f(exact(x))

    def derivative(x):
        if np.isnan(x):
            return mp.nan
        if np.isinf(x):
            return mp.mpf(limits[2]) if x > 0 else limits[1]
        if identity_beyond and abs(x) > identity_beyond:
            return mp.mpf(1 if x > 0 else 0)
        return fprime(exact(x))

    return value, derivative


def normal_cdf(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2


def normal_pdf(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def gelu(fmt):
    return smooth(lambda x: x * normal_cdf(x), lambda x: normal_cdf(x) + x * normal_pdf(x),
                  (mp.mpf(0), mp.mpf(0), 1), 1000)


GELU_K = 2 * mp.sqrt(2 / mp.pi)
GELU_C = mp.mpf("0.044715")


def gelu_tanh(fmt):
    def t(x):
        return GELU_K * x * (1 + GELU_C * x * x)

    def derivative(x):
        s, r = sigmoid_value(t(x)), sigmoid_value(-t(x))
        return s + x * GELU_K * (1 + 3 * GELU_C * x * x) * s * r

    return smooth(lambda x: x * sigmoid_value(t(x)), derivative, (mp.mpf(0), mp.mpf(0), 1), 1000)


def silu(fmt):
    return smooth(lambda x: x * sigmoid_value(x),
                  lambda x: sigmoid_value(x) + x * sigmoid_value(x) * sigmoid_value(-x),
                  (mp.mpf(0), mp.mpf(0), 1), 1000)


def elu(alpha, scale):
    def make(fmt):
        a, s = mp.mpf(alpha), mp.mpf(scale)
        return smooth(lambda x: s * x if x > 0 else s * a * mp.expm1(x),
                      lambda x: s if x > 0 else s * a * mp.exp(x),
                      (-s * a, mp.mpf(0), s))
    return make


SELU_LAMBDA = "1.0507009873554804934193349852946"
SELU_ALPHA = "1.6732632423543772848170429916717"


def mish(fmt):
    def derivative(x):
        sp = mp.log1p(mp.exp(x))
        return mp.tanh(sp) + x * mp.sech(sp) ** 2 * sigmoid_value(x)

    return smooth(lambda x: x * mp.tanh(mp.log1p(mp.exp(x))), derivative, (mp.mpf(0), mp.mpf(0), 1), 1000)


def neighbourhood(fmt, centre, steps):
    """`centre` and the `steps` representable numbers on either side of it."""
    c = fmt.dtype(centre)
    points = [c]
    up = down = c
    for _ in range(steps):
        up = np.nextafter(up, fmt.dtype(np.inf))
        down = np.nextafter(down, fmt.dtype(-np.inf))
        points += [up, down]
    return points


def specials(fmt):
    info = np.finfo(fmt.dtype)
    tiny = fmt.from_bits(1)
    values = [0.0, -0.0, np.inf, -np.inf, np.nan, tiny, -tiny, info.tiny, -info.tiny,
              info.max, -info.max, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0]
    values += [fmt.from_bits(b) for b in (3, 0x1234, 0x7FFFF, 2 ** (fmt.precision - 1) - 1)]
    values += [-v for v in values[-4:]]
    return [fmt.dtype(v) for v in values]


def random_points(fmt, rng, low, high, count):
    return list(rng.uniform(low, high, count).astype(fmt.dtype))


def log_uniform(fmt, rng, low_exponent, high_exponent, count, signs=(1, -1)):
    exponents = rng.uniform(low_exponent, high_exponent, count)
    sign = rng.choice(signs, count)
    return list((sign * np.exp2(exponents)).astype(fmt.dtype))


def points_for(name, fmt, rng):
    """The inputs for one function, ordered and without duplicate bit patterns."""
    wanted = POINTS // 4 if name in ("softplus-beta2", "elu-alpha0.5") else POINTS
    float_like = fmt is FLOAT
    beta = 2 if name == "softplus-beta2" else 1
    normal_edge = float(np.log(np.finfo(fmt.dtype).tiny)) / beta    # e^(βx) leaves the normal range
    subnormal_edge = float(np.log(float(fmt.from_bits(1)))) / beta  # e^(βx) underflows to 0
    tail = abs(subnormal_edge) + 5
    p = specials(fmt)
    p += log_uniform(fmt, rng, -150 if float_like else -1075, -1, wanted // 10)  # near 0
    p += log_uniform(fmt, rng, -1, 10 if float_like else 11, wanted // 10)       # |x| in 0.5..1000
    p += log_uniform(fmt, rng, 10, 128 if float_like else 1024, wanted // 40)    # huge
    p += random_points(fmt, rng, -1, 1, wanted // 10)
    p += random_points(fmt, rng, -8, 8, wanted // 10)
    p += random_points(fmt, rng, -32, 32, wanted // 10)
    p += random_points(fmt, rng, -tail, tail, wanted // 10)
    for centre in (normal_edge, subnormal_edge):                                  # underflow edges
        p += random_points(fmt, rng, centre - 1, centre + 1, wanted // 40)
        p += neighbourhood(fmt, centre, 64)
    if name.startswith("softplus"):
        threshold = 20 / beta
        p += random_points(fmt, rng, threshold - 1, threshold + 1, wanted // 20)
        p += neighbourhood(fmt, threshold, 200)
        p += random_points(fmt, rng, -18 / beta, 1, wanted // 10)  # where log1p(e^βx) is hardest
    if name.startswith("gelu"):                               # Φ(x) from 1 to underflow
        p += random_points(fmt, rng, -15 if float_like else -40, 8, wanted // 5)
    if name in ("gelu", "gelu-tanh", "silu", "mish"):         # the zero of the derivative
        for centre in {"gelu": -0.7517916, "gelu-tanh": -0.7522, "silu": -1.2784645, "mish": -1.1923771}[name], :
            p += neighbourhood(fmt, centre, 200)
            p += random_points(fmt, rng, centre - 0.05, centre + 0.05, wanted // 40)
    if name == "tanh":
        one = 9.1 if float_like else 19.1                   # where tanh rounds to 1
        p += random_points(fmt, rng, -one - 1, one + 1, wanted // 10)
        p += neighbourhood(fmt, 0.125, 64) + neighbourhood(fmt, -0.125, 64)
        derivative_edge = (normal_edge - np.log(4)) / 2     # where tanh' leaves the normal range
        p += random_points(fmt, rng, derivative_edge - 1, -derivative_edge + 1, wanted // 20)
    unique = {}
    for x in p:
        unique[fmt.bits(x)] = fmt.dtype(x)
    top_up = wanted - len(unique)
    while top_up > 0:                                        # fill up with the whole range
        for x in log_uniform(fmt, rng, -10, 8, top_up):
            unique[fmt.bits(x)] = x
        top_up = wanted - len(unique)
    return sorted(unique.values(), key=lambda v: (np.isnan(v), v))


FUNCTIONS = {
    "softplus": lambda fmt: softplus(1, 20, fmt),
    "softplus-beta2": lambda fmt: softplus(2, 20, fmt),
    "sigmoid": sigmoid,
    "tanh": tanh,
    "gelu": gelu,
    "gelu-tanh": gelu_tanh,
    "silu": silu,
    "elu": elu(1, 1),
    "elu-alpha0.5": elu("0.5", 1),
    "selu": elu(SELU_ALPHA, SELU_LAMBDA),
    "mish": mish,
}

DESCRIPTIONS = {
    "softplus": "softplus, beta = 1, threshold = 20",
    "softplus-beta2": "softplus, beta = 2, threshold = 20",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "gelu": "gelu, x·Φ(x)",
    "gelu-tanh": "gelu, tanh form, 2z = 2·sqrt(2/pi)·x·(1 + 0.044715·x²) exactly",
    "silu": "silu",
    "elu": "elu, alpha = 1",
    "elu-alpha0.5": "elu, alpha = 0.5",
    "selu": "selu, lambda = %s, alpha = %s" % (SELU_LAMBDA, SELU_ALPHA),
    "mish": "mish",
}


def write_piecewise_linear(fmt, rng):
    """relu, leaky ReLU with α = 0.01 and α = −0.5, and abs: exact, but the leaky product
    Float(α)·x is rounded once, so the table pins that rounding (and −0, ∞, NaN)."""
    slopes = [fmt.dtype(0.01), fmt.dtype(-0.5)]
    points = specials(fmt) + log_uniform(fmt, rng, -150 if fmt is FLOAT else -1075, 128 if fmt is FLOAT else 1024, 400)
    points += random_points(fmt, rng, -4, 4, 100)
    unique = {fmt.bits(x): fmt.dtype(x) for x in points}
    rows = []
    for x in sorted(unique.values(), key=lambda v: (np.isnan(v), v)):
        if np.isnan(x):
            results = [x] * 4
        else:
            relu = fmt.dtype(0) if x < 0 else x
            leaky = [fmt.dtype(round_to(fmt, mp.mpf(float(a)) * exact(x))) if x < 0 else x
                     for a in slopes]
            results = [relu] + leaky + [abs(x)]
        rows.append(" ".join("%0*x" % (fmt.digits, fmt.bits(v)) for v in [x] + results))
    path = os.path.join(OUT, "piecewise-linear-%s.txt" % fmt.name)
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        f.write("# x relu leaky(alpha=0.01) leaky(alpha=-0.5) abs, %s, bit patterns in hex; the "
                "leaky products correctly rounded from mpmath.\n" % fmt.name)
        f.write("# Written by scripts/make_reference.py; %d points.\n" % len(rows))
        f.write("\n".join(rows) + "\n")
    os.replace(temporary, path)
    print("%s: %d points" % (os.path.relpath(path), len(rows)))


def write_table(name, fmt, rng):
    value, derivative = FUNCTIONS[name](fmt)
    rows = []
    for x in points_for(name, fmt, rng):
        y = round_to(fmt, value(x))
        dy = round_to(fmt, derivative(x))
        rows.append("%0*x %0*x %0*x" % (
            fmt.digits, fmt.bits(x), fmt.digits, fmt.bits(fmt.dtype(y)), fmt.digits,
            fmt.bits(fmt.dtype(dy))))
    path = os.path.join(OUT, "%s-%s.txt" % (name, fmt.name))
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        f.write("# %s, %s: x value derivative, bit patterns in hex, correctly rounded from "
                "mpmath at %d digits.\n" % (DESCRIPTIONS[name], fmt.name, mp.mp.dps))
        f.write("# Written by scripts/make_reference.py; %d points.\n" % len(rows))
        f.write("\n".join(rows) + "\n")
    os.replace(temporary, path)
    print("%s: %d points" % (os.path.relpath(path), len(rows)))


def main():
    os.makedirs(OUT, exist_ok=True)
    chosen = sys.argv[1:]
    for index, name in enumerate(FUNCTIONS):
        if chosen and name not in chosen:
            continue
        for fmt in (FLOAT, DOUBLE):
            write_table(name, fmt, np.random.default_rng(SEED + index * 2 + (fmt is DOUBLE)))
    for fmt in (FLOAT, DOUBLE) if not chosen else ():
        write_piecewise_linear(fmt, np.random.default_rng(SEED - 1 - (fmt is DOUBLE)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
