import CQuantKernels

/// Turns int32 accumulators into 8-bit codes, one fixed-point multiplier per unit and side,
/// with the activation fused into the clamp (see ``QuantizedActivation``):
///
/// ```
/// v_j    = acc_j ≥ 0 ? positive[j].apply(acc_j) : negative[j].apply(acc_j)
/// code_j = clamp(zeroPoint + v_j, lowerClamp, 255)      then table[code_j] if there is one
/// ```
///
/// Integer arithmetic only. The fast loop computes `apply` as
/// `((acc·m + 2^62 + 2^(e−1)) >>> e) − 2^62 >> e` in unsigned 64-bit lanes (a logical shift
/// of a value made non-negative, which AVX2 has as `vpsrlvq`), equal to the signed formula
/// of ``FixedPointMultiplier/apply(_:)`` because 2^62 is a multiple of 2^e, after clamping the
/// accumulator where the code saturates anyway so the rest runs in 32-bit lanes; tested
/// equal to ``referenceRequantize(_:into:)``.
package struct Requantizer: Sendable {
    /// Units per row.
    package let units: Int
    /// Multipliers for accumulators ≥ 0.
    package let positive: [FixedPointMultiplier]
    /// Multipliers for accumulators < 0 (α·M for leaky ReLU and PReLU).
    package let negative: [FixedPointMultiplier]
    /// The output code of real 0.
    package let zeroPoint: Int32
    /// The smallest code produced before the table (the zero point for ReLU, else 0).
    package let lowerClamp: Int32
    /// 256 entries mapping the clamped code to the output code, or nil.
    package let table: [UInt8]?

    private let sidesDiffer: Bool
    /// Per unit, the accumulator bounds (see ``requantizeRow(_:bias:into:path:)``), then
    /// multiplier and shift of each side: `lower, upper, m⁺, e⁺, m⁻, e⁻`, `units` Int32
    /// each, the six arrays `cq_requantizer` points at.
    private let constants: [Int32]

    /// - Throws: ``QuantizationError/shapeMismatch(what:expected:actual:)`` when the arrays
    ///   differ in length or the table is not 256 entries;
    ///   ``QuantizationError/invalidParameter(name:value:allowed:)`` when there are no units,
    ///   or the zero point or the lower clamp is outside 0...255.
    package init(
        positive: [FixedPointMultiplier], negative: [FixedPointMultiplier], zeroPoint: Int32,
        lowerClamp: Int32, table: [UInt8]? = nil
    ) throws(QuantizationError) {
        guard !positive.isEmpty else {
            throw .invalidParameter(name: "units", value: 0, allowed: "at least 1")
        }
        guard negative.count == positive.count else {
            throw .shapeMismatch(what: "negative multipliers", expected: positive.count, actual: negative.count)
        }
        if let table, table.count != 256 {
            throw .shapeMismatch(what: "activation table", expected: 256, actual: table.count)
        }
        for (name, value) in [("zero point", zeroPoint), ("lower clamp", lowerClamp)]
        where !QuantizationParameters.codeRange.contains(value) {
            throw .invalidParameter(name: name, value: Double(value), allowed: "an integer in 0...255")
        }
        units = positive.count
        self.positive = positive
        self.negative = negative
        self.zeroPoint = zeroPoint
        self.lowerClamp = lowerClamp
        self.table = table
        sidesDiffer = positive != negative
        constants =
            negative.map { -Self.reach($0) } + positive.map(Self.reach)
            + positive.map(\.multiplier) + positive.map { Int32($0.rightShift) }
            + negative.map(\.multiplier) + negative.map { Int32($0.rightShift) }
    }

    /// Requantises `rows × units` accumulators (row-major); O(n).
    /// - Precondition: both counts are equal and a multiple of ``units``.
    package func requantize(
        _ accumulators: UnsafeBufferPointer<Int32>, into codes: UnsafeMutableBufferPointer<UInt8>,
        path: IntegerGEMM.Path = .automatic
    ) {
        precondition(accumulators.count == codes.count, "requantize: counts differ")
        precondition(units > 0 && codes.count % units == 0, "requantize: count is not a multiple of units")
        let noBias = [Int32](repeating: 0, count: units)
        noBias.withUnsafeBufferPointer { bias in
            for start in stride(from: 0, to: codes.count, by: units) {
                requantizeRow(
                    accumulators.baseAddress! + start, bias: bias.baseAddress!,
                    into: codes.baseAddress! + start, path: path)
            }
        }
    }

    /// The scalar twin of ``requantize(_:into:)``, straight from the formula.
    /// - Precondition: as ``requantize(_:into:)``.
    package func referenceRequantize(
        _ accumulators: UnsafeBufferPointer<Int32>, into codes: UnsafeMutableBufferPointer<UInt8>
    ) {
        precondition(accumulators.count == codes.count, "requantize: counts differ")
        precondition(units > 0 && codes.count % units == 0, "requantize: count is not a multiple of units")
        for index in accumulators.indices {
            let unit = index % units, accumulator = accumulators[index]
            let multiplier = accumulator >= 0 ? positive[unit] : negative[unit]
            let value = Int64(zeroPoint) + multiplier.apply(accumulator)
            let code = Swift.min(Swift.max(value, Int64(lowerClamp)), 255)
            codes[index] = table.map { $0[Int(code)] } ?? UInt8(code)
        }
    }

    /// One row: `codes[j] = …(accumulators[j] &+ bias[j])`.
    ///
    /// The accumulator is first clamped to `[−A⁻_j, A⁺_j]`, `A = max(1, ⌊2^20 / |M|⌋)` for
    /// each side's multiplier M (no bound when M = 0): at `|acc| = A` the value `|acc·M|` is at
    /// least 2^19, far beyond the 255 + 255 a code can absorb, so the clamp changes no code, and
    /// inside the range `|acc·M| ≤ max(2^20, |M|) + 1 < 2^31`. That keeps the zero point, the
    /// output clamp and the narrowing in 32-bit lanes; only the product and shift are 64-bit.
    func requantizeRow(
        _ accumulators: UnsafePointer<Int32>, bias: UnsafePointer<Int32>,
        into codes: UnsafeMutablePointer<UInt8>, path: IntegerGEMM.Path = .automatic
    ) {
        let units = units
        if path.usesAVX2 {
            withParameters { cq_requantize_row_avx2(accumulators, bias, $0, units, codes) }
            return
        }
        constants.withUnsafeBufferPointer { constants in
            let k = constants.baseAddress!
            func run(_ table: UnsafePointer<UInt8>?) {
                // Both sides computed and selected, not branched on, so the loop vectorises.
                for j in 0..<units {
                    let a = Swift.min(Swift.max(accumulators[j] &+ bias[j], k[j]), k[units + j])
                    let up = Self.apply(a, k[2 * units + j], k[3 * units + j])
                    let down = Self.apply(a, k[4 * units + j], k[5 * units + j])
                    let value = sidesDiffer && a < 0 ? down : up
                    codes[j] = UInt8(truncatingIfNeeded: Swift.min(Swift.max(value &+ zeroPoint, lowerClamp), 255))
                }
                if let table { for j in 0..<units { codes[j] = table[Int(codes[j])] } }
            }
            if let table { table.withUnsafeBufferPointer { run($0.baseAddress) } } else { run(nil) }
        }
    }

    /// Calls `body` with the C kernels' view of these constants (valid only inside `body`).
    func withParameters<Result>(_ body: (UnsafePointer<cq_requantizer>) -> Result) -> Result {
        let units = units
        return constants.withUnsafeBufferPointer { constants in
            let k = constants.baseAddress!
            func run(_ table: UnsafePointer<UInt8>?) -> Result {
                var parameters = cq_requantizer(
                    lower: k, upper: k + units, positive_multiplier: k + 2 * units,
                    positive_shift: k + 3 * units, negative_multiplier: k + 4 * units,
                    negative_shift: k + 5 * units, zero_point: zeroPoint, lower_clamp: lowerClamp,
                    sides_differ: sidesDiffer ? 1 : 0, table: table)
                return body(&parameters)
            }
            if let table { return table.withUnsafeBufferPointer { run($0.baseAddress) } }
            return run(nil)
        }
    }

    /// ``FixedPointMultiplier/apply(_:)`` for an accumulator within its unit's bounds, as
    /// `((acc·m + 2^62 + 2^(e−1)) >>> e) − 2^62 >> e`: acc·m lies in (−2^62, 2^62], so the sum
    /// lands in [0, 2^64) and the low 32 bits of both terms give the exact difference.
    @inline(__always)
    private static func apply(_ accumulator: Int32, _ multiplier: Int32, _ shift: Int32) -> Int32 {
        let e = UInt64(truncatingIfNeeded: shift)
        let product = UInt64(bitPattern: Int64(accumulator) &* Int64(multiplier))
        let base: UInt64 = 1 << 62
        let shifted = (product &+ base &+ (1 &<< (e &- 1))) &>> e
        return Int32(truncatingIfNeeded: shifted) &- Int32(truncatingIfNeeded: base &>> e)
    }

    /// The accumulator bound A of one side (see ``requantizeRow(_:bias:into:path:)``).
    private static func reach(_ multiplier: FixedPointMultiplier) -> Int32 {
        let factor = multiplier.realValue.magnitude
        guard factor > 0 else { return .max }
        return Int32(Swift.min(Swift.max((0x1p20 / factor).rounded(.down), 1), Double(Int32.max)))
    }
}
