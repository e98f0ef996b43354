import Activations
import Datasets
import Plotting

/// The sequential Fashion-MNIST part of the leaky-units document: its summary sentence,
/// settings, table, accuracy figure and claim, computed from the runs.
package enum SequentialImagesReport {
    typealias Stats = LeakyUnitsStatistics

    /// The accuracy figure's file.
    static let figureFile = "leaky-units-sequential-accuracy.svg"

    /// Adds the task to `document`: a sentence of summary, its settings, its claim, its table
    /// and its figure (written to `output`); the title names both tasks.
    static func add(
        to document: inout ExperimentDocument<[LeakyUnitsRun]>, runs: [LeakyUnitsRun], task: SequentialImagesOptions,
        training: SequentialImages, test: SequentialImages, options: LeakyUnitsOptions, output: ExperimentOutput
    ) throws {
        let (trainingCount, testCount) = (training.images.count, test.images.count)
        let activations = options.activations.map(\.description)
        let chance = 1 / Double(training.images.classCount)
        document.title = "Leaky units on the adding problem and sequential Fashion-MNIST"
        document.summary += " " + summary(task, training: trainingCount, test: testCount)
        document.settings.merge(settings(task, training: trainingCount, test: testCount)) { $1 }
        if let claim = claim(runs, activations: activations, seeds: options.seeds, chance: chance) {
            document.claims.append(claim)
        }
        document.tables.append(table(runs, configurations: LeakyUnitsExperiment.configurations(options), chance: chance))
        document.figures.append(try output.figure(
            accuracyChart(runs, variants: options.leaks.map(\.variantName), activations: activations, chance: chance),
            figureFile,
            caption: "Test accuracy on sequential Fashion-MNIST (one row of 28 pixels per step) after the same training budget, per leak and activation; a diverged run counts at chance."))
    }

    static func summary(_ options: SequentialImagesOptions, training: Int, test: Int) -> String {
        "Sequential Fashion-MNIST: the same layer, \(options.units) units, reads each image one row of 28 pixels per step "
            + "(T = 28) and a softmax readout of its last state classifies it; \(options.epochs) "
            + (options.epochs == 1 ? "epoch" : "epochs") + " of \(training) "
            + "training images in batches of \(options.batchSize), scored on \(test) test images (chance: 10%)."
    }

    static func settings(_ options: SequentialImagesOptions, training: Int, test: Int) -> [String: String] {
        [
            "sequential_images": "\(training) training, \(test) test images, one row per step (T = 28)",
            "sequential_units": String(options.units), "sequential_batch_size": String(options.batchSize),
            "sequential_epochs": String(options.epochs),
            "sequential_optimizer": "adam lr=\(options.learningRate), gradient clip norm \(options.maximumGradientNorm)",
        ]
    }

    /// The test accuracy each seed counts with: its own, or `chance` when it diverged.
    static func accuracies(_ runs: [LeakyUnitsRun], _ variant: String, _ activation: String, chance: Double) -> [Double] {
        runs.filter { $0.variant == variant && $0.activation == activation }
            .compactMap { $0.diverged ? chance : $0.testAccuracy }
    }

    static func table(_ runs: [LeakyUnitsRun], configurations: [(String, String)], chance: Double) -> ResultTable {
        var rows: [SeedTable.Row] = []
        for (variant, activation) in configurations {
            let seeds = runs.filter { $0.variant == variant && $0.activation == activation }
            let setting = [variant, activation]
            rows.append(SeedTable.Row(
                setting: setting, figure: "test_accuracy_percent",
                values: accuracies(runs, variant, activation, chance: chance).map { 100 * $0 }))
            rows.append(SeedTable.Row(setting: setting, figure: "diverged", values: seeds.map { $0.diverged ? 1 : 0 }))
            rows.append(SeedTable.Row(setting: setting, figure: "seconds", values: seeds.map(\.seconds)))
        }
        return SeedTable.summary(
            title: "Sequential Fashion-MNIST (T = 28): test accuracy in % over seeds; a diverged seed counts at chance",
            settingColumns: ["variant", "activation"], rows: rows)
    }

    /// Median test accuracy per variant (bars) and activation (series), worst to best seed.
    static func accuracyChart(
        _ runs: [LeakyUnitsRun], variants: [String], activations: [String], chance: Double
    ) throws -> BarChart {
        let series = try activations.map { activation in
            let cells = variants.map { accuracies(runs, $0, activation, chance: chance).map { 100 * $0 } }
            return try BarSeries(
                name: activation, values: cells.map(\.median),
                errors: .interval(lower: cells.map { $0.min() ?? .nan }, upper: cells.map { $0.max() ?? .nan }))
        }
        return BarChart(
            title: "Sequential Fashion-MNIST: test accuracy by leak",
            subtitle: "one row of 28 pixels per step; median of seeds, whiskers from worst to best; same budget for all",
            categories: variants, categoryAxisLabel: "leak", valueAxis: Axis("test accuracy", unit: "%", includesZero: true),
            series: series, valueLabels: .decimals(1),
            referenceLines: [ReferenceLine(.horizontal, at: 10, label: "chance (10%)")])
    }

    /// How much less accurate than the plain layer a leaky one may be and still count as
    /// "at least as accurate": 1 percentage point.
    package static let tolerance = 0.01

    /// A paired comparison per seed, for every leaky variant run (not the better of them) and
    /// every activation: the differences leaky − plain in test accuracy (a diverged seed at
    /// `chance`) must stay above −``tolerance`` with their spread (supported), fall below it
    /// with their spread (not supported), or straddle it (inconclusive). The claim is
    /// supported only when every pair is.
    package static func claim(_ runs: [LeakyUnitsRun], activations: [String], seeds: Int, chance: Double) -> Claim? {
        let variants = Set(runs.map(\.variant))
        let leaky = ["multiscale", "learned"].filter(variants.contains)
        guard variants.contains("plain"), !leaky.isEmpty else { return nil }
        var measured: [String] = [], verdicts: [Verdict] = []
        for activation in activations {
            let plain = accuraciesBySeed(runs, "plain", activation, chance: chance)
            for variant in leaky {
                let differences = accuraciesBySeed(runs, variant, activation, chance: chance).compactMap { seed, accuracy in
                    plain[seed].map { accuracy - $0 }
                }
                let statistics = SeedStatistics(differences)
                verdicts.append(Verdict.exceeds(statistics, SeedStatistics([-tolerance])))
                measured.append(
                    "\(activation) \(variant) − plain: \(SeedStatistics.format(100 * statistics.mean, digits: 3)) ± "
                        + "\(SeedStatistics.format(100 * (statistics.count > 1 ? statistics.standardDeviation : 0), digits: 2)) points "
                        + "(\(statistics.count) seeds)")
            }
        }
        return Claim(
            claim: "On sequential Fashion-MNIST (T = 28) a leaky layer (each of multi-scale and learned α) classifies at least "
                + "as accurately as the plain one (α = 0), with every activation: per seed, the paired difference in test "
                + "accuracy stays above −\(SeedStatistics.format(100 * tolerance)) point with its spread (mean ± sd)",
            measured: "paired differences over \(seeds) seeds — " + measured.joined(separator: "; ")
                + { $0 == 0 ? "" : "; \($0) run(s) diverged, each counted at chance" }(runs.filter(\.diverged).count),
            verdict: Verdict.all(verdicts))
    }

    /// Test accuracy per seed of one variant and activation (a diverged seed at `chance`).
    static func accuraciesBySeed(_ runs: [LeakyUnitsRun], _ variant: String, _ activation: String, chance: Double) -> [Int: Double] {
        var bySeed: [Int: Double] = [:]
        for run in runs where run.variant == variant && run.activation == activation {
            if let accuracy = run.diverged ? chance : run.testAccuracy { bySeed[run.seed] = accuracy }
        }
        return bySeed
    }
}
