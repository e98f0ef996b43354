import Activations
import Datasets
import Networks
import Runtime

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
        Stats.median(cell(runs, variant, activation, length).compactMap(verdictMSE))
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
        return Stats.median(learned.initialAlphas(units: options.units).map { 1 / (1 - $0) })
    }

    static func claims(_ runs: [LeakyUnitsRun], options: LeakyUnitsOptions, profile: BPTTProfile?) -> [Claim] {
        var claims: [Claim] = []
        let variants = Set(runs.map(\.variant))
        let target = options.lengths.contains(200) ? 200 : options.lengths.max()!
        let longest = options.lengths.max()!
        if variants.contains("plain"), !variants.isDisjoint(with: ["multiscale", "learned"]) {
            let leaky = ["multiscale", "learned"].filter(variants.contains)
            let best = leaky.map { ($0, medianMSE(runs, $0, "relu", target)) }.min { $0.1 < $1.1 }!
            let plain = medianMSE(runs, "plain", "relu", target)
            claims.append(Claim(
                claim: "On the adding problem with T = \(target), leaky ReLU units (multi-scale or learned α) reach MSE < 0.01 where α = 0 does not (same seeds and budget)",
                measured: "median MSE over \(options.seeds) seeds: \(best.0) \(Stats.format(best.1))\(divergedNote(runs, best.0, "relu", target)), plain \(Stats.format(plain))\(divergedNote(runs, "plain", "relu", target)) (\(options.units) units, \(options.steps) steps; a diverged seed counts as 1/6)",
                supported: best.1 < LeakyUnitsExperiment.successMSE && !(plain < LeakyUnitsExperiment.successMSE)))
            let plainLongest = options.activations.map { medianMSE(runs, "plain", $0.description, longest) }
            let bestLeaky = options.activations.flatMap { activation in
                leaky.map { (variant: $0, activation: activation.description, mse: medianMSE(runs, $0, activation.description, longest)) }
            }.min { $0.mse < $1.mse }!
            let diverged = runs.filter { $0.length == longest && $0.diverged }.count
            claims.append(Claim(
                claim: "Without leaks the gradient vanishes over long sequences (Bengio, Simard & Frasconi 1994): at T = \(longest) a plain recurrent layer does no better than predicting the mean (MSE ≈ 0.167), while a leaky one does",
                measured: "median MSE at T = \(longest): plain " + zip(options.activations, plainLongest).map { "\($0.description) \(Stats.format($1))" }.joined(separator: ", ")
                    + "; best leaky \(bestLeaky.variant) · \(bestLeaky.activation) \(Stats.format(bestLeaky.mse))"
                    + (diverged == 0 ? "" : "; \(diverged) run(s) at T = \(longest) diverged, each counted as 1/6"),
                supported: plainLongest.allSatisfy { $0 > 0.1 } && bestLeaky.mse < 0.1))
            if let plainRun = runs.first(where: { $0.variant == "plain" && $0.activation == "relu" && $0.length == longest }),
               let scaleRun = runs.first(where: { $0.variant == leaky[0] && $0.activation == "relu" && $0.length == longest })
            {
                let index = plainRun.reachDistances.firstIndex { $0 >= longest / 2 } ?? plainRun.reachDistances.count - 1
                let distance = plainRun.reachDistances[index]
                let ratio = scaleRun.reachUntrained[index] / plainRun.reachUntrained[index]
                claims.append(Claim(
                    claim: "Leaks near one carry the gradient back through time: at initialisation ‖∂h(T−1)/∂h(t)‖ at distance T/2 is at least 100× larger with \(leaky[0]) α than with α = 0 (ReLU, T = \(longest))",
                    measured: "reach at d = \(distance): \(leaky[0]) \(Stats.format(scaleRun.reachUntrained[index])), plain \(Stats.format(plainRun.reachUntrained[index])) (ratio \(Stats.format(ratio)))",
                    supported: ratio >= 100))
            }
        }
        if options.leaks.contains(where: \.isLearned) {
            let initial = initialTimeConstant(options)
            let finished = runs.filter { $0.variant == "learned" && $0.length == longest && !$0.diverged }
            // One figure per run: the median learned τ of its units.
            let perRun = finished.map { Stats.median($0.learnedTimeConstants) }.filter(\.isFinite)
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
            claims.append(Claim(
                claim: "A BPTT step is dominated by GEMMs: at least 50% of its time inside BLAS (hidden \(profile.units), batch \(profile.batchSize), T = \(profile.length))",
                measured: "\(Stats.format(profile.gemmShare * 100))% in BLAS, \(Stats.format(profile.activationShare * 100))% in activations, \(Stats.format(profile.secondsPerStep * 1000)) ms per step on \(profile.threads) threads",
                supported: profile.gemmShare >= 0.5))
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
