/// A claim's verdict: supported, not supported or inconclusive, by the rule the claim states;
/// "too few seeds for a verdict" when the run had fewer than ``Verdict/minimumSeeds`` seeds.
public enum Verdict: String, Codable, Hashable, Sendable {
    case supported
    case notSupported = "not supported"
    case inconclusive
    case tooFewSeeds = "too few seeds for a verdict"

    /// Seeds a run needs before its seed-based claims get a verdict.
    public static let minimumSeeds = 3

    /// "✓", "✗", "?" or "–", for the terminal and the report.
    public var mark: String {
        switch self {
        case .supported: return "✓"
        case .notSupported: return "✗"
        case .inconclusive: return "?"
        case .tooFewSeeds: return "–"
        }
    }

    /// How much better a figure must be: by an absolute amount (accuracy points as a
    /// fraction) or by a factor (time constants 10 % longer: `.relative(0.10)`).
    package enum Margin: Hashable, Sendable {
        case absolute(Double)
        case relative(Double)

        /// What a higher-is-better figure must reach to beat `baseline`.
        func threshold(_ baseline: Double) -> Double {
            switch self {
            case .absolute(let amount): return baseline + amount
            case .relative(let fraction): return baseline * (1 + fraction)
            }
        }

        /// What a lower-is-better figure must stay at or under to beat `baseline`.
        func lowerThreshold(_ baseline: Double) -> Double {
            switch self {
            case .absolute(let amount): return baseline - amount
            case .relative(let fraction): return baseline / (1 + fraction)
            }
        }
    }

    /// Whether `a` beats `b` by `margin`, over seeds; each spread is mean ± standard deviation:
    /// - supported: even the worst reading (`a` at its spread's bad end, `b` at its good end)
    ///   beats `b` by more than the margin, so the spreads are apart by at least the margin;
    /// - not supported: even the best reading (`a` at its good end, `b` at its bad end) falls
    ///   short of the margin;
    /// - inconclusive: anything between (the spreads overlap across the margin), or no finite
    ///   value on a side.
    ///
    /// Higher is better unless `lowerIsBetter` (times, errors): then beating by
    /// `.relative(0.1)` means `b` ≥ 1.1 × `a`, and by `.absolute(d)` means `a` ≤ `b` − d.
    package static func exceeds(
        _ a: SeedStatistics, _ b: SeedStatistics, by margin: Margin = .absolute(0), lowerIsBetter: Bool = false
    ) -> Verdict {
        guard a.count > 0, b.count > 0 else { return .inconclusive }
        let aSpread = a.standardDeviation.isFinite ? a.standardDeviation : 0
        let bSpread = b.standardDeviation.isFinite ? b.standardDeviation : 0
        if lowerIsBetter {
            if a.mean + aSpread < margin.lowerThreshold(b.mean - bSpread) { return .supported }
            return a.mean - aSpread <= margin.lowerThreshold(b.mean + bSpread) ? .inconclusive : .notSupported
        }
        if a.mean - aSpread > margin.threshold(b.mean + bSpread) { return .supported }
        return a.mean + aSpread >= margin.threshold(b.mean - bSpread) ? .inconclusive : .notSupported
    }

    /// A paired comparison over seeds: `differences[s]` is seed s's figure for the claimed
    /// better setting minus the other's. Supported when mean − sd exceeds the margin; not
    /// supported when mean + sd falls short of it; inconclusive otherwise.
    package static func paired(_ differences: [Double], margin: Double = 0) -> Verdict {
        exceeds(SeedStatistics(differences), SeedStatistics([0]), by: .absolute(margin))
    }
}

extension Verdict {
    /// Repetitions a timing verdict needs.
    package static let minimumTimings = 5
    /// The largest relative spread (sd / mean) of repeated timings that still counts as an
    /// unloaded machine; above it, other work moved the figures.
    package static let timingSpreadLimit = 0.25

    /// A timing verdict: `verdict` (from ``exceeds(_:_:by:lowerIsBetter:)`` on the times)
    /// when every timed setting has at least ``minimumTimings`` repetitions with a relative
    /// spread of at most ``timingSpreadLimit``; inconclusive otherwise.
    package static func timing(_ verdict: Verdict, repetitions: [SeedStatistics]) -> Verdict {
        guard verdict != .tooFewSeeds else { return verdict }
        let steady = repetitions.allSatisfy { times in
            times.count >= minimumTimings && times.mean > 0 && times.standardDeviation / times.mean <= timingSpreadLimit
        }
        return steady ? verdict : .inconclusive
    }

    /// Why ``timing(_:repetitions:)`` gave inconclusive, in words, or nil when it did not.
    package static func timingCaveat(repetitions: [SeedStatistics]) -> String? {
        if let short = repetitions.first(where: { $0.count < minimumTimings }) {
            return "only \(short.count) timings (a timing verdict needs ≥ \(minimumTimings))"
        }
        if let moved = repetitions.first(where: { $0.mean > 0 && $0.standardDeviation / $0.mean > timingSpreadLimit }) {
            return "the machine's load moved the timings (spread \(SeedStatistics.percent(moved.standardDeviation / moved.mean, decimals: 0)) "
                + "of the mean, > \(SeedStatistics.percent(timingSpreadLimit, decimals: 0)))"
        }
        return nil
    }
}

extension Verdict {
    /// The verdict of a claim made of parts: not supported when any part is, supported when
    /// every part is, inconclusive otherwise (and for no parts).
    package static func all(_ parts: [Verdict]) -> Verdict {
        if parts.contains(.notSupported) { return .notSupported }
        return !parts.isEmpty && parts.allSatisfy { $0 == .supported } ? .supported : .inconclusive
    }

    /// The verdict of a claim that some one of several settings meets ("a leaky layer does"):
    /// supported when any part is, not supported when every part is not, inconclusive
    /// otherwise (and for no parts).
    package static func any(_ parts: [Verdict]) -> Verdict {
        if parts.contains(.supported) { return .supported }
        return !parts.isEmpty && parts.allSatisfy { $0 == .notSupported } ? .notSupported : .inconclusive
    }

    /// Whether figures over seeds stay above `threshold` (below it when `lowerIsBetter`):
    /// supported when the whole spread (mean ± sd) is on the claimed side, not supported when
    /// it is wholly on the other, inconclusive when it straddles the threshold.
    package static func beyond(_ values: [Double], _ threshold: Double, lowerIsBetter: Bool = false) -> Verdict {
        exceeds(SeedStatistics(values), SeedStatistics([threshold]), lowerIsBetter: lowerIsBetter)
    }
}

extension Verdict {
    /// Claim 7's rule over a leaderboard (best first): ReLU's rank, and whether its mean + sd
    /// reaches the best other activation's mean − sd. Supported when ReLU ranks first or is
    /// within that spread; not supported when it is outside and ranked in the lower half;
    /// inconclusive otherwise, and when ReLU has no value.
    package static func amongTheBest(
        _ board: [(activation: String, accuracy: SeedStatistics)]
    ) -> (verdict: Verdict, rank: Int, relu: SeedStatistics, withinSpread: Bool) {
        let index = board.firstIndex { $0.activation == "relu" }
        let rank = (index ?? board.count) + 1
        let relu = index.map { board[$0].accuracy } ?? SeedStatistics([])
        guard let best = board.first(where: { $0.activation != "relu" }) ?? board.first else {
            return (.inconclusive, rank, relu, false)
        }
        let reluUpper = relu.mean + (relu.count > 1 ? relu.standardDeviation : 0)
        let bestLower = best.accuracy.mean - (best.accuracy.count > 1 ? best.accuracy.standardDeviation : 0)
        let withinSpread = rank == 1 || reluUpper >= bestLower
        let verdict: Verdict = relu.count == 0 ? .inconclusive
            : withinSpread ? .supported : rank > (board.count + 1) / 2 ? .notSupported : .inconclusive
        return (verdict, rank, relu, withinSpread)
    }
}
