/// One profiled training epoch.
package struct TrainingStepProfile: Codable, Sendable {
    package let activation: String
    package let seed: UInt64
    /// The epoch's training steps, in seconds, and the parts spent in GEMM and in activations.
    package let epochSeconds: Double, gemmSeconds: Double, activationSeconds: Double
    /// Optimiser steps in the epoch.
    package let batches: Int

    /// The fraction of the epoch spent in activation layers.
    package var activationShare: Double { activationSeconds / epochSeconds }
    /// The fraction spent in matrix products.
    package var gemmShare: Double { gemmSeconds / epochSeconds }
}

/// The cost experiment's raw numbers and what follows from them.
package struct CostResults: Codable, Sendable {
    /// Every kernel timing (one row per operation, direction and repetition; `copy` rows give
    /// the memory-bandwidth floor).
    package let kernels: [ActivationBenchmark.Measurement]
    package let steps: [TrainingStepProfile]

    /// ns/element of `operation` in `direction` over the repetitions.
    package func nanoseconds(_ operation: String, _ direction: String) -> SeedStatistics {
        SeedStatistics(kernels.filter { $0.op == operation && $0.direction == direction }.map(\.nsPerElement))
    }

    /// The activation share of a training step for `activation`, over seeds.
    package func activationShare(_ activation: String) -> SeedStatistics {
        SeedStatistics(steps.filter { $0.activation == activation }.map(\.activationShare))
    }

    /// The activations whose training steps were profiled, in order.
    package var profiledActivations: [String] {
        steps.reduce(into: [String]()) { if !$0.contains($1.activation) { $0.append($1.activation) } }
    }

    /// The kernels timed, in order (without copy).
    package var kernelOperations: [String] {
        kernels.reduce(into: [String]()) { if $1.op != "copy", !$0.contains($1.op) { $0.append($1.op) } }
    }

    package func claims() -> [Claim] {
        let rivals = ["softplus", "sigmoid", "tanh"]
        var claims: [Claim] = []
        let forward = nanoseconds("relu", "forward").mean, backward = nanoseconds("relu", "backward").mean
        let cheapest = { (direction: String) in
            rivals.map { ($0, nanoseconds($0, direction).mean) }.min { $0.1 < $1.1 }!
        }
        let (forwardRival, forwardRivalTime) = cheapest("forward")
        let (backwardRival, backwardRivalTime) = cheapest("backward")
        let kernelTimes = ["forward", "backward"].flatMap { direction in
            (["relu"] + rivals).map { nanoseconds($0, direction) }
        }
        let kernelVerdicts = ["forward", "backward"].flatMap { direction in
            rivals.map { Verdict.exceeds(nanoseconds("relu", direction), nanoseconds($0, direction), lowerIsBetter: true) }
        }
        claims.append(Claim(
            claim: "Claim 5: ReLU is cheaper to evaluate than softplus, sigmoid and tanh (forward and backward; "
                + "mean ± sd over ≥ \(Verdict.minimumTimings) repetitions, the spreads apart)",
            measured: "relu \(ns(nanoseconds("relu", "forward"))) forward, \(ns(nanoseconds("relu", "backward"))) backward; "
                + "cheapest rival \(forwardRival) \(ns(nanoseconds(forwardRival, "forward"))) forward "
                + "(\(SeedStatistics.format(forwardRivalTime / forward, digits: 2))×), \(backwardRival) "
                + "\(ns(nanoseconds(backwardRival, "backward"))) backward (\(SeedStatistics.format(backwardRivalTime / backward, digits: 2))×); "
                + "copy \(ns(nanoseconds("copy", "forward")))"
                + (Verdict.timingCaveat(repetitions: kernelTimes).map { "; " + $0 } ?? ""),
            verdict: Verdict.timing(Verdict.all(kernelVerdicts), repetitions: kernelTimes)))
        let profiled = profiledActivations.filter { $0 == "relu" || rivals.contains($0) }
        if profiled.contains("relu"), profiled.count > 1 {
            let others = profiled.filter { $0 != "relu" }
            let epochs = profiled.map { activation in SeedStatistics(steps.filter { $0.activation == activation }.map(\.epochSeconds)) }
            claims.append(Claim(
                claim: "Claim 5 (in training): the share of a training step spent in activations is smaller with ReLU "
                    + "than with \(others.joined(separator: ", ")) (mean ± sd over ≥ \(Verdict.minimumTimings) profiled "
                    + "epochs, the spreads apart)",
                measured: profiled.map { "\($0) \(SeedStatistics.percent(activationShare($0).mean))" }.joined(separator: ", ")
                    + (Verdict.timingCaveat(repetitions: epochs).map { "; " + $0 } ?? ""),
                verdict: Verdict.timing(
                    Verdict.all(others.map { Verdict.exceeds(activationShare("relu"), activationShare($0), lowerIsBetter: true) }),
                    repetitions: epochs)))
        }
        return claims
    }

    package func tables() -> [ResultTable] {
        let copy = nanoseconds("copy", "forward").mean, relu = nanoseconds("relu", "forward").mean
        var kernelRows: [SeedTable.Row] = [], ratioRows: [[String]] = []
        for operation in kernelOperations {
            for direction in ["forward", "backward"] {
                let values = kernels.filter { $0.op == operation && $0.direction == direction }.map(\.nsPerElement)
                guard !values.isEmpty else { continue }
                kernelRows.append(SeedTable.Row(setting: [operation, direction], figure: "ns_per_element", values: values))
            }
            let forward = nanoseconds(operation, "forward").mean
            ratioRows.append([operation, SeedTable.number(forward / copy), SeedTable.number(forward / relu)])
        }
        var stepRows: [SeedTable.Row] = []
        for activation in profiledActivations {
            let runs = steps.filter { $0.activation == activation }
            let figures: [(String, (TrainingStepProfile) -> Double)] = [
                ("epoch_seconds", \.epochSeconds),
                ("ms_per_step", { $0.epochSeconds / Double(max($0.batches, 1)) * 1000 }),
                ("gemm_share", \.gemmShare), ("activation_share", \.activationShare),
                ("elsewhere_share", { 1 - $0.gemmShare - $0.activationShare }),
            ]
            for (figure, value) in figures {
                stepRows.append(SeedTable.Row(setting: [activation], figure: figure, values: runs.map(value)))
            }
        }
        return [
            SeedTable.summary(
                title: "Kernel time in ns/element over repetitions of the median", settingColumns: ["activation", "direction"],
                rows: kernelRows),
            ResultTable(
                title: "Forward time against a copy and against ReLU (ratios of the means)",
                columns: ["activation", "forward_vs_copy", "forward_vs_relu"], rows: ratioRows),
            SeedTable.summary(
                title: "Where a training step's time goes (784-256-128-10, Adam, batch 128; shares of the step)",
                settingColumns: ["activation"], rows: stepRows),
        ]
    }

    /// "0.0827 ± 0.0031 ns/element".
    private func ns(_ times: SeedStatistics) -> String { times.formatted(digits: 3) + " ns/element" }
}
