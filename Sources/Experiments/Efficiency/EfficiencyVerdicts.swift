extension EfficiencyResults {
    /// How much faster ReLU must be: the other activation needs ≥ 1.1× its epochs (or seconds).
    package static let speedMargin = 0.10

    /// The claims with the figures measured and the verdicts (rules in ``EfficiencyExperiment``),
    /// each at the shared rate and at the tuned rates.
    package func claims() -> [Claim] {
        let target = EfficiencyExperiment.percent(targetError)
        var claims: [Claim] = []
        for optimizer in optimizers where has("relu", optimizer) && has("tanh", optimizer) {
            let (ratio, bound) = ratio(of: "tanh", over: "relu", optimizer: optimizer)
            let relu = summary(activation: "relu", optimizer: optimizer)
            let tanh = summary(activation: "tanh", optimizer: optimizer)
            claims.append(Claim(
                claim: "Claim 1 (\(reading(optimizer, ["relu", "tanh"]))): ReLU reaches \(target) training error in "
                    + "fewer epochs than tanh, tanh needing ≥ \(margin)× ReLU's epochs with the seeds' spreads apart "
                    + "(Krizhevsky et al. 2012: 6× on CIFAR-10)",
                measured: "tanh needs \(times(ratio, bound)) the epochs of relu: relu "
                    + "\(epochsText(relu.epochsToTarget)), tanh \(epochsText(tanh.epochsToTarget)) epochs "
                    + "(mean ± sd over \(relu.epochsToTarget.count + relu.epochsToTarget.missing) seeds)",
                verdict: Verdict.exceeds(
                    SeedStatistics(relu.epochsToTargetBounded), SeedStatistics(tanh.epochsToTargetBounded),
                    by: .relative(Self.speedMargin), lowerIsBetter: true)))
        }
        for optimizer in optimizers.filter({ $0.hasPrefix(optimizers.first ?? "") }) where has("relu", optimizer) {
            let slow = ["tanh", "sigmoid"].filter { has($0, optimizer) }
            let relu = summary(activation: "relu", optimizer: optimizer)
            let verdicts = slow.map { other in
                Verdict.exceeds(
                    SeedStatistics(relu.secondsToTargetBounded),
                    SeedStatistics(summary(activation: other, optimizer: optimizer).secondsToTargetBounded),
                    by: .relative(Self.speedMargin), lowerIsBetter: true)
            }
            let timings = (["relu"] + slow).flatMap { summary(activation: $0, optimizer: optimizer).epochSeconds }
            let ratios = slow.map { ($0, ratio(of: $0, over: "relu", optimizer: optimizer, seconds: true)) }
            claims.append(Claim(
                claim: "Claim 1 (\(reading(optimizer, ["relu"] + slow)), wall time): ReLU reaches \(target) training error "
                    + "in less time than the sigmoidal units (\(slow.joined(separator: ", "))), each needing ≥ \(margin)× "
                    + "ReLU's seconds with the spreads apart; every run's epoch times within 25 % of their mean",
                measured: ratios.map { "\($0.0) needs \(times($0.1.ratio, $0.1.isLowerBound)) the time" }.joined(separator: ", ")
                    + " (relu \(SeedStatistics.format(relu.secondsToTarget.mean, digits: 2)) s)"
                    + (Verdict.timingCaveat(repetitions: timings).map { "; " + $0 } ?? ""),
                verdict: Verdict.timing(Verdict.all(verdicts), repetitions: timings)))
        }
        // A tuned reading that holds only claim 1's subjects (fewer than the shared six) is no leaderboard.
        let shared = optimizers.first { !$0.hasSuffix(NamedOptimizer.tunedSuffix) }.map { activations(for: $0).count } ?? 0
        for optimizer in optimizers where has("relu", optimizer)
            && (!optimizer.hasSuffix(NamedOptimizer.tunedSuffix) || activations(for: optimizer).count >= shared)
        {
            claims.append(leaderboardClaim(optimizer))
        }
        return claims
    }

    /// Claim 7 under one optimiser reading: ReLU's rank by mean test accuracy and whether its
    /// gap to the best lies within the seeds' spread.
    private func leaderboardClaim(_ optimizer: String) -> Claim {
        let board = leaderboard(optimizer: optimizer)
        let (verdict, rank, relu, withinSpread) = Verdict.amongTheBest(board)
        let gap = (board[0].accuracy.mean - relu.mean) * 100
        return Claim(
            claim: "Claim 7 (\(reading(optimizer, board.map(\.activation), all: true))): ReLU is among the best-performing "
                + "of \(board.count) activations: its test accuracy's spread (mean ± sd over seeds) reaches the best's; "
                + "not supported when wholly below it and ranked in the lower half",
            measured: "relu rank \(rank) of \(board.count), \(percent(relu)); best \(board[0].activation) "
                + "\(percent(board[0].accuracy)); gap \(SeedStatistics.fixed(gap, decimals: 2)) points, "
                + (withinSpread ? "within" : "outside") + " the seeds' spread",
            verdict: verdict)
    }

    /// "adam, shared rate 0.001" or "adam, tuned rates: relu 0.00316, tanh 0.001"; `all`
    /// names only the range of the tuned rates (for the leaderboard).
    private func reading(_ optimizer: String, _ activations: [String], all: Bool = false) -> String {
        let base = optimizer.hasSuffix(NamedOptimizer.tunedSuffix)
            ? String(optimizer.dropLast(NamedOptimizer.tunedSuffix.count)) : optimizer
        let rates = activations.compactMap { activation in learningRate(activation: activation, optimizer: optimizer).map { (activation, $0) } }
        guard optimizer.hasSuffix(NamedOptimizer.tunedSuffix) else {
            return rates.first.map { "\(base), shared rate \(LearningRateTuning.text($0.1))" } ?? base
        }
        if all {
            let values = rates.map(\.1)
            guard let low = values.min(), let high = values.max() else { return "\(base), tuned rates" }
            return "\(base), each at its tuned rate (\(LearningRateTuning.text(low))…\(LearningRateTuning.text(high)))"
        }
        return "\(base), tuned rates: " + rates.map { "\($0.0) \(LearningRateTuning.text($0.1))" }.joined(separator: ", ")
    }

    /// Per optimiser and activation, the numbers behind the claims (numeric CSV columns), and
    /// the same per seed, and the tuned rates.
    package func tables() -> [ResultTable] {
        let columns = ["optimizer", "activation", "learning_rate"]
        var summaries: [SeedTable.Row] = [], perSeed: [[String]] = []
        for optimizer in optimizers {
            for activation in activations(for: optimizer) {
                let s = summary(activation: activation, optimizer: optimizer)
                let setting = [optimizer, activation, SeedTable.number(learningRate(activation: activation, optimizer: optimizer))]
                let runs = trials.matching(activation: activation, optimizer: optimizer)
                let epochs = runs.map { $0.diverged ? .infinity : $0.epochsToReach(trainError: targetError) ?? .infinity }
                summaries += [
                    SeedTable.Row(setting: setting, figure: "epochs_to_target", values: epochs),
                    SeedTable.Row(setting: setting, figure: "epochs_to_target_at_least", values: s.epochsToTargetBounded),
                    SeedTable.Row(setting: setting, figure: "seconds_to_target", values: zip(epochs, runs).map { $0 * $1.medianEpochSeconds }),
                    SeedTable.Row(
                        setting: setting, figure: "final_train_error",
                        values: runs.map { $0.diverged ? 1 - chanceAccuracy : $0.trainErrors.last ?? .nan }),
                    SeedTable.Row(
                        setting: setting, figure: "final_validation_accuracy",
                        values: runs.map { $0.diverged ? chanceAccuracy : $0.validationAccuracies.last ?? .nan }),
                    SeedTable.Row(
                        setting: setting, figure: "test_accuracy",
                        values: runs.map { $0.diverged ? chanceAccuracy : $0.testAccuracy ?? .nan }),
                    SeedTable.Row(setting: setting, figure: "seconds_per_epoch", values: runs.map(\.medianEpochSeconds)),
                ]
                perSeed += zip(runs, epochs).map { run, epochs in
                    setting + [
                        "\(run.seed)", SeedTable.number(epochs),
                        SeedTable.number(run.diverged ? nil : run.trainErrors.last),
                        SeedTable.number(run.diverged ? nil : run.validationAccuracies.last),
                        SeedTable.number(run.diverged ? nil : run.testAccuracy),
                        SeedTable.number(run.medianEpochSeconds), run.diverged ? "1" : "0",
                    ]
                }
            }
        }
        var tables = [
            SeedTable.summary(
                title: "Time to \(EfficiencyExperiment.percent(targetError)) training error and final figures over seeds "
                    + "(epochs_to_target leaves out seeds that never reached it; epochs_to_target_at_least counts them as "
                    + "the whole budget)",
                settingColumns: columns, rows: summaries),
            ResultTable(
                title: "Every run (empty: not reached, or diverged)",
                columns: columns + [
                    "seed", "epochs_to_target", "final_train_error", "final_validation_accuracy", "test_accuracy",
                    "seconds_per_epoch", "diverged",
                ],
                rows: perSeed),
        ]
        if let tunedRates { tables.append(tunedRates.table) }
        return tables
    }

    private func has(_ activation: String, _ optimizer: String) -> Bool {
        trials.contains { $0.activation == activation && $0.optimizer == optimizer }
    }

    private var margin: String { SeedStatistics.format(1 + Self.speedMargin, digits: 2) }

    /// "2.3×", or "≥ 2.3×" when the figure is a lower bound.
    private func times(_ ratio: Double, _ isLowerBound: Bool) -> String {
        (isLowerBound ? "≥ " : "") + SeedStatistics.format(ratio, digits: 2) + "×"
    }

    private func percent(_ statistics: SeedStatistics) -> String {
        statistics.count == 0 ? "n/a"
            : SeedStatistics.percent(statistics.mean) + (statistics.count > 1 ? " ± " + SeedStatistics.fixed(statistics.standardDeviation * 100, decimals: 1) : "")
    }

    private func epochsText(_ statistics: SeedStatistics) -> String {
        statistics.count == 0 ? "never (≥ \(epochs))"
            : statistics.formatted(digits: 3) + (statistics.missing > 0 ? ", the others never (≥ \(epochs))" : "")
    }
}
