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
        try accuracyChart(runs, variants: options.leaks.map(\.variantName), activations: activations, chance: chance)
            .write(toFile: output.path(figureFile))
        document.figures.append(FigureReference(
            file: figureFile,
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
        let rows = configurations.map { variant, activation in
            let values = accuracies(runs, variant, activation, chance: chance).map { 100 * $0 }
            let seeds = runs.filter { $0.variant == variant && $0.activation == activation }
            return [
                variant, activation,
                "\(Stats.format(Stats.median(values))) [\(Stats.format(values.min() ?? .nan))–\(Stats.format(values.max() ?? .nan))]",
                String(values.count), Stats.format(Stats.median(seeds.map(\.seconds))),
                String(seeds.filter(\.diverged).count),
            ]
        }
        return ResultTable(
            title: "Sequential Fashion-MNIST (T = 28): test accuracy in %, median [worst–best seed]; a diverged seed counts at chance",
            columns: ["variant", "activation", "test accuracy %", "seeds", "median seconds per run", "diverged"], rows: rows)
    }

    /// Median test accuracy per variant (bars) and activation (series), worst to best seed.
    static func accuracyChart(
        _ runs: [LeakyUnitsRun], variants: [String], activations: [String], chance: Double
    ) throws -> BarChart {
        let series = try activations.map { activation in
            let cells = variants.map { accuracies(runs, $0, activation, chance: chance).map { 100 * $0 } }
            return try BarSeries(
                name: activation, values: cells.map(Stats.median),
                errors: .interval(lower: cells.map { $0.min() ?? .nan }, upper: cells.map { $0.max() ?? .nan }))
        }
        return BarChart(
            title: "Sequential Fashion-MNIST: test accuracy by leak",
            subtitle: "one row of 28 pixels per step; median of seeds, whiskers from worst to best; same budget for all",
            categories: variants, categoryAxisLabel: "leak", valueAxis: Axis("test accuracy", unit: "%", includesZero: true),
            series: series, valueLabels: .decimals(1),
            referenceLines: [ReferenceLine(.horizontal, at: 10, label: "chance (10%)")])
    }

    /// Supported when, for every activation, the better of the multi-scale and learned leaks
    /// has a median accuracy at least the plain layer's (a diverged seed at `chance`).
    package static func claim(_ runs: [LeakyUnitsRun], activations: [String], seeds: Int, chance: Double) -> Claim? {
        let variants = Set(runs.map(\.variant))
        let leaky = ["multiscale", "learned"].filter(variants.contains)
        guard variants.contains("plain"), !leaky.isEmpty else { return nil }
        var measured: [String] = [], holds = true
        for activation in activations {
            let plain = Stats.median(accuracies(runs, "plain", activation, chance: chance))
            let best = leaky.map { ($0, Stats.median(accuracies(runs, $0, activation, chance: chance))) }.max { $0.1 < $1.1 }!
            holds = holds && best.1 >= plain
            measured.append("\(activation): \(best.0) \(Stats.format(100 * best.1))%, plain \(Stats.format(100 * plain))%")
        }
        return Claim(
            claim: "On sequential Fashion-MNIST (T = 28) a leaky layer (multi-scale or learned α) classifies at least as accurately as the plain one (α = 0), with every activation (same seeds and budget)",
            measured: "median test accuracy over \(seeds) seeds — " + measured.joined(separator: "; ")
                + { $0 == 0 ? "" : "; \($0) run(s) diverged, each counted at chance" }(runs.filter(\.diverged).count),
            supported: holds)
    }
}
