import Plotting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The precision experiment's table, plots and verdicts, computed from its results.
package struct PrecisionReport {
    let results: [PrecisionResult]
    /// The network's layer sizes, "784-256-128-10".
    let architecture: String

    package init(results: [PrecisionResult], architecture: String = "784-256-128-10") {
        self.results = results
        self.architecture = architecture
    }

    static let types = ["float64", "float32", "int8"]

    /// The targets for ReLU in int8 (claim 4).
    static let accuracyDropLimit = 0.005
    static let agreementTarget = 0.99
    static let speedUpTarget = 2.0

    var activations: [String] {
        var seen: [String] = []
        for result in results where !seen.contains(result.activation) { seen.append(result.activation) }
        return seen
    }

    func result(_ activation: String, _ type: String) -> PrecisionResult? {
        results.first { $0.activation == activation && $0.type == type }
    }

    func summary(plan: PrecisionExperiment.Plan, trainingCount: Int, testCount: Int) -> String {
        "Each activation's \(architecture) network is trained once per seed in Float32 (\(trainingCount) "
            + "training images, \(plan.epochs) epochs), then run as Float64 (the same weights widened), "
            + "Float32 and int8 (int8 weights with one scale per unit, int32 biases, uint8 activations "
            + "calibrated by min/max on \(PrecisionExperiment.calibrationCount) training images, integer-only "
            + "inference with the activation fused into the requantisation or a 256-entry table). Accuracy and "
            + "agreement are on \(testCount) test images, averaged over \(plan.seeds.count) seed(s); samples/s are the "
            + "first seed's model on one thread (median call); model bytes are the sizes of the float model file "
            + "(safetensors, F64 or F32, no training state) and of the int8 model file. A seed whose training "
            + "diverges (a NaN or infinite loss) keeps the weights of its last good epoch, which are still compared "
            + "across number types; a diverged ReLU seed fails claim 4."
    }

    func table() -> ResultTable {
        var rows: [[String]] = []
        for activation in activations {
            for type in Self.types {
                guard let row = result(activation, type) else { continue }
                rows.append([
                    activation, type, SeedTable.number(row.testAccuracy), SeedTable.number(row.agreementWithFloat64),
                    String(format: "%.0f", row.samplesPerSecond), String(format: "%.0f", row.samplesPerSecondBatch1),
                    "\(row.modelBytes)", String(row.divergedPerSeed.filter { $0 }.count),
                ])
            }
        }
        return ResultTable(
            title: "Test accuracy and agreement with Float64 (fractions, mean over seeds), speed (samples/s, 1 thread) and size per activation and number type",
            columns: ["activation", "type", "test_accuracy", "agreement_with_float64", "samples_per_second_batch_1024",
                      "samples_per_second_batch_1", "model_bytes", "diverged_seeds"],
            rows: rows)
    }

    /// Claim 4 (ReLU suits 8-bit fixed point) and the int8 speed target, from the ReLU rows.
    package func claims() -> [Claim] {
        guard let int8 = result("relu", "int8"), let float32 = result("relu", "float32") else { return [] }
        let differences = zip(int8.testAccuracyPerSeed, float32.testAccuracyPerSeed).map { $0 - $1 }
        let others = activations.filter { $0 != "relu" }.compactMap { result($0, "int8") }
        let worst = others.min { $0.agreementWithFloat64 < $1.agreementWithFloat64 }
        let worstText = worst.map {
            "; lowest agreement among the others: \($0.activation) \(SeedStatistics.percent($0.agreementWithFloat64, decimals: 2))"
        } ?? ""
        let speedUp = float32.samplesPerSecond > 0 ? int8.samplesPerSecond / float32.samplesPerSecond : 0
        let diverged = float32.divergedPerSeed.filter { $0 }.count
        let divergedText = diverged == 0 ? "" : "; \(diverged) ReLU seed(s) diverged in training, which fails the claim"
        let sizeRatio = Double(int8.modelBytes) / Double(max(float32.modelBytes, 1))
        return [
            Claim(
                claim: "Claim 4: ReLU suits 8-bit fixed point (no transcendental function; in a quantised network it is "
                    + "only the lower clamp of the requantisation): int8 test accuracy within 0.5 percentage points of "
                    + "Float32 and ≥ 99% of predictions equal to Float64's (\(architecture)): per seed, int8 − Float32 in "
                    + "test accuracy above −0.5 points and the agreement above 99%, each with its spread over seeds (mean ± sd); "
                    + "a diverged ReLU seed fails it",
                measured: "ReLU int8 \(SeedStatistics.percent(int8.testAccuracy, decimals: 2)) vs Float32 "
                    + "\(SeedStatistics.percent(float32.testAccuracy, decimals: 2)) (per seed \(points(differences)) points), "
                    + "agreement with Float64 \(SeedStatistics.percent(int8.agreementWithFloat64, decimals: 2)) "
                    + "(\(points(int8.agreementWithFloat64PerSeed))%)" + worstText + divergedText,
                verdict: diverged > 0 ? .notSupported : Verdict.all([
                    Verdict.paired(differences, margin: -Self.accuracyDropLimit),
                    Verdict.beyond(int8.agreementWithFloat64PerSeed, Self.agreementTarget),
                ])),
            speedClaim(int8: int8, float32: float32, speedUp: speedUp, sizeRatio: sizeRatio),
        ]
    }

    /// "+0.05 ± 0.02" in percentage points from fractions over seeds.
    private func points(_ fractions: [Double]) -> String {
        SeedStatistics(fractions.map { $0 * 100 }).formatted(digits: 3)
    }

    /// int8 against Float32 in speed (a timing verdict over the timed calls: int8's mean
    /// samples/s ≥ 2× Float32's with the spreads apart, ≥ 5 calls each, each spread within 25 %
    /// of its mean) and in bytes (≤ 0.27×).
    private func speedClaim(int8: PrecisionResult, float32: PrecisionResult, speedUp: Double, sizeRatio: Double) -> Claim {
        let int8Calls = SeedStatistics(int8.samplesPerSecondCalls ?? [int8.samplesPerSecond])
        let float32Calls = SeedStatistics(float32.samplesPerSecondCalls ?? [float32.samplesPerSecond])
        let speed = Verdict.exceeds(int8Calls, float32Calls, by: .relative(Self.speedUpTarget - 1))
        let size: Verdict = sizeRatio <= 0.27 ? .supported : .notSupported
        return Claim(
            claim: "int8 inference runs at ≥ 2× the samples/s of Float32 at batch 1024 on one thread (mean ± sd over "
                + "≥ \(Verdict.minimumTimings) timed calls, the spreads apart), in ≤ 0.27× the bytes",
            measured: String(format: "%.2f× the samples/s (median %.0f vs %.0f; mean ± sd %@ vs %@ over %d and %d calls), %.3f× the bytes",
                speedUp, int8.samplesPerSecond, float32.samplesPerSecond, int8Calls.formatted(digits: 3),
                float32Calls.formatted(digits: 3), int8Calls.count, float32Calls.count, sizeRatio)
                + (Verdict.timingCaveat(repetitions: [int8Calls, float32Calls]).map { "; " + $0 } ?? ""),
            verdict: Verdict.all([Verdict.timing(speed, repetitions: [int8Calls, float32Calls]), size]))
    }

    /// Writes `precision-agreement.svg` and `precision-throughput.svg` into `output`.
    func figures(writtenTo output: ExperimentOutput) throws(ExperimentError) -> [FigureReference] {
        let names = activations
        let agreement: BarChart, throughput: BarChart
        do {
            agreement = BarChart(
                title: "Agreement of predictions with Float64", subtitle: "\(architecture) on the test images",
                categories: names, categoryAxisLabel: "hidden activation",
                valueAxis: Axis("agreement with Float64", unit: "%"),
                series: try ["float32", "int8"].map { type throws(PlotError) in
                    try BarSeries(name: type, values: names.map { 100 * (result($0, type)?.agreementWithFloat64 ?? 0) })
                },
                valueLabels: .decimals(1),
                referenceLines: [ReferenceLine(.horizontal, at: 100 * Self.agreementTarget, label: "99%")])
            throughput = BarChart(
                title: "Inference speed at batch 1024, one thread", subtitle: "Float features in, logits out",
                categories: names, categoryAxisLabel: "hidden activation",
                valueAxis: Axis("samples per second", scale: .logarithmic),
                series: try Self.types.map { type throws(PlotError) in
                    try BarSeries(name: type, values: names.map { result($0, type)?.samplesPerSecond ?? 0 })
                },
                valueLabels: .significantDigits(2))
        } catch {
            throw .cannotWrite(path: output.directory, reason: error.description)
        }
        return [
            try output.figure(
                agreement, "precision-agreement.svg",
                caption: "Share of test images whose predicted class equals the Float64 model's, per hidden activation: "
                    + "Float32 and int8 (post-training quantisation) forms of the same trained weights. Mean over seeds."),
            try output.figure(
                throughput, "precision-throughput.svg",
                caption: "Inference samples/s at batch 1024 on one thread (log scale), Float features in, logits out, "
                    + "for each number type; the int8 path includes quantising the input."),
        ]
    }
}
