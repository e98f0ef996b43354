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
public struct Requantizer: Sendable {
    /// Units per row.
    public let units: Int
    /// Multipliers for accumulators ≥ 0.
    public let positive: [FixedPointMultiplier]
    /// Multipliers for accumulators < 0 (α·M for leaky ReLU and PReLU).
    public let negative: [FixedPointMultiplier]
    /// The output code of real 0.
    public let zeroPoint: Int32
    /// The smallest code produced before the table (the zero point for ReLU, else 0).
    public let lowerClamp: Int32
    /// 256 entries mapping the clamped code to the output code, or nil.
    public let table: [UInt8]?

    private let sidesDiffer: Bool
    private let positiveLanes: Lanes
    private let negativeLanes: Lanes
    private let bounds: Bounds
    /// For the AVX2 kernel: lower and upper bounds, then multiplier and shift of each side,
    /// `units` Int32 each (the six arrays `requantizeRowAVX2` points `cq_requantizer` at).
    private let kernelConstants: [Int32]

    /// - Throws: ``QuantizationError/shapeMismatch(what:expected:actual:)`` when the arrays
    ///   differ in length or the table is not 256 entries;
    ///   ``QuantizationError/invalidParameter(name:value:allowed:)`` when there are no units,
    ///   or the zero point or the lower clamp is outside 0...255.
    public init(
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
        positiveLanes = Lanes(positive)
        negativeLanes = Lanes(negative)
        bounds = Bounds(positive: positive, negative: negative)
        kernelConstants =
            bounds.lower + bounds.upper + positive.map(\.multiplier) + positive.map { Int32($0.rightShift) }
            + negative.map(\.multiplier) + negative.map { Int32($0.rightShift) }
    }

    /// Requantises `rows × units` accumulators (row-major); O(n).
    /// - Precondition: both counts are equal and a multiple of ``units``.
    public func requantize(
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
    public func referenceRequantize(
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
    /// The accumulator is first clamped to `[−A⁻_j, A⁺_j]`, where `|A·M| ≥ 2^19` (or A = 1):
    /// beyond that the code saturates at the same end whatever the exact value, so the clamp
    /// changes no code, and every `acc·M` left fits int32. That keeps the zero point, the
    /// output clamp and the narrowing in 32-bit lanes; only the product and shift are 64-bit.
    func requantizeRow(
        _ accumulators: UnsafePointer<Int32>, bias: UnsafePointer<Int32>,
        into codes: UnsafeMutablePointer<UInt8>, path: IntegerGEMM.Path = .automatic
    ) {
        if path == .avx2 && IntegerGEMM.isAVX2Available {
            // Swift for baseline x86-64 has no 32×32→64-bit vector multiply (SSE4.1's
            // pmuldq), so its loop below runs one unit at a time there: 4 ns a unit, a fifth
            // of the int8 network's time at batch 1024 in such a build.
            requantizeRowAVX2(accumulators, bias: bias, into: codes)
            return
        }
        guard let table else {
            requantizeRow(accumulators, bias: bias) { unit, code in codes[unit] = UInt8(truncatingIfNeeded: code) }
            return
        }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: units) { scratch in
            let values = scratch.baseAddress!
            requantizeRow(accumulators, bias: bias) { unit, code in values[unit] = code }
            table.withUnsafeBufferPointer { entries in
                for unit in 0..<units { codes[unit] = entries[Int(values[unit])] }
            }
        }
    }

    private func requantizeRowAVX2(
        _ accumulators: UnsafePointer<Int32>, bias: UnsafePointer<Int32>,
        into codes: UnsafeMutablePointer<UInt8>
    ) {
        let units = units
        kernelConstants.withUnsafeBufferPointer { constants in
            let base = constants.baseAddress!
            func run(_ table: UnsafePointer<UInt8>?) {
                var constants = cq_requantizer(
                    lower: base, upper: base + units,
                    positive_multiplier: base + 2 * units, positive_shift: base + 3 * units,
                    negative_multiplier: base + 4 * units, negative_shift: base + 5 * units,
                    zero_point: zeroPoint, lower_clamp: lowerClamp,
                    sides_differ: sidesDiffer ? 1 : 0, table: table)
                cq_requantize_row_avx2(accumulators, bias, &constants, units, codes)
            }
            if let table {
                table.withUnsafeBufferPointer { run($0.baseAddress) }
            } else {
                run(nil)
            }
        }
    }

    /// The clamped codes of one row, handed to `store(unit, code)`.
    @inline(__always)
    private func requantizeRow(
        _ accumulators: UnsafePointer<Int32>, bias: UnsafePointer<Int32>,
        store: (Int, Int32) -> Void
    ) {
        let lower = lowerClamp, zero = zeroPoint, units = units
        withLanes { positiveLane, negativeLane, bounds in
            // Both sides computed and selected, not branched on, so the loop vectorises.
            if sidesDiffer {
                for unit in 0..<units {
                    let accumulator = bounds.clamp(accumulators[unit] &+ bias[unit], unit: unit)
                    let up = positiveLane.apply(accumulator, unit: unit)
                    let down = negativeLane.apply(accumulator, unit: unit)
                    let value = accumulator < 0 ? down : up
                    store(unit, Swift.min(Swift.max(value &+ zero, lower), 255))
                }
            } else {
                for unit in 0..<units {
                    let accumulator = bounds.clamp(accumulators[unit] &+ bias[unit], unit: unit)
                    let value = positiveLane.apply(accumulator, unit: unit)
                    store(unit, Swift.min(Swift.max(value &+ zero, lower), 255))
                }
            }
        }
    }

    private func withLanes<R>(_ body: (Lanes.View, Lanes.View, Bounds.View) -> R) -> R {
        positiveLanes.withView { positive in
            negativeLanes.withView { negative in
                bounds.withView { body(positive, negative, $0) }
            }
        }
    }
}

/// Multipliers in the form the fast loop uses: m, 2^62 + 2^(e−1), e and 2^62 >> e per unit.
private struct Lanes: Sendable {
    let multipliers: [Int32]
    let offsets: [UInt64]
    let shifts: [UInt64]
    let corrections: [Int64]

    init(_ multipliers: [FixedPointMultiplier]) {
        self.multipliers = multipliers.map(\.multiplier)
        offsets = multipliers.map { (1 << 62) + (1 << ($0.rightShift - 1)) }
        shifts = multipliers.map { UInt64($0.rightShift) }
        corrections = multipliers.map { (1 << 62) >> $0.rightShift }
    }

    struct View {
        let multipliers: UnsafePointer<Int32>
        let offsets: UnsafePointer<UInt64>
        let shifts: UnsafePointer<UInt64>
        let corrections: UnsafePointer<Int64>

        /// `apply(acc)` for an accumulator within the unit's ``Bounds``, where it fits int32:
        /// the low 32 bits of both 64-bit terms give the exact difference.
        @inline(__always)
        func apply(_ accumulator: Int32, unit: Int) -> Int32 {
            // acc·m lies in (−2^62, 2^62], so adding 2^62 + 2^(e−1) lands in [0, 2^64).
            let product = Int64(accumulator) &* Int64(multipliers[unit])
            let shifted = (UInt64(bitPattern: product) &+ offsets[unit]) &>> shifts[unit]
            return Int32(truncatingIfNeeded: shifted) &- Int32(truncatingIfNeeded: corrections[unit])
        }
    }

    func withView<R>(_ body: (View) -> R) -> R {
        multipliers.withUnsafeBufferPointer { m in
            offsets.withUnsafeBufferPointer { o in
                shifts.withUnsafeBufferPointer { s in
                    corrections.withUnsafeBufferPointer { c in
                        body(View(multipliers: m.baseAddress!, offsets: o.baseAddress!,
                                  shifts: s.baseAddress!, corrections: c.baseAddress!))
                    }
                }
            }
        }
    }
}

/// Per unit, the accumulator range `[−A⁻, A⁺]` outside which the code saturates:
/// `A = max(1, ⌊2^20 / |M|⌋)` for each side's multiplier M (no bound when M = 0). At `|acc| = A`
/// the value `|acc·M|` is at least 2^19 (far beyond the 255 + 255 a code can absorb), and
/// inside the range it is at most `max(2^20, |M|) + 1 < 2^31`.
private struct Bounds: Sendable {
    let lower: [Int32]
    let upper: [Int32]

    init(positive: [FixedPointMultiplier], negative: [FixedPointMultiplier]) {
        upper = positive.map(Self.reach)
        lower = negative.map { -Self.reach($0) }
    }

    private static func reach(_ multiplier: FixedPointMultiplier) -> Int32 {
        let factor = multiplier.realValue.magnitude
        guard factor > 0 else { return .max }
        return Int32(Swift.min(Swift.max((0x1p20 / factor).rounded(.down), 1), Double(Int32.max)))
    }

    struct View {
        let lower: UnsafePointer<Int32>
        let upper: UnsafePointer<Int32>

        @inline(__always)
        func clamp(_ accumulator: Int32, unit: Int) -> Int32 {
            Swift.min(Swift.max(accumulator, lower[unit]), upper[unit])
        }
    }

    func withView<R>(_ body: (View) -> R) -> R {
        lower.withUnsafeBufferPointer { low in
            upper.withUnsafeBufferPointer { high in body(View(lower: low.baseAddress!, upper: high.baseAddress!)) }
        }
    }
}
