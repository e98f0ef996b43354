extension EfficiencyResults {
    /// The claims with the figures measured and the verdicts (rules in ``EfficiencyExperiment``).
    package func claims() -> [Claim] {
        let target = EfficiencyExperiment.percent(targetError)
        var claims: [Claim] = []
        for optimizer in optimizers where activations.contains("relu") && activations.contains("tanh") {
            let (ratio, bound) = ratio(of: "tanh", over: "relu", optimizer: optimizer)
            let relu = summary(activation: "relu", optimizer: optimizer)
            let tanh = summary(activation: "tanh", optimizer: optimizer)
            claims.append(Claim(
                claim: "Claim 1 (\(optimizer)): ReLU reaches \(target) training error in fewer epochs than tanh "
                    + "(Krizhevsky et al. 2012: 6× on CIFAR-10)",
                measured: "tanh needs \(bound ? "≥ " : "")\(SeedStatistics.format(ratio, digits: 2))× the epochs of relu: relu "
                    + "\(epochsText(relu.epochsToTarget)), tanh \(epochsText(tanh.epochsToTarget)) epochs "
                    + "(mean ± sd over \(relu.epochsToTarget.count + relu.epochsToTarget.missing) seeds)",
                supported: separates("relu", from: "tanh", optimizer: optimizer)))
        }
        if let first = optimizers.first, activations.contains("relu") {
            let slow = ["tanh", "sigmoid"].filter(activations.contains)
            let ratios = slow.map { ($0, ratio(of: $0, over: "relu", optimizer: first, seconds: true)) }
            claims.append(Claim(
                claim: "Claim 1 (\(first), wall time): ReLU reaches \(target) training error in less time than "
                    + "the sigmoidal units (\(slow.joined(separator: ", ")))",
                measured: ratios.map { "\($0.0) needs \($0.1.isLowerBound ? "≥ " : "")\(SeedStatistics.format($0.1.ratio, digits: 2))× the time" }
                    .joined(separator: ", ")
                    + " (relu \(SeedStatistics.format(summary(activation: "relu", optimizer: first).secondsToTarget.mean, digits: 2)) s)",
                supported: slow.allSatisfy { separates("relu", from: $0, optimizer: first, seconds: true) }))
        }
        if activations.contains("relu") {
            let half = (activations.count + 1) / 2
            let ranks = optimizers.map { ($0, accuracyRank(of: "relu", optimizer: $0)) }
            claims.append(Claim(
                claim: "Claim 7: ReLU is among the best-performing activations (its mean final validation "
                    + "accuracy ranks in the top \(half) of \(activations.count), for every optimiser)",
                measured: ranks.map { optimizer, rank in
                    let relu = summary(activation: "relu", optimizer: optimizer).finalValidationAccuracy
                    return "\(optimizer): rank \(rank.rank), \(SeedStatistics.percent(relu.mean)) (best \(rank.best) \(SeedStatistics.percent(rank.bestAccuracy)))"
                }.joined(separator: "; "),
                supported: ranks.allSatisfy { $0.1.rank <= half }))
        }
        return claims
    }

    /// Per optimiser and activation: epochs and seconds to target, final errors, speed.
    package func tables() -> [ResultTable] {
        let rows = optimizers.flatMap { optimizer in
            activations.map { activation -> [String] in
                let s = summary(activation: activation, optimizer: optimizer)
                return [
                    optimizer, activation, epochsText(s.epochsToTarget), s.secondsToTarget.formatted(digits: 3),
                    "\(SeedStatistics.format(ratio(of: activation, over: "relu", optimizer: optimizer).ratio, digits: 2))×",
                    s.finalTrainError.count > 0 ? SeedStatistics.percent(s.finalTrainError.mean) + " ± " + SeedStatistics.percent(s.finalTrainError.standardDeviation) : "n/a",
                    s.finalValidationAccuracy.count > 0
                        ? SeedStatistics.percent(s.finalValidationAccuracy.mean) + " ± " + SeedStatistics.percent(s.finalValidationAccuracy.standardDeviation) : "n/a",
                    SeedStatistics.format(s.secondsPerEpoch.mean, digits: 3),
                    "\(s.diverged)",
                ]
            }
        }
        return [ResultTable(
            title: "Time to \(EfficiencyExperiment.percent(targetError)) training error and final figures (mean ± sd over seeds)",
            columns: [
                "optimizer", "activation", "epochs to target", "seconds to target", "epochs vs relu",
                "final train error", "final validation accuracy", "s/epoch", "diverged",
            ],
            rows: rows)]
    }

    private func epochsText(_ statistics: SeedStatistics) -> String {
        statistics.count == 0 ? "never (> \(epochs))" : statistics.formatted(digits: 3)
    }
}
