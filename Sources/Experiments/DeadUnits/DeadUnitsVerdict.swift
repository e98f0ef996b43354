import Foundation

/// The dead-unit experiment's claim, computed from its numbers.
///
/// Rule: for each learning rate, take each run's dead fraction after its last epoch,
/// averaged over the hidden layers (a diverged run counts as every unit dead: a network of
/// NaN passes no gradient), and the mean over seeds. The claim is supported when at every
/// rate leaky ReLU and PReLU have no more dead units than ReLU, and at one rate at least ReLU
/// has dead units and strictly more than both. If ReLU never loses a unit, the run cannot
/// support the claim (there is nothing to improve on).
package enum DeadUnitsVerdict {
    /// The rule in one paragraph, for the document's summary.
    package static let rule = """
        Verdict rule: claim 6 is supported when, at every learning rate, leaky ReLU and PReLU end \
        with no more dead units than ReLU (mean over seeds of the layer-averaged fraction; a diverged \
        run counts as every unit dead), and at some rate ReLU has dead units and strictly more than both.
        """

    /// The mean over seeds of the final layer-averaged dead fraction of (activation, rate),
    /// a diverged run counting as 1; nil without runs.
    package static func finalDeadFraction(_ results: DeadUnitsResults, activation: String, learningRate: Double) -> Double? {
        let finals = results.runs(activation: activation, learningRate: learningRate).map {
            $0.diverged ? 1 : $0.finalMeanDeadFraction
        }
        return finals.isEmpty ? nil : SeedStatistics(finals).mean
    }

    /// The claim, from `results` (which must contain `relu`, `leaky:0.01` and `prelu` runs;
    /// otherwise the claim says what is missing and is not supported).
    package static func claim(_ results: DeadUnitsResults) -> Claim {
        let text = "Leaky ReLU and PReLU give an error signal for negative inputs: fewer dead units (zero for every input, no gradient) than plain ReLU (claim 6; Maas et al. 2013)"
        var everyRateNoWorse = true, someRateBetter = false
        var parts: [String] = []
        for rate in results.configuration.learningRates {
            guard let relu = finalDeadFraction(results, activation: "relu", learningRate: rate),
                let leaky = finalDeadFraction(results, activation: "leaky:0.01", learningRate: rate),
                let prelu = finalDeadFraction(results, activation: "prelu", learningRate: rate)
            else {
                return Claim(claim: text, measured: "not measured: needs relu, leaky:0.01 and prelu runs at every rate", supported: false)
            }
            everyRateNoWorse = everyRateNoWorse && leaky <= relu && prelu <= relu
            someRateBetter = someRateBetter || (relu > 0 && leaky < relu && prelu < relu)
            parts.append(String(format: "rate %g: relu %.1f%%, leaky %.1f%%, prelu %.1f%%", rate, 100 * relu, 100 * leaky, 100 * prelu))
        }
        let measured = "dead units after \(results.configuration.epochs) epochs (mean of layers and \(results.configuration.seeds.count) seeds): "
            + parts.joined(separator: "; ")
        return Claim(claim: text, measured: measured, supported: everyRateNoWorse && someRateBetter)
    }
}
