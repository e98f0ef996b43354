import Foundation

/// The dead-unit experiment's claim, computed from its numbers.
///
/// Rule: for each learning rate (the experiment sweeps the rate itself, so no rate is tuned),
/// take each run's dead fraction after its last epoch, averaged over the hidden layers (a
/// diverged run counts as every unit dead: a network of NaN passes no gradient), over seeds
/// (mean ± sd). Not supported when at some rate leaky ReLU or PReLU has more dead units than
/// ReLU with the spreads apart, or ReLU never loses a unit (nothing to improve on);
/// supported when at some rate both have fewer with the spreads apart; inconclusive otherwise.
package enum DeadUnitsVerdict {
    /// The rule in one paragraph, for the document's summary.
    package static let rule = """
        Verdict rule: claim 6 is not supported when, at some learning rate, leaky ReLU or PReLU ends \
        with more dead units than ReLU with the seeds' spreads (mean ± sd of the layer-averaged \
        fraction; a diverged run counts as every unit dead) apart, or when ReLU never loses a unit; \
        supported when at some rate both end with fewer, the spreads apart; inconclusive otherwise.
        """

    /// The mean over seeds of the final layer-averaged dead fraction of (activation, rate),
    /// a diverged run counting as 1; nil without runs.
    package static func finalDeadFraction(_ results: DeadUnitsResults, activation: String, learningRate: Double) -> Double? {
        let finals = finalDeadFractions(results, activation: activation, learningRate: learningRate)
        return finals.count == 0 ? nil : finals.mean
    }

    /// The same over seeds: each run's final layer-averaged dead fraction (diverged: 1).
    static func finalDeadFractions(_ results: DeadUnitsResults, activation: String, learningRate: Double) -> SeedStatistics {
        SeedStatistics(results.runs(activation: activation, learningRate: learningRate).map {
            $0.diverged ? 1 : $0.finalMeanDeadFraction
        })
    }

    /// The claim, from `results` (which must contain `relu`, `leaky:0.01` and `prelu` runs;
    /// otherwise the claim says what is missing and is inconclusive).
    package static func claim(_ results: DeadUnitsResults) -> Claim {
        let text = "Leaky ReLU and PReLU give an error signal for negative inputs: fewer dead units (zero for every input, no gradient) than plain ReLU, the seeds' spreads apart, at the swept learning rates (claim 6; Maas et al. 2013)"
        var someRateWorse = false, someRateBetter = false, reluEverDead = false
        var parts: [String] = []
        for rate in results.configuration.learningRates {
            guard let relu = finalDeadFraction(results, activation: "relu", learningRate: rate),
                let leaky = finalDeadFraction(results, activation: "leaky:0.01", learningRate: rate),
                let prelu = finalDeadFraction(results, activation: "prelu", learningRate: rate)
            else {
                return Claim(claim: text, measured: "not measured: needs relu, leaky:0.01 and prelu runs at every rate", verdict: .inconclusive)
            }
            let reluSeeds = finalDeadFractions(results, activation: "relu", learningRate: rate)
            let verdicts = ["leaky:0.01", "prelu"].map {
                Verdict.exceeds(finalDeadFractions(results, activation: $0, learningRate: rate), reluSeeds, lowerIsBetter: true)
            }
            someRateWorse = someRateWorse || verdicts.contains(.notSupported)
            someRateBetter = someRateBetter || verdicts.allSatisfy { $0 == .supported }
            reluEverDead = reluEverDead || relu > 0
            parts.append(String(format: "rate %g: relu %.1f%%, leaky %.1f%%, prelu %.1f%%", rate, 100 * relu, 100 * leaky, 100 * prelu))
        }
        let measured = "dead units after \(results.configuration.epochs) epochs (mean of layers and \(results.configuration.seeds.count) seeds): "
            + parts.joined(separator: "; ")
        let verdict: Verdict = someRateWorse || !reluEverDead ? .notSupported : someRateBetter ? .supported : .inconclusive
        return Claim(claim: text, measured: measured, verdict: verdict)
    }
}
