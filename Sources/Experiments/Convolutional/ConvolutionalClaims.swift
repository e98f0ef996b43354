extension ConvolutionalResults {
    /// The claims, judged by the rules of the efficiency experiment's perceptron, so the two
    /// networks are judged alike (rules in ``ConvolutionalExperiment``).
    package func claims() -> [Claim] {
        var claims: [Claim] = []
        let names = activations.map(\.activation)
        let margin = SeedStatistics.format(1 + Self.speedMargin, digits: 2)
        if names.contains("relu"), names.contains("tanh") {
            for target in targets {
                let paper = target == 0.25 ? " (Krizhevsky et al. 2012, Figure 1: 6× on CIFAR-10)" : ""
                claims.append(Claim(
                    claim: "Claim 1 on the CNN (SGD + momentum, tuned rates: relu \(rate("relu")), tanh \(rate("tanh"))): "
                        + "ReLU reaches \(Self.percent(target)) training error in fewer epochs than tanh, tanh needing "
                        + "≥ \(margin)× ReLU's epochs at the worst reading of the seeds' spreads\(paper)",
                    measured: "tanh needs \(ratioText(of: "tanh", target: target)) the epochs of relu (paper: 6×): relu "
                        + "\(epochsText("relu", target: target)), tanh \(epochsText("tanh", target: target)) epochs "
                        + "(mean ± sd over \(seedCount) seeds)",
                    verdict: Verdict.exceeds(
                        SeedStatistics(boundedTimes("relu", target: target)),
                        SeedStatistics(boundedTimes("tanh", target: target)),
                        by: .relative(Self.speedMargin), lowerIsBetter: true)))
            }
        }
        let slow = ["tanh", "sigmoid"].filter(names.contains)
        if names.contains("relu"), !slow.isEmpty, let target = targets.first {
            let relu = SeedStatistics(boundedTimes("relu", target: target, seconds: true))
            let verdicts = slow.map {
                Verdict.exceeds(
                    relu, SeedStatistics(boundedTimes($0, target: target, seconds: true)), by: .relative(Self.speedMargin),
                    lowerIsBetter: true)
            }
            let timings = (["relu"] + slow).flatMap { runs($0).map { SeedStatistics($0.records.map(\.seconds)) } }
            claims.append(Claim(
                claim: "Claim 1 on the CNN (wall time): ReLU reaches \(Self.percent(target)) training error in less time "
                    + "than the sigmoidal units (\(slow.joined(separator: ", "))), each needing ≥ \(margin)× ReLU's "
                    + "seconds at the worst reading of the spreads; every run's epoch times within 25 % of their mean",
                measured: slow.map { "\($0) needs \(ratioText(of: $0, target: target, seconds: true)) the time" }
                    .joined(separator: ", ") + " (relu \(SeedStatistics.format(relu.mean, digits: 2)) s)"
                    + (Verdict.timingCaveat(repetitions: timings).map { "; " + $0 } ?? ""),
                verdict: Verdict.timing(Verdict.all(verdicts), repetitions: timings)))
        }
        if names.contains("relu"), names.count > 1 { claims.append(leaderboardClaim()) }
        return claims
    }

    /// Every activation by mean test accuracy, best first.
    package var leaderboard: [(activation: String, accuracy: SeedStatistics)] {
        activations.map { ($0.activation, SeedStatistics(finalFigure($0.activation, .testAccuracy))) }
            .sorted { ($0.accuracy.mean.isNaN ? -1 : $0.accuracy.mean) > ($1.accuracy.mean.isNaN ? -1 : $1.accuracy.mean) }
    }

    /// Claim 7 by the efficiency experiment's rule: supported when ReLU ranks first or its
    /// mean + sd reaches the best other's mean − sd; not supported when it is below that and
    /// ranked in the lower half; inconclusive otherwise.
    private func leaderboardClaim() -> Claim {
        let board = leaderboard
        let (verdict, rank, relu, withinSpread) = Verdict.amongTheBest(board)
        return Claim(
            claim: "Claim 7 on the CNN (SGD + momentum, each at its tuned rate): ReLU is among the best-performing of "
                + "\(board.count) activations: its test accuracy's spread (mean ± sd over seeds) reaches the best's; "
                + "not supported when wholly below it and ranked in the lower half",
            measured: "relu rank \(rank) of \(board.count), \(accuracyText(relu)); best \(board[0].activation) "
                + "\(accuracyText(board[0].accuracy)); gap "
                + SeedStatistics.fixed((board[0].accuracy.mean - relu.mean) * 100, decimals: 2) + " points, "
                + (withinSpread ? "within" : "outside") + " the seeds' spread",
            verdict: verdict)
    }

    /// Over seeds per activation (numeric columns), every run, and the tuned rates.
    package func tables() -> [ResultTable] {
        var summaries: [SeedTable.Row] = [], perSeed: [[String]] = []
        for entry in activations {
            let name = entry.activation
            let setting = [name, SeedTable.number(entry.tuning.tunedLearningRate)]
            for target in targets {
                let label = LearningRateTuning.text(target * 100)
                summaries += [
                    SeedTable.Row(setting: setting, figure: "epochs_to_\(label)", values: timesToTarget(name, target: target)),
                    SeedTable.Row(
                        setting: setting, figure: "epochs_to_\(label)_at_least", values: boundedTimes(name, target: target)),
                    SeedTable.Row(
                        setting: setting, figure: "seconds_to_\(label)", values: timesToTarget(name, target: target, seconds: true)),
                ]
            }
            summaries += [
                SeedTable.Row(setting: setting, figure: "final_train_error", values: finalFigure(name, .trainError)),
                SeedTable.Row(setting: setting, figure: "final_validation_accuracy", values: finalFigure(name, .validationAccuracy)),
                SeedTable.Row(setting: setting, figure: "test_accuracy", values: finalFigure(name, .testAccuracy)),
                SeedTable.Row(setting: setting, figure: "seconds_per_epoch", values: entry.runs.map(\.medianEpochSeconds)),
            ]
            perSeed += entry.runs.map { run in
                setting + ["\(run.seed)"]
                    + targets.map { SeedTable.number(run.diverged ? nil : run.epochsToReach(trainError: $0)) } + [
                        SeedTable.number(run.diverged ? nil : run.trainErrors.last),
                        SeedTable.number(run.diverged ? nil : run.testAccuracy),
                        SeedTable.number(run.medianEpochSeconds), run.diverged ? "1" : "0",
                    ]
            }
        }
        let columns = ["activation", "learning_rate"]
        return [
            SeedTable.summary(
                title: "Epochs and seconds to the training-error targets (epochs_to_T leaves out seeds that never reached "
                    + "T; epochs_to_T_at_least counts them as the whole budget) and final figures, over seeds",
                settingColumns: columns, rows: summaries),
            ResultTable(
                title: "Every run (empty: not reached, or diverged)",
                columns: columns + ["seed"] + targets.map { "epochs_to_" + LearningRateTuning.text($0 * 100) }
                    + ["final_train_error", "test_accuracy", "seconds_per_epoch", "diverged"],
                rows: perSeed),
            TunedRates(rates: activations.map(\.tuning)).table,
        ]
    }

    /// "25 %", "12.5 %".
    static func percent(_ fraction: Double) -> String {
        LearningRateTuning.text(fraction * 100) + " %"
    }

    private func rate(_ activation: String) -> String {
        activations.first { $0.activation == activation }.map { LearningRateTuning.text($0.tuning.tunedLearningRate) } ?? "n/a"
    }

    private func epochsText(_ activation: String, target: Double) -> String {
        let statistics = SeedStatistics(timesToTarget(activation, target: target))
        return statistics.count == 0 ? "never (> \(epochs))" : statistics.formatted(digits: 3)
    }

    private func accuracyText(_ statistics: SeedStatistics) -> String {
        SeedStatistics.percent(statistics.mean, decimals: 2) + " ± " + SeedStatistics.percent(statistics.standardDeviation, decimals: 2)
    }
}
