#if canImport(Glibc)
import Glibc
#endif

/// The one random generator of a run: xoshiro256** (Blackman and Vigna, 2018), seeded
/// through SplitMix64. It draws the initial weights and each epoch's data order, in that
/// order, so the same seed and thread count give bit-identical training.
///
/// Its whole state is four 64-bit words (``state``), which a checkpoint saves and
/// ``init(state:)`` restores, so a resumed run draws exactly what the uninterrupted run
/// would have drawn.
///
/// How values are drawn (fixed, so results are reproducible):
/// - uniform in [0, 1), integers in 0..<n and shuffles: ``SeededRandom``;
/// - normals: Box–Muller on two uniforms, u₁ ∈ (0, 1] and u₂ ∈ [0, 1):
///   `r = √(−2·ln u₁)`, then `r·cos(2πu₂)` and `r·sin(2πu₂)` are two independent N(0, 1)
///   values. ``fillNormal(_:mean:standardDeviation:)`` uses both; ``nextNormal()`` uses the
///   cosine only. They are computed in `Double` with the C library's `log`, `cos`, `sin`.
public struct SeededGenerator: SeededRandom, Hashable, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator whose state is expanded from `seed` by SplitMix64.
    public init(seed: UInt64) {
        var expansion = SplitMix64(seed: seed)
        s0 = expansion.next()
        s1 = expansion.next()
        s2 = expansion.next()
        s3 = expansion.next()
    }

    /// The full state, four words; see ``init(state:)``.
    public var state: [UInt64] { [s0, s1, s2, s3] }

    /// A generator continuing from a saved ``state``; nil unless `state` has four words,
    /// not all zero (the one state xoshiro cannot leave).
    public init?(state: [UInt64]) {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else { return nil }
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3])
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// One N(0, 1) value (Box–Muller, cosine branch).
    public mutating func nextNormal() -> Double {
        let (radius, angle) = nextPolarPair()
        return radius * cos(angle)
    }

    /// Fills `buffer` with N(mean, standardDeviation²) values, two per Box–Muller pair,
    /// rounded once to `T`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func fillNormal<T: BinaryFloatingPoint>(
        _ buffer: UnsafeMutableBufferPointer<T>, mean: Double = 0, standardDeviation: Double = 1
    ) {
        var index = 0
        while index < buffer.count {
            let (radius, angle) = nextPolarPair()
            buffer[index] = T(mean + standardDeviation * radius * cos(angle))
            if index + 1 < buffer.count {
                buffer[index + 1] = T(mean + standardDeviation * radius * sin(angle))
            }
            index += 2
        }
    }

    /// Fills `buffer` with uniform values in [lower, upper), rounded once to `T`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public mutating func fillUniform<T: BinaryFloatingPoint>(
        _ buffer: UnsafeMutableBufferPointer<T>, lower: Double, upper: Double
    ) {
        for index in buffer.indices {
            buffer[index] = T(lower + (upper - lower) * nextDouble())
        }
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates, from the last index down).
    public mutating func permutation(count: Int) -> [Int32] {
        var order = Array(0..<Int32(count))
        shuffle(&order)
        return order
    }

    /// √(−2·ln u₁) and 2π·u₂ for one Box–Muller pair.
    private mutating func nextPolarPair() -> (Double, Double) {
        let u1 = Double((next() >> 11) + 1) * 0x1p-53
        let u2 = nextDouble()
        return ((-2 * log(u1)).squareRoot(), 2 * Double.pi * u2)
    }
}
