extension ConvolutionalResults {
    /// The claims, each judged by its ``ThreeWayVerdict`` rule (see ``ConvolutionalExperiment``).
    package func claims() -> [Claim] {
        var claims: [Claim] = []
        let names = activations.map(\.activation)
        let seeds = seedCount
        if names.contains("relu"), names.contains("tanh") {
            for target in targets {
                let verdict = ThreeWayVerdict.faster(
                    bounds("relu", target: target), than: bounds("tanh", target: target), margin: Self.speedMargin)
                let paper = target == 0.25 ? " (Krizhevsky et al. 2012, Figure 1: 6× on CIFAR-10)" : ""
                claims.append(verdict.requiring(seeds: seeds).claim(
                    "Claim 1 on the CNN: ReLU reaches \(Self.percent(target)) training error in at least 10 % fewer "
                        + "epochs than tanh, each at its tuned rate\(paper)",
                    measured: "tanh needs \(ratioText(of: "tanh", target: target)) the epochs of relu (paper: 6×): "
                        + "relu \(epochsText("relu", target: target)), tanh \(epochsText("tanh", target: target)) epochs "
                        + "(mean ± sd of \(seeds) seeds; rates relu \(rateText("relu")), tanh \(rateText("tanh")))",
                    seeds: seeds))
            }
        }
        let sigmoidal = ["tanh", "sigmoid"].filter(names.contains)
        if names.contains("relu"), !sigmoidal.isEmpty, let target = targets.first {
            let verdicts = sigmoidal.map {
                ThreeWayVerdict.faster(
                    bounds("relu", target: target, seconds: true), than: bounds($0, target: target, seconds: true),
                    margin: Self.speedMargin)
            }
            let verdict: ThreeWayVerdict = verdicts.allSatisfy { $0 == .supported } ? .supported
                : verdicts.contains(.notSupported) ? .notSupported : .inconclusive
            let relu = SeedStatistics(timesToTarget("relu", target: target, seconds: true))
            claims.append(verdict.requiring(seeds: seeds).claim(
                "Claim 1 on the CNN, wall time: ReLU reaches \(Self.percent(target)) training error in at least 10 % "
                    + "less time than the sigmoidal units (\(sigmoidal.joined(separator: ", ")))",
                measured: sigmoidal.map { "\($0) needs \(ratioText(of: $0, target: target, seconds: true)) the time" }
                    .joined(separator: ", ") + " (relu \(relu.formatted(digits: 3)) s)",
                seeds: seeds))
        }
        if names.contains("relu"), names.count > 1 {
            let field = names.filter { $0 != "relu" }
            let verdict = ThreeWayVerdict.amongBest(
                finalAccuracies("relu"), field: field.map(finalAccuracies), margin: Self.accuracyMargin)
            let ranked = names.map { ($0, SeedStatistics(finalAccuracies($0)).mean) }.sorted { $0.1 > $1.1 }
            let rank = (ranked.firstIndex { $0.0 == "relu" } ?? 0) + 1
            claims.append(verdict.requiring(seeds: seeds).claim(
                "Claim 7 on the CNN: ReLU is among the best-performing activations (every seed's final validation "
                    + "accuracy at least the median of the other \(field.count) activations' means, less half a point)",
                measured: "relu \(accuracyText("relu")), rank \(rank) of \(names.count); best \(ranked[0].0) "
                    + "\(accuracyText(ranked[0].0)); median of the others "
                    + SeedStatistics.percent(ThreeWayVerdict.median(field.map { SeedStatistics(finalAccuracies($0)).mean }), decimals: 2),
                seeds: seeds))
        }
        return claims
    }

    /// Per activation: tuned rate, epochs and seconds to each target and their ratio to
    /// ReLU's, final errors; and every tuning score.
    package func tables() -> [ResultTable] {
        let timing = activations.map { entry -> [String] in
            let name = entry.activation
            var row = [name, SeedStatistics.format(entry.tunedLearningRate, digits: 3)]
            for target in targets {
                row.append(epochsText(name, target: target))
                row.append(ratioText(of: name, target: target))
            }
            row.append(SeedStatistics(timesToTarget(name, target: targets.first ?? 0.25, seconds: true)).formatted(digits: 3))
            row.append(ratioText(of: name, target: targets.first ?? 0.25, seconds: true))
            row.append(accuracyText(name))
            row.append(SeedStatistics(finalTrainErrors(name).map { $0 * 100 }).formatted(digits: 3))
            row.append("\(entry.runs.filter(\.diverged).count)")
            return row
        }
        let targetColumns = targets.flatMap { ["epochs to \(Self.percent($0))", "\(Self.percent($0)): epochs vs relu"] }
        let first = Self.percent(targets.first ?? 0.25)
        let tuningRows = activations.flatMap { entry in
            entry.tuning.map {
                [
                    entry.activation, SeedStatistics.format($0.learningRate, digits: 3),
                    SeedStatistics.percent($0.validationAccuracy, decimals: 2), "\($0.diverged)",
                    $0.learningRate == entry.tunedLearningRate ? "chosen" : "",
                ]
            }
        }
        return [
            ResultTable(
                title: "Epochs and seconds to the training-error targets, each activation at its tuned rate "
                    + "(mean ± sd over seeds)",
                columns: ["activation", "tuned learning rate"] + targetColumns + [
                    "seconds to \(first)", "\(first): seconds vs relu", "final validation accuracy",
                    "final training error (%)", "diverged",
                ],
                rows: timing),
            ResultTable(
                title: "Rate tuning: mean validation accuracy of the tuning seeds at each rate",
                columns: ["activation", "learning rate", "validation accuracy", "diverged", "chosen"],
                rows: tuningRows),
        ]
    }

    static func percent(_ fraction: Double) -> String {
        SeedStatistics.format(fraction * 100, digits: 3) + " %"
    }

    func ratioText(of activation: String, target: Double, seconds: Bool = false) -> String {
        guard let ratio = ratio(of: activation, over: "relu", target: target, seconds: seconds) else { return "n/a" }
        return ratio.qualifier + SeedStatistics.format(ratio.ratio, digits: 2) + "×"
    }

    private func epochsText(_ activation: String, target: Double) -> String {
        let statistics = SeedStatistics(timesToTarget(activation, target: target))
        return statistics.count == 0 ? "never (> \(epochs))" : statistics.formatted(digits: 3)
    }

    private func accuracyText(_ activation: String) -> String {
        let statistics = SeedStatistics(finalAccuracies(activation))
        return SeedStatistics.percent(statistics.mean, decimals: 2) + " ± "
            + SeedStatistics.percent(statistics.standardDeviation, decimals: 2)
    }

    private func rateText(_ activation: String) -> String {
        run(activation).map { SeedStatistics.format($0.tunedLearningRate, digits: 3) } ?? "n/a"
    }
}
