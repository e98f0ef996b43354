/// A verdict in three states, each reached by a stated rule: the seeds' spread decides, so
/// seeds that disagree give ``inconclusive`` rather than a coin-flip verdict.
package enum ThreeWayVerdict: String, Codable, Sendable {
    case supported, notSupported = "not supported", inconclusive

    /// The fewest seeds a verdict is drawn from; fewer give ``inconclusive``.
    package static let minimumSeeds = 3

    /// What a seed took to get somewhere (epochs or seconds): `value` when it got there, at
    /// least `budget` when it never did.
    package struct Bound: Equatable, Sendable {
        package let lower: Double, upper: Double

        /// `value` when finite, else [`budget`, ∞).
        package init(_ value: Double, budget: Double) {
            (lower, upper) = value.isFinite ? (value, value) : (budget, .infinity)
        }
    }

    /// "`fast` gets there in fewer units than `slow` by a factor of at least 1 + `margin`",
    /// judged over every pairing of a `fast` seed with a `slow` seed:
    /// - supported when even the least favourable pairing shows the factor
    ///   (the fastest `slow` seed ≥ (1 + margin) × the slowest `fast` seed);
    /// - not supported when even the most favourable pairing falls short of it
    ///   (the slowest `slow` seed < (1 + margin) × the fastest `fast` seed);
    /// - inconclusive otherwise, when a side has no seeds, or when a seed that never got there
    ///   leaves the comparison open (its time is only a lower bound).
    package static func faster(_ fast: [Bound], than slow: [Bound], margin: Double) -> ThreeWayVerdict {
        guard !fast.isEmpty, !slow.isEmpty else { return .inconclusive }
        let factor = 1 + margin
        if slow.map(\.lower).min()! >= factor * fast.map(\.upper).max()! { return .supported }
        if slow.map(\.upper).max()! < factor * fast.map(\.lower).min()! { return .notSupported }
        return .inconclusive
    }

    /// "`candidate` is among the best": its per-seed scores against the middle of the field,
    /// the median of the other entries' mean scores, less `margin`:
    /// - supported when every seed of `candidate` is at or above it;
    /// - not supported when every seed is below it;
    /// - inconclusive when its seeds straddle it, or there is no field.
    package static func amongBest(_ candidate: [Double], field: [[Double]], margin: Double) -> ThreeWayVerdict {
        let means = field.filter { !$0.isEmpty }.map { $0.reduce(0, +) / Double($0.count) }
        guard !candidate.isEmpty, !means.isEmpty else { return .inconclusive }
        let threshold = median(means) - margin
        if candidate.min()! >= threshold { return .supported }
        if candidate.max()! < threshold { return .notSupported }
        return .inconclusive
    }

    /// The middle value of `values` (the mean of the middle two for an even count; NaN for none).
    package static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `self`, or inconclusive when fewer than ``minimumSeeds`` seeds were measured.
    package func requiring(seeds: Int) -> ThreeWayVerdict {
        seeds < Self.minimumSeeds ? .inconclusive : self
    }

    /// The ``Claim`` of this verdict: only ``supported`` counts as supported, and the measured
    /// text says when the verdict is inconclusive (and why, for too few seeds).
    package func claim(_ claim: String, measured: String, seeds: Int) -> Claim {
        let note: String
        switch self {
        case .inconclusive where seeds < Self.minimumSeeds:
            note = "too few seeds for a verdict (\(seeds) of \(Self.minimumSeeds)); "
        case .inconclusive: note = "inconclusive: the seeds disagree; "
        default: note = ""
        }
        return Claim(claim: claim, measured: note + measured, supported: self == .supported)
    }
}
