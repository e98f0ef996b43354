import Foundation

/// The depth experiment's claims, computed from its numbers.
///
/// Rules (stated in the summary):
/// - **Trainability**, at the shared rate and at each activation's tuned rate. At the
///   deepest depth, each seed's training loss after the budget is taken (a diverged run
///   counts as untrained: the chance loss, ln classes). Supported when ReLU's mean + one standard
///   deviation lies below the mean − one standard deviation of both sigmoid and tanh; not
///   supported when ReLU's mean − sd lies above one of theirs' mean + sd; inconclusive
///   when the spreads overlap.
/// - **Gradient flow.** At initialisation and the deepest depth, each seed's |log₁₀ r| with
///   r = ‖∇ first Dense‖ / ‖∇ last Dense‖, under the same three-state rule (smaller is
///   better): its gradient reaches the first layer least attenuated (or amplified).
package enum DepthVerdict {
    /// The rules in one paragraph, for the document's summary.
    package static let rule = """
        Verdict rules: claim 2 (training, at the shared and at the tuned rates) is supported when, \
        at the deepest depth, ReLU's mean training loss plus one standard deviation over seeds is \
        below the mean minus one standard deviation of both sigmoid and tanh (a diverged run counts \
        as chance, ln classes), not supported when ReLU's spread lies wholly above one of theirs, and \
        inconclusive when the spreads overlap; claim 2 (gradient flow) by the same rule on each \
        seed's distance of the first- to last-layer gradient-norm ratio from 1 (|log₁₀|), at \
        initialisation and the deepest depth.
        """

    /// The two claims, from `results` (which must contain the activations `relu`, `sigmoid`
    /// and `tanh`; otherwise the claims say what is missing and are inconclusive).
    package static func claims(_ results: DepthResults) -> [Claim] {
        [trainability(results)] + (results.configuration.tunedRates == nil ? [] : [trainability(results, tuned: true)])
            + [gradientFlow(results)]
    }

    /// The losses used by the verdict: each seed's training loss, ln classes for a diverged run.
    package static func verdictLosses(_ results: DepthResults, activation: String, depth: Int, tuned: Bool = false) -> [Double] {
        results.runs(activation: activation, depth: depth, tuned: tuned).map { $0.trainingLoss ?? results.configuration.chanceLoss }
    }

    /// The deepest depth whose mean verdict loss is at most half the chance loss, or nil.
    package static func deepestTrainedDepth(_ results: DepthResults, activation: String) -> Int? {
        results.configuration.depths.sorted().last { depth in
            let losses = verdictLosses(results, activation: activation, depth: depth)
            return !losses.isEmpty && SeedStatistics(losses).mean <= results.configuration.chanceLoss / 2
        }
    }

    static func trainability(_ results: DepthResults, tuned: Bool = false) -> Claim {
        let reading = LearningRateTuning.reading(
            results.configuration.tunedRates, shared: results.configuration.learningRate, tuned: tuned,
            tunedAt: "at that depth")
        let text = "ReLU allows deeper networks to be trained efficiently: lower training loss than sigmoid and tanh at the deepest depth after the same budget, the seeds' spreads apart (\(reading); claim 2; Glorot, Bordes & Bengio 2011)"
        guard let depth = results.configuration.depths.max(),
            let relu = spread(results, "relu", depth, tuned), let sigmoid = spread(results, "sigmoid", depth, tuned),
            let tanh = spread(results, "tanh", depth, tuned)
        else {
            return Claim(claim: text, measured: "not measured: needs relu, sigmoid and tanh runs", verdict: .inconclusive)
        }
        let verdict = Verdict.all([sigmoid, tanh].map { Verdict.exceeds(relu, $0, lowerIsBetter: true) })
        let deepest = ["relu", "sigmoid", "tanh"].map { name in
            "\(name) \(deepestTrainedDepth(results, activation: name).map(String.init) ?? "none")"
        }.joined(separator: ", ")
        let measured = "depth \(depth), \(results.configuration.epochs) epochs, mean ± sd of \(relu.count) seeds: "
            + "relu \(format(relu)), sigmoid \(format(sigmoid)), tanh \(format(tanh)) (chance \(SeedStatistics.format(results.configuration.chanceLoss, digits: 4))); "
            + "deepest depth with loss ≤ ½ chance: \(deepest)"
        return Claim(claim: text, measured: measured, verdict: verdict)
    }

    static func gradientFlow(_ results: DepthResults) -> Claim {
        let text = "ReLU keeps the gradient from vanishing with depth: at initialisation its first-layer gradient is closest to its last-layer gradient, |log₁₀ ratio| over seeds with the spreads apart (claim 2)"
        guard let depth = results.configuration.depths.max(),
            let relu = firstToLastRatio(results, "relu", depth),
            let sigmoid = firstToLastRatio(results, "sigmoid", depth),
            let tanh = firstToLastRatio(results, "tanh", depth)
        else {
            return Claim(claim: text, measured: "not measured: needs relu, sigmoid and tanh runs", verdict: .inconclusive)
        }
        let distances = { (activation: String) in
            SeedStatistics(results.runs(activation: activation, depth: depth).compactMap { run -> Double? in
                guard let first = run.gradientNormsAtInitialisation.first,
                    let last = run.gradientNormsAtInitialisation.last, first > 0, last > 0
                else { return nil }
                return Swift.abs(log10(first / last))
            })
        }
        let verdict = Verdict.all(["sigmoid", "tanh"].map { Verdict.exceeds(distances("relu"), distances($0), lowerIsBetter: true) })
        let measured = "‖∇ first layer‖ / ‖∇ last layer‖ at initialisation, depth \(depth) (geometric mean of seeds): "
            + "relu \(scientific(relu)), sigmoid \(scientific(sigmoid)), tanh \(scientific(tanh))"
        return Claim(claim: text, measured: measured, verdict: verdict)
    }

    /// The geometric mean over seeds of first/last Dense gradient norm at initialisation;
    /// nil without runs or with a zero norm.
    package static func firstToLastRatio(_ results: DepthResults, _ activation: String, _ depth: Int) -> Double? {
        let ratios = results.runs(activation: activation, depth: depth).compactMap { run -> Double? in
            guard let first = run.gradientNormsAtInitialisation.first,
                let last = run.gradientNormsAtInitialisation.last, first > 0, last > 0
            else { return nil }
            return first / last
        }
        guard !ratios.isEmpty else { return nil }
        return exp(ratios.map { log($0) }.reduce(0, +) / Double(ratios.count))
    }

    private static func spread(_ results: DepthResults, _ activation: String, _ depth: Int, _ tuned: Bool) -> SeedStatistics? {
        let losses = verdictLosses(results, activation: activation, depth: depth, tuned: tuned)
        return losses.isEmpty ? nil : SeedStatistics(losses)
    }

    private static func format(_ spread: SeedStatistics) -> String {
        String(format: "%.3f ± %.3f", spread.mean, spread.standardDeviation)
    }

    private static func scientific(_ value: Double) -> String {
        String(format: "%.2e", value)
    }
}
