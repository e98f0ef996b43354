import Foundation

/// The initialisation experiment's claim, computed from its numbers.
///
/// Rule, at the shared rate and at each activation's tuned rate: per seed, an activation's
/// success rate is the fraction of its runs over the scales that reach the target, and its
/// sensitivity the range (max − min) over scales of validation accuracy. Supported when
/// ReLU's success rate is higher than sigmoid's and tanh's and its sensitivity smaller, each
/// with the seeds' spreads (mean ± sd) apart; not supported when one comparison goes the
/// other way with the spreads apart; inconclusive otherwise.
package enum InitialisationVerdict {
    /// The rule in one paragraph, for the document's summary.
    package static let rule = """
        Verdict rule (at the shared and at the tuned rates): claim 3 is supported when, per seed, \
        ReLU's share of runs over the scales reaching the target is higher than sigmoid's and \
        tanh's and its range over scales of validation accuracy smaller, with the seeds' spreads \
        (mean ± sd) apart; not supported when one comparison goes the other way with the spreads \
        apart; inconclusive otherwise.
        """

    /// The range over scales of the mean (over seeds) validation accuracy; nil without runs.
    package static func sensitivity(_ results: InitialisationResults, activation: String, tuned: Bool = false) -> Double? {
        let means = results.configuration.scales.compactMap { scale -> Double? in
            let accuracies = results.runs(activation: activation, scale: scale, tuned: tuned).map(\.validationAccuracy)
            return accuracies.isEmpty ? nil : SeedStatistics(accuracies).mean
        }
        guard let low = means.min(), let high = means.max() else { return nil }
        return high - low
    }

    /// The claim, from `results` (which must contain relu, sigmoid and tanh runs; otherwise
    /// the claim says what is missing and is inconclusive).
    package static func claim(_ results: InitialisationResults, tuned: Bool = false) -> Claim {
        let reading = LearningRateTuning.reading(
            results.configuration.tunedRates, shared: results.configuration.learningRate, tuned: tuned,
            tunedAt: "at ×1")
        let text = "ReLU is much less sensitive to the random initialisation of the weights than sigmoid and tanh: more runs reach the target over a ×0.25…×4 grid of initial scales, and a smaller spread of final accuracy, per seed with the spreads apart (\(reading); claim 3)"
        let names = ["relu", "sigmoid", "tanh"]
        let rates = names.map { results.successRate(activation: $0, tuned: tuned) }
        let ranges = names.map { sensitivity(results, activation: $0, tuned: tuned) }
        guard let relu = rates[0], let sigmoid = rates[1], let tanh = rates[2],
            let reluRange = ranges[0], let sigmoidRange = ranges[1], let tanhRange = ranges[2]
        else {
            return Claim(claim: text, measured: "not measured: needs relu, sigmoid and tanh runs", verdict: .inconclusive)
        }
        let seeds = names.map { results.perSeed(activation: $0, tuned: tuned) }
        let verdict = Verdict.all([1, 2].flatMap { other in
            [
                Verdict.exceeds(SeedStatistics(seeds[0].success), SeedStatistics(seeds[other].success)),
                Verdict.exceeds(SeedStatistics(seeds[0].range), SeedStatistics(seeds[other].range), lowerIsBetter: true),
            ]
        })
        let target = Int((results.configuration.targetAccuracy * 100).rounded())
        let measured = String(
            format: "runs reaching %d %%: relu %.0f%%, sigmoid %.0f%%, tanh %.0f%%; range of mean accuracy over scales: relu %.1f, sigmoid %.1f, tanh %.1f points",
            target, 100 * relu, 100 * sigmoid, 100 * tanh, 100 * reluRange, 100 * sigmoidRange, 100 * tanhRange)
        return Claim(claim: text, measured: measured, verdict: verdict)
    }
}
