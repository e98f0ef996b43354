import Foundation

/// The initialisation experiment's claim, computed from its numbers.
///
/// Rule: an activation's success rate is the fraction of all its runs (every scale and seed)
/// that reach the target; its sensitivity is the range (max − min) over scales of its mean
/// validation accuracy. The claim is supported when ReLU's success rate is at least sigmoid's
/// and tanh's and its sensitivity is smaller than both.
package enum InitialisationVerdict {
    /// The rule in one paragraph, for the document's summary.
    package static let rule = """
        Verdict rule: claim 3 is supported when ReLU's success rate over the whole grid is at least \
        sigmoid's and tanh's and the range over scales of its mean validation accuracy is smaller \
        than both of theirs.
        """

    /// The range over scales of the mean (over seeds) validation accuracy; nil without runs.
    package static func sensitivity(_ results: InitialisationResults, activation: String) -> Double? {
        let means = results.configuration.scales.compactMap { scale -> Double? in
            let accuracies = results.runs(activation: activation, scale: scale).map(\.validationAccuracy)
            return accuracies.isEmpty ? nil : SeedStatistics(accuracies).mean
        }
        guard let low = means.min(), let high = means.max() else { return nil }
        return high - low
    }

    /// The claim, from `results` (which must contain relu, sigmoid and tanh runs; otherwise
    /// the claim says what is missing and is not supported).
    package static func claim(_ results: InitialisationResults) -> Claim {
        let text = "ReLU is much less sensitive to the random initialisation of the weights than sigmoid and tanh: more runs reach the target over a ×0.25…×4 grid of initial scales, and a smaller spread of final accuracy (claim 3)"
        let names = ["relu", "sigmoid", "tanh"]
        let rates = names.map { results.successRate(activation: $0) }
        let ranges = names.map { sensitivity(results, activation: $0) }
        guard let relu = rates[0], let sigmoid = rates[1], let tanh = rates[2],
            let reluRange = ranges[0], let sigmoidRange = ranges[1], let tanhRange = ranges[2]
        else {
            return Claim(claim: text, measured: "not measured: needs relu, sigmoid and tanh runs", supported: false)
        }
        let supported = relu >= sigmoid && relu >= tanh && reluRange < sigmoidRange && reluRange < tanhRange
        let target = Int((results.configuration.targetAccuracy * 100).rounded())
        let measured = String(
            format: "runs reaching %d %%: relu %.0f%%, sigmoid %.0f%%, tanh %.0f%%; range of mean accuracy over scales: relu %.1f, sigmoid %.1f, tanh %.1f points",
            target, 100 * relu, 100 * sigmoid, 100 * tanh, 100 * reluRange, 100 * sigmoidRange, 100 * tanhRange)
        return Claim(claim: text, measured: measured, supported: supported)
    }
}
