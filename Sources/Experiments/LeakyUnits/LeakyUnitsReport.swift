import Activations
import Datasets
import Networks
import Runtime

#if canImport(Glibc)
import Glibc
#endif

/// The words and verdicts of the leaky-units document, computed from the runs.
package enum LeakyUnitsReport {
    typealias Stats = LeakyUnitsStatistics

    static func summary(options: LeakyUnitsOptions) -> String {
        "A recurrent layer of \(options.units) units, h(t) = α⊙h(t−1) + (1−α)⊙σ(W·x(t) + U·h(t−1) + b), "
            + "read out linearly from its last state, is trained on the adding problem (two marked numbers "
            + "among T uniform ones; predict their sum) for T = \(options.lengths.map(String.init).joined(separator: ", ")). "
            + "Every configuration gets the same seeds and budget: \(options.steps) Adam steps of \(options.batchSize) "
            + "fresh sequences, gradient norm clipped to \(Stats.format(options.maximumGradientNorm)). "
            + "Predicting the mean scores MSE 1/6 ≈ 0.167; below 0.01 the task counts as solved. "
            + "The gradient reach ‖∂h(T−1)/∂h(t)‖ shows why leaks near one help: it decays like α^(T−1−t). "
            + divergenceRule(options)
    }

    /// How diverged runs are found, handled and counted, in one paragraph.
    static func divergenceRule(_ options: LeakyUnitsOptions) -> String {
        let handling: String
        switch options.divergence {
        case .stop:
            handling = "training stops there and keeps the weights of the last checkpoint (every tenth of the budget)"
        case let .backOff(factor, maxRetries):
            handling = "training goes back to the last checkpoint (every tenth of the budget) and goes on at \(Stats.format(factor))× the rate, at most \(maxRetries) times, then stops"
        }
        return "A run diverges when a training loss, its gradient norm or the held-out error after training is NaN or ±∞, "
            + "or an MSE exceeds \(Int(DivergenceRule.errorFactor))× the mean predictor's (1/6); \(handling). "
            + "A diverged run counts as a model that learned nothing: the mean predictor's MSE 1/6 in every median "
            + "(never solved), chance accuracy on sequential Fashion-MNIST; its own error is never averaged."
    }

    /// The MSE a run counts with in medians and verdicts: its held-out MSE, or the mean
    /// predictor's 1/6 when it diverged.
    static func verdictMSE(_ run: LeakyUnitsRun) -> Double? {
        run.diverged ? AddingProblem.meanPredictionError : run.finalMSE
    }

    /// The adding-problem runs of one cell.
    static func cell(_ runs: [LeakyUnitsRun], _ variant: String, _ activation: String, _ length: Int) -> [LeakyUnitsRun] {
        runs.filter { $0.variant == variant && $0.activation == activation && $0.length == length }
    }

    static func settings(options: LeakyUnitsOptions, profile: BPTTProfile?) -> [String: String] {
        var settings = [
            "seeds": String(options.seeds), "lengths": options.lengths.map(String.init).joined(separator: ","),
            "units": String(options.units), "batch_size": String(options.batchSize),
            "steps": String(options.steps), "optimizer": "adam lr=\(options.learningRate)",
            "gradient_clip_norm": String(options.maximumGradientNorm),
            "test_sequences": String(options.testSequences), "precision": "float32",
            "threads": String(Execution.current.threads),
            "leaks": options.leaks.map(describe).joined(separator: "; "),
            "activations": options.activations.map(\.description).joined(separator: ","),
        ]
        if let profile {
            settings["bptt_step_seconds"] = Stats.format(profile.secondsPerStep)
            settings["bptt_gemm_share"] = Stats.format(profile.gemmShare)
            settings["bptt_activation_share"] = Stats.format(profile.activationShare)
        }
        return settings
    }

    static func describe(_ leak: Leak) -> String {
        switch leak {
        case .fixed(let alpha): return "\(leak.variantName) α=\(alpha)"
        case .multiScale(let maximum): return "multiscale τ∈[1,\(maximum)]"
        case .learned(let range): return "learned α=sigmoid(a), τ₀∈[\(range.lowerBound),\(range.upperBound)]"
        }
    }

    /// The median over seeds of ``verdictMSE(_:)``.
    static func medianMSE(_ runs: [LeakyUnitsRun], _ variant: String, _ activation: String, _ length: Int) -> Double {
        cell(runs, variant, activation, length).compactMap(verdictMSE).median
    }

    /// ", 2 of 3 diverged" for a cell with diverged runs, "" otherwise.
    static func divergedNote(_ runs: [LeakyUnitsRun], _ variant: String, _ activation: String, _ length: Int) -> String {
        let seeds = cell(runs, variant, activation, length)
        let diverged = seeds.filter(\.diverged).count
        return diverged == 0 ? "" : ", \(diverged) of \(seeds.count) diverged"
    }

    /// The median τ = 1/(1 − α) of the learned leak's units at initialisation (NaN without one).
    package static func initialTimeConstant(_ options: LeakyUnitsOptions) -> Double {
        guard let learned = options.leaks.first(where: \.isLearned) else { return .nan }
        return learned.initialAlphas(units: options.units).map { 1 / (1 - $0) }.median
    }

    /// Per seed, a leaky layer's MSE must be this factor below the plain layer's (T = 200 claim).
    package static let solvedFactor = 10.0
    /// "No better than predicting the mean": an MSE of at least 0.1 (60 % of the mean
    /// predictor's 1/6).
    package static let meanLevel = 0.1
    /// Per seed, a leaky layer must beat the plain one by half the mean predictor's MSE (1/12).
    package static let leakyGain = AddingProblem.meanPredictionError / 2
    /// At initialisation the leaky reach at T/2 must be this factor above the plain one's.
    package static let reachFactor = 100.0
    /// The share of a BPTT step a GEMM-dominated step spends inside BLAS.
    package static let gemmShare = 0.5

    /// ``verdictMSE(_:)`` of one cell by seed.
    static func bySeed(_ runs: [LeakyUnitsRun], _ variant: String, _ activation: String, _ length: Int) -> [Int: Double] {
        var values: [Int: Double] = [:]
        for run in cell(runs, variant, activation, length) { values[run.seed] = verdictMSE(run) }
        return values
    }

    /// f(a) − f(b) for every seed both hold, in seed order.
    static func differences(_ a: [Int: Double], _ b: [Int: Double], _ f: (Double) -> Double = { $0 }) -> [Double] {
        a.keys.sorted().compactMap { seed in b[seed].map { f(a[seed]!) - f($0) } }
    }

    /// log₁₀ of an MSE (or a reach), with 0 taken as 10⁻³⁰⁰ so a perfect or vanished figure stays finite.
    static func log10Floored(_ value: Double) -> Double { log10(max(value, 1e-300)) }

    static func claims(_ runs: [LeakyUnitsRun], options: LeakyUnitsOptions, profile: BPTTProfile?) -> [Claim] {
        var claims: [Claim] = []
        let variants = Set(runs.map(\.variant))
        let target = options.lengths.contains(200) ? 200 : options.lengths.max()!
        let longest = options.lengths.max()!
        let spread = { (values: [Double]) in SeedStatistics(values).formatted(digits: 3) }
        if variants.contains("plain"), !variants.isDisjoint(with: ["multiscale", "learned"]) {
            let leaky = ["multiscale", "learned"].filter(variants.contains)
            let plainSeeds = bySeed(runs, "plain", "relu", target)
            var parts = [Verdict.beyond(plainSeeds.values.map(log10Floored), log10(LeakyUnitsExperiment.successMSE))]
            var texts: [String] = []
            for variant in leaky {
                let seeds = bySeed(runs, variant, "relu", target)
                let gain = differences(plainSeeds, seeds, log10Floored)
                parts.append(Verdict.beyond(seeds.values.map(log10Floored), log10(LeakyUnitsExperiment.successMSE), lowerIsBetter: true))
                parts.append(Verdict.paired(gain, margin: log10(solvedFactor)))
                texts.append("\(variant) \(Stats.format(medianMSE(runs, variant, "relu", target)))\(divergedNote(runs, variant, "relu", target))"
                    + " (log₁₀ MSE \(spread(seeds.values.map(log10Floored))); per seed log₁₀ plain/\(variant) \(spread(gain)))")
            }
            claims.append(Claim(
                claim: "On the adding problem with T = \(target), leaky ReLU units (each of multi-scale and learned α) reach MSE < 0.01 where α = 0 does not (same seeds and budget): "
                    + "over seeds the leaky layer's log₁₀ MSE (mean ± sd) below log₁₀ 0.01 and the plain layer's above it, and per seed the leaky layer's MSE "
                    + "≥ \(Int(solvedFactor))× below the plain one's (paired log₁₀ ratio ≥ 1 with its spread)",
                measured: "median MSE over \(options.seeds) seeds: " + texts.joined(separator: "; ")
                    + "; plain \(Stats.format(medianMSE(runs, "plain", "relu", target)))\(divergedNote(runs, "plain", "relu", target))"
                    + " (log₁₀ MSE \(spread(plainSeeds.values.map(log10Floored))); \(options.units) units, \(options.steps) steps; a diverged seed counts as 1/6)",
                verdict: Verdict.all(parts)))
            let plainLongest = options.activations.map { bySeed(runs, "plain", $0.description, longest) }
            let gains = options.activations.indices.flatMap { index in
                leaky.map { variant in
                    (variant: variant, activation: options.activations[index].description,
                     gain: differences(plainLongest[index], bySeed(runs, variant, options.activations[index].description, longest)))
                }
            }
            let best = gains.max { SeedStatistics($0.gain).mean < SeedStatistics($1.gain).mean }!
            let diverged = runs.filter { $0.length == longest && $0.diverged }.count
            claims.append(Claim(
                claim: "Without leaks the gradient vanishes over long sequences (Bengio, Simard & Frasconi 1994): at T = \(longest) a plain recurrent layer does no better than predicting the mean (MSE ≈ 0.167), while a leaky one does: "
                    + "each plain layer's MSE over seeds (mean ± sd) above \(Stats.format(meanLevel)), and for some leaky layer the per-seed gain over the plain one of its activation "
                    + "(plain − leaky MSE, same seed) above \(Stats.format(leakyGain)) (half the mean predictor's) with its spread",
                measured: "MSE at T = \(longest) over seeds: plain " + zip(options.activations, plainLongest).map { "\($0.description) \(spread(Array($1.values)))" }.joined(separator: ", ")
                    + "; largest gain \(best.variant) · \(best.activation) \(spread(best.gain)) (median MSE \(Stats.format(medianMSE(runs, best.variant, best.activation, longest))))"
                    + (diverged == 0 ? "" : "; \(diverged) run(s) at T = \(longest) diverged, each counted as 1/6"),
                verdict: Verdict.all(plainLongest.map { Verdict.beyond(Array($0.values), meanLevel) } + [Verdict.any(gains.map { Verdict.paired($0.gain, margin: leakyGain) })])))
            let reluRuns = { (variant: String) in
                Dictionary(cell(runs, variant, "relu", longest).map { ($0.seed, $0) }, uniquingKeysWith: { first, _ in first })
            }
            let plainRuns = reluRuns("plain"), scaleRuns = reluRuns(leaky[0])
            if let plainRun = plainRuns.keys.min().flatMap({ plainRuns[$0] }), !plainRun.reachDistances.isEmpty {
                let index = plainRun.reachDistances.firstIndex { $0 >= longest / 2 } ?? plainRun.reachDistances.count - 1
                let reach = { (run: LeakyUnitsRun) in index < run.reachUntrained.count ? run.reachUntrained[index] : .nan }
                let ratios = differences(scaleRuns.mapValues(reach), plainRuns.mapValues(reach), log10Floored)
                claims.append(Claim(
                    claim: "Leaks near one carry the gradient back through time: at initialisation ‖∂h(T−1)/∂h(t)‖ at distance T/2 is at least \(Int(reachFactor))× larger with \(leaky[0]) α than with α = 0 (ReLU, T = \(longest)): "
                        + "per seed log₁₀ of the ratio ≥ 2 with its spread (mean ± sd)",
                    measured: "reach at d = \(plainRun.reachDistances[index]), seed \(plainRun.seed): \(leaky[0]) \(Stats.format(scaleRuns[plainRun.seed].map(reach) ?? .nan)), plain \(Stats.format(reach(plainRun)))"
                        + "; log₁₀ ratio over \(ratios.count) seeds \(spread(ratios))",
                    verdict: Verdict.paired(ratios, margin: log10(reachFactor))))
            }
        }
        if options.leaks.contains(where: \.isLearned) {
            let initial = initialTimeConstant(options)
            let finished = runs.filter { $0.variant == "learned" && $0.length == longest && !$0.diverged }
            // One figure per run: the median learned τ of its units.
            let perRun = finished.map { $0.learnedTimeConstants.median }.filter(\.isFinite)
            let after = SeedStatistics(perRun)
            claims.append(Claim(
                claim: "Learned leaks move to longer time constants when the task needs a long memory (T = \(longest)): "
                    + "the runs' median τ after training ≥ 1.1× the initial median, the runs' spread (mean ± sd) above it",
                measured: "median τ = 1/(1 − α) over units: \(Stats.format(initial)) at the start, "
                    + "\(after.formatted(digits: 4)) after training (mean ± sd over \(after.count) runs that did not diverge; "
                    + "\(Stats.format(after.mean / initial))×)",
                verdict: Verdict.exceeds(after, SeedStatistics([initial]), by: .relative(0.10))))
        }
        if let profile {
            let steps = SeedStatistics(profile.stepSeconds)
            claims.append(Claim(
                claim: "A BPTT step is dominated by GEMMs: at least \(Int(gemmShare * 100))% of its time inside BLAS (hidden \(profile.units), batch \(profile.batchSize), T = \(profile.length)), "
                    + "the share's spread over ≥ \(Verdict.minimumTimings) timed steps (mean ± sd) above it",
                measured: "\(Stats.format(profile.gemmShare * 100))% in BLAS (median; per step \(SeedStatistics(profile.gemmShares.map { $0 * 100 }).formatted(digits: 3))%), "
                    + "\(Stats.format(profile.activationShare * 100))% in activations, \(Stats.format(profile.secondsPerStep * 1000)) ms per step on \(profile.threads) threads"
                    + (Verdict.timingCaveat(repetitions: [steps]).map { "; " + $0 } ?? ""),
                verdict: Verdict.timing(Verdict.beyond(profile.gemmShares, gemmShare), repetitions: [steps])))
        }
        return claims
    }

    static func table(_ runs: [LeakyUnitsRun], options: LeakyUnitsOptions) -> ResultTable {
        var rows: [SeedTable.Row] = []
        for (variant, activation) in LeakyUnitsExperiment.configurations(options) {
            for length in options.lengths {
                let seeds = cell(runs, variant, activation, length)
                let setting = [variant, activation, String(length)]
                rows.append(SeedTable.Row(
                    setting: setting, figure: "held_out_mse",
                    values: seeds.map { $0.diverged ? .nan : $0.finalMSE ?? .nan }))
                rows.append(SeedTable.Row(
                    setting: setting, figure: "solved",
                    values: seeds.map { !$0.diverged && ($0.finalMSE ?? .infinity) < LeakyUnitsExperiment.successMSE ? 1 : 0 }))
                rows.append(SeedTable.Row(setting: setting, figure: "diverged", values: seeds.map { $0.diverged ? 1 : 0 }))
                rows.append(SeedTable.Row(setting: setting, figure: "seconds", values: seeds.map(\.seconds)))
            }
        }
        return SeedTable.summary(
            title: "Held-out MSE after training over seeds (missing: diverged), seeds solved (MSE < 0.01) and diverged",
            settingColumns: ["variant", "activation", "length"], rows: rows)
    }
}
