import RealModule

/// The Gaussian error linear unit, `gelu(x) = x·Φ(x)`, with Φ the standard normal
/// distribution function (Hendrycks and Gimpel), or PyTorch's `approximate='tanh'` form.
///
/// ```
/// gelu(x)       = x·Φ(x) = ½·x·erfc(−x/√2)
/// gelu′(x)      = Φ(x) + x·φ(x),   φ(x) = exp(−x²/2)/√(2π)
/// gelu:tanh(x)  = ½·x·(1 + tanh(z)) = x·sigmoid(2z),   2z = k·x·(1 + c·x²)
/// gelu:tanh′(x) = sigmoid(2z) + x·k·(1 + 3c·x²)·sigmoid′(2z)
/// k = 2·√(2/π),   c = 0.044715
/// ```
///
/// Φ is taken as erfc(−x/√2), never 1 + erf(x/√2), so the left tail keeps its relative
/// accuracy (gelu(−10) ≈ −7.6e−23, not 0). The rounding error of −x/√2 (and of √½ itself)
/// is folded back into erfc through its derivative, and x² in φ is split exactly: in the
/// tail both errors grow with x² and would cost about 2^10 ulp near x = −37 in Double. The
/// tanh form uses 1 + tanh(z) = 2·sigmoid(2z) for the same reason, with 2z carried as an
/// unevaluated sum of two numbers.
///
/// gelu′ has a zero near x = −0.7518 (where gelu has its minimum); there the two terms
/// cancel, so its error is small in absolute terms, not in ulps.
///
/// Special values, both forms: NaN propagates; gelu(+∞) = +∞, gelu(−∞) = −0 (the limit,
/// from below); gelu(±0) = ±0; gelu′(+∞) = 1, gelu′(−∞) = 0, gelu′(±0) = ½.
public struct GELU: TranscendentalActivation {
    /// Which Φ: the exact one, or PyTorch's tanh approximation.
    public enum Approximation: String, Hashable, Sendable, Codable {
        /// x·Φ(x) with the error function (PyTorch's `approximate='none'`).
        case none
        /// ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (PyTorch's `approximate='tanh'`).
        case tanh
    }

    /// The form of Φ; `.none` (exact) by default.
    public let approximation: Approximation

    public init(approximation: Approximation = .none) {
        self.approximation = approximation
    }

    @inlinable
    public func value<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        if x.isNaN { return U(x) }
        if x.isInfinite { return x > 0 ? U(x) : -0 }
        let wide = U(x)
        switch approximation {
        case .none: return wide * Self.normalDistribution(wide)
        case .tanh: return wide * Self.tanhFormSigmoid(wide)
        }
    }

    @inlinable
    public func derivative<T: ActivationScalar, U: BinaryFloatingPoint & Real>(
        _ x: T, evaluatedIn: U.Type
    ) -> U {
        if x.isNaN { return U(x) }
        if x.isInfinite { return x > 0 ? 1 : 0 }
        let wide = U(x)
        switch approximation {
        case .none:
            return Self.normalDistribution(wide) + wide * Self.normalDensity(wide)
        case .tanh:
            let k: U = 1.5957691216057307117597842397375, c: U = 0.044715
            let (t, _) = Self.tanhFormArgument(wide)
            let bell = Sigmoid.bellCurve(-t.magnitude, factor: 1)
            let s = Self.tanhFormSigmoid(wide)
            return bell == 0 ? s : s + wide * (k * (1 + 3 * c * wide * wide)) * bell
        }
    }

    /// Φ(x) = ½·erfc(s), s = −x/√2 = −x·√½, with s's rounding error δ folded back in:
    /// erfc(s + δ) ≈ erfc(s) − δ·(2/√π)·exp(−s²).
    @inlinable
    static func normalDistribution<U: BinaryFloatingPoint & Real>(_ x: U) -> U {
        let half: U = 0.5
        let root = half.squareRoot()
        let rootError = -(-half).addingProduct(root, root) / (2 * root)
        let p = x * root
        let pLo = (-p).addingProduct(x, root) + x * rootError
        let s = -p, sLo = -pLo
        let twoOverRootPi: U = 1.1283791670955125738961589031215452
        let tail = U.erfc(s)
        let correction = sLo * twoOverRootPi * U.exp(-s * s)
        return half * (tail - correction)
    }

    /// φ(x) = exp(−x²/2)/√(2π), x² = h + l split exactly: exp(−h/2)·(1 − l/2).
    @inlinable
    static func normalDensity<U: BinaryFloatingPoint & Real>(_ x: U) -> U {
        let h = x * x
        let l = (-h).addingProduct(x, x)
        let e = U.exp(-h / 2)
        if e == 0 { return 0 }
        let inverseRootTwoPi: U = 0.39894228040143267793994605993438187
        return e.addingProduct(e, -l / 2) * inverseRootTwoPi
    }

    /// 2z = k·x·(1 + c·x²) as t + tLo: the products' and the sum's rounding errors kept.
    @inlinable
    static func tanhFormArgument<U: BinaryFloatingPoint & Real>(_ x: U) -> (U, U) {
        let k: U = 1.5957691216057307117597842397375, c: U = 0.044715
        let h = x * x
        let l = (-h).addingProduct(x, x)
        let q = c * h
        let qLo = (-q).addingProduct(c, h) + c * l
        let w = 1 + q
        let qPart = w - 1
        let wLo = ((1 - (w - qPart)) + (q - qPart)) + qLo   // TwoSum
        let g = k * w
        let gLo = (-g).addingProduct(k, w) + k * wLo
        let t = g * x
        let tLo = (-t).addingProduct(g, x) + gLo * x
        return (t, tLo.isFinite ? tLo : 0)
    }

    /// sigmoid(2z) for the tanh form, corrected for 2z's low part:
    /// sigmoid(t + δ) ≈ sigmoid(t) + sigmoid(t)·sigmoid(−t)·δ.
    @inlinable
    static func tanhFormSigmoid<U: BinaryFloatingPoint & Real>(_ x: U) -> U {
        let (t, tLo) = tanhFormArgument(x)
        let s = Sigmoid.logistic(t, beta: 1)
        let other = Sigmoid.logistic(-t, beta: 1)
        return s.addingProduct(s * other, tLo)
    }
}
