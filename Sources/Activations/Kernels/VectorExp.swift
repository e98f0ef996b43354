/// e^t for t ≤ 0, sixteen lanes at a time, in pieces that let each caller choose its precision.
///
/// Reduction: t = (8m + j)·ln2/8 + r with |r| ≤ ln2/16, so
/// ```
/// e^t = 2^m · 2^(j/8) · e^r ≈ high·(1 + q) + low
/// high = 2^m·T_j,   low = 2^m·(2^(j/8) − T_j),   q ≈ e^r − 1
/// ```
/// where T_j is 2^(j/8) rounded to Float (an eight-entry table read with one vpermps) and
/// q = r + r²·P(r) is a degree-5 minimax polynomial (relative error 2^-38.6 on the range).
/// ln2/8 is split in two (Cody–Waite), the first part with 20 significant bits, so that
/// t − k·ln2/8 is exact and r carries an error below 2^-29.
///
/// `exponential` is e^t within 0.51 ulp. For more, `unscaledParts` gives e^t as scale·(hi + lo)
/// with relative error below 2^-28.
///
/// `exponentOffset` multiplies the result by 2^offset exactly (tanh′ needs 4·e^t, which is
/// normal where e^t is not). Results below the smallest normal float (times 2^offset) are
/// flushed to zero: t is clamped where m + offset would reach −127, and there the scale 2^m
/// built from the exponent bits is exactly +0. NaN propagates.
struct ExpPieces {
    /// T_j and 2^(j/8) − T_j (unscaled), q ≈ e^r − 1, and the scale 2^(m + offset).
    var tableHigh: FloatVector
    var tableLow: FloatVector
    var q: FloatVector
    var scale: FloatVector

    /// e^(t + correction)·2^exponentOffset, where `correction` is a small low part of the
    /// argument (|correction| ≤ 2^-20·|t|), added to the reduced argument r. Where t is
    /// clamped (or −∞, where the correction may be NaN) it is dropped: the result is 0 there.
    @inline(__always)
    init(_ t: FloatVector, exponentOffset: Int32 = 0, correction: FloatVector? = nil) {
        // Constants: 8/ln2; ln2/8 = ln2Hi + ln2Lo; 1.5·2^23 rounds k to an integer and leaves
        // k in the low mantissa bits.
        let clampAt = -(Float(127 + exponentOffset) - 0.01) * 0x1.62e430p-1
        let tc = atLeast(FloatVector(repeating: clampAt), t)
        let shifter = FloatVector(repeating: 0x1.8p23)
        let shifted = fma(tc, FloatVector(repeating: 0x1.715476p+3), shifter)
        let k = shifted - shifter
        var r = fma(k, FloatVector(repeating: -0x1.62e430p-4), tc)
        r = fma(k, FloatVector(repeating: 0x1.05c610p-32), r)
        if let correction { r += correction.replacing(with: 0, where: t .< clampAt) }
        // e^r − 1 = r + r²·(c2 + c3·r + c4·r² + c5·r³), Estrin's scheme.
        let r2 = r * r
        let p01 = fma(r, FloatVector(repeating: 0x1.55554ap-3), FloatVector(repeating: 0.5))
        let p23 = fma(r, FloatVector(repeating: 0x1.127f24p-7), FloatVector(repeating: 0x1.555b50p-5))
        q = fma(r2, fma(r2, p23, p01), r)
        // 2^m·2^offset from the bits of `shifted` (k = 8m + j sits in the low bits).
        let kBits = shifted.bits
        let exponent = ((kBits &<< 20) & FloatVectorBits(repeating: Int32(bitPattern: 0xFF80_0000)))
            &+ FloatVectorBits(repeating: (127 + exponentOffset) << 23)
        scale = FloatVector(bits: exponent)
        tableHigh = lookup(Self.high, kBits)
        tableLow = lookup(Self.low, kBits)
    }

    /// e^t rounded once (within 0.51 ulp).
    @inline(__always)
    var exponential: FloatVector {
        (tableHigh + fma(tableHigh, q, tableLow)) * scale
    }

    /// e^t/scale = hi + lo unscaled (both normal), |lo| ≤ 2^-23·hi, relative error below
    /// 2^-28. Scaling happens last, where the result is known to be normal: a low part
    /// scaled down to subnormal would lose the digits it exists for.
    @inline(__always)
    var unscaledParts: (hi: FloatVector, lo: FloatVector) {
        let hi = fma(tableHigh, q, tableHigh)
        // tableHigh − hi is exact: hi/tableHigh lies in [0.95, 1.05].
        let lo = fma(tableHigh, q, tableHigh - hi) + tableLow
        return (hi, lo)
    }

    /// 2^(j/8) rounded to Float, j = 0…7.
    @inline(__always)
    static var high: SIMD8<Float> {
        SIMD8(
            0x1.000000p+0, 0x1.172b84p+0, 0x1.306fe0p+0, 0x1.4bfdaep+0,
            0x1.6a09e6p+0, 0x1.8ace54p+0, 0x1.ae89fap+0, 0x1.d5818ep+0)
    }

    /// 2^(j/8) − high[j], rounded to Float.
    @inline(__always)
    static var low: SIMD8<Float> {
        SIMD8(
            0, -0x1.c15742p-27, 0x1.4636e2p-25, -0x1.593abcp-25,
            0x1.9fcef4p-26, 0x1.15506ep-27, -0x1.a94b14p-26, -0x1.822dbcp-27)
    }
}
