import Activations
import Runtime

#if canImport(Glibc)
import Glibc
#endif

/// An exponential running average over a buffer, the state of a leaky unit:
///
/// ```
/// μ ← α·μ + (1 − α)·v          after each update, μ starting at 0
/// μ̂ = μ / (1 − αᵗ)             with bias correction, after t updates (as Adam does)
/// ```
///
/// α is one value for the whole buffer, one per element, or one per unit (a pattern of
/// `units` values repeated along the buffer, e.g. α_j for column j of a `batch × units`
/// state). Its effective memory is 1/(1 − α) updates. Used for a Polyak average of a
/// model's weights during training (`rectifier train --average-weights 0.999`):
///
/// ```swift
/// let average = try RunningAverage<Float>(count: model.parameters.count, decay: .uniform(0.999))
/// average.update(with: UnsafeBufferPointer(model.parameters.values))   // after each step
/// let averaged = average.average()                                      // μ̂, laid out like θ
/// ```
///
/// The update is one vectorised pass, split across the worker threads when large; the
/// static kernels work on any caller's buffers, and ``referenceUpdate(_:toward:decays:)``
/// is their plain scalar twin (same operations, same results bit for bit).
public final class RunningAverage<Scalar: ActivationScalar> {
    /// How α is given.
    public enum Decay: Hashable, Sendable {
        /// One α for every element.
        case uniform(Double)
        /// One α per element of the buffer.
        case perElement([Double])
        /// One α per unit: element i uses α[i mod units]; the buffer holds whole rows.
        case perUnit([Double])
    }

    /// α as given.
    public let decay: Decay
    /// Whether ``average()`` divides by 1 − αᵗ.
    public let biasCorrection: Bool
    /// The number of averaged values.
    public let count: Int
    /// Updates folded in so far (t).
    public private(set) var updateCount = 0
    private let mean: AlignedStorage<Scalar>
    private let decays: [Scalar]

    /// A zeroed average of `count` values.
    ///
    /// - Throws: ``TrainingError/invalidHyperparameter(name:value:allowed:)`` naming `decay`
    ///   when an α is outside [0, 1) or NaN, `count` when it is negative, `decay count`
    ///   when per-element α are not `count` values or per-unit α do not divide `count`.
    public init(count: Int, decay: Decay, biasCorrection: Bool = true) throws(TrainingError) {
        try TrainingError.require(count >= 0, "count", count, "an integer ≥ 0")
        let values: [Double]
        switch decay {
        case .uniform(let alpha):
            values = [alpha]
        case .perElement(let alphas):
            try TrainingError.require(alphas.count == count, "decay count", alphas.count, "one α per element, \(count)")
            values = alphas
        case .perUnit(let alphas):
            try TrainingError.require(
                !alphas.isEmpty && count % alphas.count == 0, "decay count", alphas.count,
                "a number of units ≥ 1 that divides \(count)")
            values = alphas
        }
        if let bad = values.first(where: { !($0 >= 0 && $0 < 1) }) {
            try TrainingError.require(false, "decay", bad, "a number in [0, 1)")
        }
        self.decay = decay
        self.biasCorrection = biasCorrection
        self.count = count
        mean = AlignedStorage(count: count)
        decays = values.map { Scalar($0) }
    }

    /// μ, without bias correction (a view; valid while the average lives).
    public var values: UnsafeBufferPointer<Scalar> { UnsafeBufferPointer(mean.buffer) }

    /// Folds `values` into the average: `μ ← α·μ + (1 − α)·v`, t ← t + 1. O(count).
    /// - Precondition: `values.count == count`.
    public func update(with values: UnsafeBufferPointer<Scalar>) {
        precondition(values.count == count, "RunningAverage.update: \(values.count) values, the average holds \(count)")
        decays.withUnsafeBufferPointer { decays in
            Self.update(mean.buffer, toward: values, decays: decays)
        }
        updateCount += 1
    }

    /// Folds `values` into the average (see ``update(with:)-(UnsafeBufferPointer<Scalar>)``).
    public func update(with values: [Scalar]) {
        values.withUnsafeBufferPointer { update(with: $0) }
    }

    /// μ̂: μ divided by 1 − αᵗ when bias correction is on and t ≥ 1 (per α), else μ. O(count).
    public func average() -> [Scalar] {
        guard biasCorrection, updateCount > 0 else { return Array(mean.buffer) }
        let factors = decays.map { Scalar(1 / (1 - pow(Double($0), Double(updateCount)))) }
        var result = [Scalar](repeating: 0, count: count)
        let period = factors.count
        for index in 0..<count { result[index] = mean.buffer[index] * factors[period == 1 ? 0 : index % period] }
        return result
    }

    /// Continues from a saved μ and t (e.g. from a checkpoint).
    /// - Throws: ``TrainingError/stateMismatch(_:)`` when the count differs or t < 0.
    public func restore(updateCount: Int, values: [Scalar]) throws(TrainingError) {
        guard values.count == count, updateCount >= 0 else {
            throw .stateMismatch("running average of \(values.count) values after \(updateCount) updates; expected \(count) values")
        }
        _ = mean.buffer.initialize(from: values)
        self.updateCount = updateCount
    }

    /// `μ ← α·μ + (1 − α)·v` over `mean`, with α = `decays[i mod decays.count]`.
    ///
    /// One α: eight lanes at a time, chunks split across the worker threads. Several α:
    /// row by row (a row is `decays.count` elements), rows split across the threads.
    ///
    /// - Precondition: equal counts; `decays` is not empty and its count divides theirs.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func update(
        _ mean: UnsafeMutableBufferPointer<Scalar>, toward values: UnsafeBufferPointer<Scalar>,
        decays: UnsafeBufferPointer<Scalar>
    ) {
        precondition(mean.count == values.count, "RunningAverage.update: counts differ")
        precondition(!decays.isEmpty && mean.count % decays.count == 0, "RunningAverage.update: α does not tile the buffer")
        guard let m = mean.baseAddress, let v = values.baseAddress else { return }
        let units = decays.count
        if units == 1 {
            let alpha = decays[0]
            Execution.current.forEachChunk(count: mean.count, minimumChunk: 1 << 15) { range in
                blendUniform(m, v, alpha, range)
            }
        } else {
            let complements = decays.map { 1 - $0 }
            let a = decays.baseAddress!
            complements.withUnsafeBufferPointer { complements in
                let c = complements.baseAddress!
                Execution.current.forEachChunk(count: mean.count / units, minimumChunk: Swift.max(1, (1 << 15) / units)) { rows in
                    for row in rows { blendRow(m + row * units, v + row * units, a, c, units) }
                }
            }
        }
    }

    /// The scalar twin of ``update(_:toward:decays:)``: one element at a time.
    public static func referenceUpdate(
        _ mean: UnsafeMutableBufferPointer<Scalar>, toward values: UnsafeBufferPointer<Scalar>,
        decays: UnsafeBufferPointer<Scalar>
    ) {
        precondition(mean.count == values.count && mean.count % decays.count == 0, "RunningAverage.referenceUpdate: shapes")
        for index in mean.indices {
            let alpha = decays[index % decays.count]
            mean[index] = alpha * mean[index] + (1 - alpha) * values[index]
        }
    }

    /// m = μ, v = the new values, α one value, over `range`.
    @inline(__always)
    private static func blendUniform(
        _ m: UnsafeMutablePointer<Scalar>, _ v: UnsafePointer<Scalar>, _ alpha: Scalar, _ range: Range<Int>
    ) {
        typealias Lanes = SIMD8<Scalar>
        let alphas = Lanes(repeating: alpha), complements = Lanes(repeating: 1 - alpha)
        var i = range.lowerBound
        while i + Lanes.scalarCount <= range.upperBound {
            let blended = alphas * Lanes.load(m + i) + complements * Lanes.load(UnsafeMutablePointer(mutating: v + i))
            blended.store(to: m + i)
            i += Lanes.scalarCount
        }
        while i < range.upperBound {
            m[i] = alpha * m[i] + (1 - alpha) * v[i]
            i += 1
        }
    }

    /// One row of `units` elements: a = α_j, c = 1 − α_j.
    @inline(__always)
    private static func blendRow(
        _ m: UnsafeMutablePointer<Scalar>, _ v: UnsafePointer<Scalar>, _ a: UnsafePointer<Scalar>,
        _ c: UnsafePointer<Scalar>, _ units: Int
    ) {
        typealias Lanes = SIMD8<Scalar>
        var j = 0
        while j + Lanes.scalarCount <= units {
            let alphas = Lanes.load(UnsafeMutablePointer(mutating: a + j))
            let complements = Lanes.load(UnsafeMutablePointer(mutating: c + j))
            let blended = alphas * Lanes.load(m + j) + complements * Lanes.load(UnsafeMutablePointer(mutating: v + j))
            blended.store(to: m + j)
            j += Lanes.scalarCount
        }
        while j < units {
            m[j] = a[j] * m[j] + c[j] * v[j]
            j += 1
        }
    }
}
