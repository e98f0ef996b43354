import RealModule

/// The transcendental members in Double arithmetic, for the Double kernels: libm's exp and
/// log1p with the splits that keep their errors from compounding.
enum DoubleMath {
    /// softplus(x) = max(x, 0) + log1p(e^(−β|x|))/β, or x where β·x > threshold.
    static func softplus(_ x: Double, _ f: Softplus) -> Double {
        if x.isNaN || f.beta * x > f.threshold { return x }
        let tail = Double.log(onePlus: exponential(-f.beta, times: x.magnitude))
        return (x > 0 ? x : 0) + (f.beta == 1 ? tail : tail / f.beta)
    }

    /// softplus′(x) = sigmoid(β·x), or 1 where softplus is linear.
    static func softplusDerivative(_ x: Double, _ f: Softplus) -> Double {
        if x.isNaN { return x }
        return f.beta * x > f.threshold ? 1 : sigmoid(x, beta: f.beta)
    }

    /// sigmoid(β·x) = n/(1 + e), e = e^(−β|x|), n = x ≥ 0 ? 1 : e, with 1 + e split exactly
    /// and the quotient corrected for the split's low part.
    static func sigmoid(_ x: Double, beta: Double) -> Double {
        let e = exponential(-beta, times: x.magnitude)
        let d = 1 + e
        let dLo = (1 - d) + e
        let quotient = (x >= 0 ? 1 : e) / d
        return quotient.addingProduct(-quotient, dLo / d)
    }

    /// factor·e/(1 + e)² for e = e^t: sigmoid′ with t = −|x|, factor 1; tanh′ with
    /// t = −2|x|, factor 4. (1 + e)² is carried as D + Dl exactly.
    static func bellCurve(_ t: Double, factor: Double) -> Double {
        let e = Double.exp(t)
        let d = 1 + e
        let dLo = (1 - d) + e
        let square = d * d
        let squareLo = (-square).addingProduct(d, d) + 2 * d * dLo
        let quotient = factor * e / square
        return quotient.addingProduct(-quotient, squareLo / square)
    }

    /// e^(scale·a) for a ≥ 0, with scale·a's rounding error folded back in.
    private static func exponential(_ scale: Double, times a: Double) -> Double {
        let t = scale * a
        let e = Double.exp(t)
        guard scale != -1, t > -746 else { return e }
        let tLo = (-t).addingProduct(scale, a)
        return e.addingProduct(e, tLo)
    }
}
