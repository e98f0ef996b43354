/// SplitMix64, the seedable generator of the data sets (splits, synthetic tasks) and the
/// seed expansion of ``SeededGenerator``: the same seed gives the same numbers on every run,
/// platform and Swift version.
///
/// The state is one 64-bit word advanced by the golden-ratio increment; each output mixes
/// it with two xor-shift-multiply rounds (Steele, Lea & Flood 2014, with Stafford's "Mix13"
/// constants, as in Vigna's reference `splitmix64.c`):
/// ```
/// state += 0x9E3779B97F4A7C15
/// z = (state ^ (state >> 30)) · 0xBF58476D1CE4E5B9
/// z = (z ^ (z >> 27)) · 0x94D049BB133111EB
/// output = z ^ (z >> 31)
/// ```
/// Period 2^64, every output equally likely, and it passes BigCrush; enough for shuffles,
/// splits and synthetic tasks, not for cryptography.
/// Integers, doubles and shuffles come from ``SeededRandom``.
public struct SplitMix64: SeededRandom, Hashable, Sendable {
    /// The whole state; saving it and passing it back to ``init(seed:)`` resumes the sequence.
    public var state: UInt64

    /// A generator whose first output is the mix of `seed + 0x9E3779B97F4A7C15`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Float` in [0, 1) on the grid of multiples of 2⁻²⁴:
    /// `Float(next() >> 40) · 2⁻²⁴`, exact.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }
}
