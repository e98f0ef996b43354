import Activations
import Networks

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fair protocol's first step: each activation's own learning rate, per optimiser, picked
/// from a log-spaced grid by validation accuracy after a small training budget, on tuning seeds
/// that are never measuring seeds. An experiment then measures every claim at each
/// activation's tuned rate and at the shared rate (SGD + momentum 0.01, Adam 1e−3).
///
/// ```swift
/// let tuning = LearningRateTuning.standard(full: context.full)
/// let rates = try tuning.tune([.fixed(.relu), .fixed(.tanh)], optimizers: [.adam()], context: context)
/// let trials = rates.trials(activations: …, seeds: context.seedList, optimizers: [.adam()])
/// ```
///
/// Rule: the chosen rate has the highest mean final validation accuracy over the tuning seeds
/// (a diverged run scores chance accuracy); a tie goes to the smaller rate. The context
/// keeps every result, so experiments of one `rectifier run` that tune the same activation and
/// optimiser on the same problem train it once.
package struct LearningRateTuning: Hashable, Sendable, CustomStringConvertible {
    /// The problem each candidate rate trains on: network, epochs, batch, initialisation.
    package var budget: TrialBudget
    /// Training and validation images (no test images: the test set is never used to tune).
    package var sizes: ExperimentData.Sizes
    /// The tuning seeds, disjoint from every measuring seed (those are 0 ..< seeds).
    package var seeds: [UInt64]
    /// Candidate rates per optimiser kind (each ≥ 5, log-spaced, centred on the shared rate).
    package var sgdRates: [Double], adamRates: [Double]
    /// Each activation starts from its usual initialisation (Glorot for sigmoid and tanh, He
    /// otherwise), as the depth and initialisation experiments train, instead of the budget's.
    package var standardInitialization: Bool

    /// The first tuning seed: far above any `--seeds` a run uses, so no measuring seed is reused.
    package static let firstSeed: UInt64 = 1_000_000

    package init(
        budget: TrialBudget, sizes: ExperimentData.Sizes, seeds: [UInt64],
        sgdRates: [Double] = logSpaced(from: 1e-3, to: 1e-1, count: 5),
        adamRates: [Double] = logSpaced(from: 1e-4, to: 1e-2, count: 5), standardInitialization: Bool = false
    ) {
        self.budget = budget
        self.sizes = sizes
        self.seeds = seeds
        self.sgdRates = sgdRates
        self.adamRates = adamRates
        self.standardInitialization = standardInitialization
    }

    /// The tuning every experiment on the 784-256-128-10 network shares: 2 000 training and
    /// 2 000 validation images, 2 epochs, one tuning seed (short); 10 000 / 5 000, 3 epochs,
    /// two seeds (`--full`).
    package static func standard(full: Bool) -> LearningRateTuning {
        full
            ? LearningRateTuning(
                budget: TrialBudget(epochs: 3, probeSize: 1), sizes: .init(training: 10_000, validation: 5_000),
                seeds: [firstSeed, firstSeed + 1])
            : LearningRateTuning(
                budget: TrialBudget(epochs: 2, probeSize: 1), sizes: .init(training: 2_000, validation: 2_000),
                seeds: [firstSeed])
    }

    /// `count` rates from `low` to `high` evenly spaced in log scale (both ends included).
    package static func logSpaced(from low: Double, to high: Double, count: Int) -> [Double] {
        guard count > 1 else { return [low] }
        // Powers of ten taken from exponents, so a grid from 1e-3 to 1e-1 holds 0.01 exactly.
        let first = log10(low), step = (log10(high) - first) / Double(count - 1)
        return (0..<count).map { pow(10, first + Double($0) * step) }
    }

    /// The rates a claim was read at: "shared rate 0.01", or, when `tuned`, "each activation
    /// at its rate tuned PLACE (relu 0.01, sigmoid 0.0316, tanh 0.01)" (SGD + momentum).
    package static func reading(
        _ rates: TunedRates?, shared: Double, tuned: Bool, tunedAt place: String,
        activations: [String] = ["relu", "sigmoid", "tanh"]
    ) -> String {
        guard tuned else { return "shared rate \(text(shared))" }
        return "each activation at its rate tuned \(place) ("
            + activations.compactMap { activation in
                rates?.rate(activation: activation, optimizer: "sgd-momentum").map { "\(activation) \(text($0))" }
            }.joined(separator: ", ") + ")"
    }

    /// A rate with 3 significant digits and no trailing zeros: "0.01", "0.00316".
    package static func text(_ rate: Double) -> String {
        let text = SeedStatistics.format(rate, digits: 3)
        guard text.contains("."), !text.contains("e") else { return text }
        let trimmed = text.reversed().drop { $0 == "0" }
        return String((trimmed.first == "." ? trimmed.dropFirst() : trimmed).reversed())
    }

    /// The candidate rates for `optimizer`'s kind.
    package func rates(for optimizer: NamedOptimizer) -> [Double] {
        if case .adam = optimizer.configuration.kind { return adamRates }
        return sgdRates
    }

    /// The rate with the best score (ties to the smaller rate) and every rate's score: the
    /// rule on its own, for any scorer. Non-finite scores count as the worst.
    package static func choose(rates: [Double], score: (Double) throws -> Double) rethrows -> (rate: Double, scores: [Double]) {
        let scores = try rates.map(score)
        var best = 0
        for index in rates.indices {
            let candidate = scores[index].isFinite ? scores[index] : -.infinity
            let current = scores[best].isFinite ? scores[best] : -.infinity
            if candidate > current || (candidate == current && rates[index] < rates[best]) { best = index }
        }
        return (rates.isEmpty ? .nan : rates[best], scores)
    }

    /// Each activation's tuned rate under each optimiser (activation-major), trained on the
    /// context's data; results the context already holds are reused.
    /// - Throws: ``ExperimentError`` for missing data or a budget the data cannot take.
    package func tune(
        _ activations: [HiddenActivation], optimizers: [NamedOptimizer], context: ExperimentContext
    ) throws -> TunedRates {
        var data: ExperimentData?
        var chosen: [TunedRate] = []
        for activation in activations {
            for optimizer in optimizers {
                let key = TuningKey(tuning: self, activation: activation, optimizer: optimizer)
                if let cached = context.tunedRates[key] {
                    chosen.append(cached)
                    continue
                }
                let images = try data ?? context.data(sizes)
                data = images
                let tuned = try tune(activation, optimizer: optimizer, data: images, progress: context.progress)
                context.tunedRates[key] = tuned
                chosen.append(tuned)
            }
        }
        return TunedRates(rates: chosen)
    }

    /// One activation under one optimiser: every candidate rate on every tuning seed.
    package func tune(
        _ activation: HiddenActivation, optimizer: NamedOptimizer, data: ExperimentData,
        progress: ProgressReporter = .silent
    ) throws -> TunedRate {
        let runner = SideBySideRunner(data: data, budget: budget)
        let candidates = rates(for: optimizer)
        let initialization = standardInitialization ? Initialization.standard(for: activation) : nil
        let trials = { (rate: Double) in
            seeds.map { Trial(activation: activation, seed: $0, optimizer: optimizer.at(rate), initialization: initialization) }
        }
        let task = progress.start(
            "tuning \(activation) \(optimizer.name)", totalWork: runner.workUnits(candidates.flatMap(trials)))
        let (rate, scores) = try Self.choose(rates: candidates) { rate in
            let trials = trials(rate)
            let accuracies = try runner.run(trials, progress: task).map {
                $0.diverged ? data.chanceAccuracy : $0.validationAccuracies.last ?? data.chanceAccuracy
            }
            return accuracies.reduce(0, +) / Double(Swift.max(accuracies.count, 1))
        }
        task.finish(status: "rate \(Self.text(rate))")
        return TunedRate(
            activation: activation.description, optimizer: optimizer.name, tunedLearningRate: rate,
            sharedLearningRate: optimizer.configuration.learningRate, grid: candidates, validationAccuracies: scores)
    }

    /// "rates 0.001…0.1 (SGD + momentum, 5), 0.0001…0.01 (Adam, 5), log-spaced; each trains
    /// 2 epochs on 2000 training images and is scored by validation accuracy on 2000 held-out
    /// images; tuning seed 1000000".
    package var description: String {
        let range = { (rates: [Double]) -> String in
            Self.text(rates.first ?? .nan) + "…" + Self.text(rates.last ?? .nan)
        }
        let seedText: String = seeds.count == 1 ? " \(seeds[0])" : "s " + seeds.map(String.init).joined(separator: ", ")
        let rates: String = "rates " + range(sgdRates) + " (SGD + momentum, \(sgdRates.count)), " + range(adamRates)
            + " (Adam, \(adamRates.count)), log-spaced"
        return rates + "; each trains \(budget.epochs) epochs on \(sizes.training) training images and is scored by "
            + "validation accuracy on \(sizes.validation) held-out images; tuning seed" + seedText
    }
}

/// What the context caches: one tuning of one activation under one optimiser.
package struct TuningKey: Hashable, Sendable {
    let tuning: LearningRateTuning
    let activation: HiddenActivation
    let optimizer: NamedOptimizer
}

/// One activation's tuned rate under one optimiser, with the grid's scores. Encodes as
/// `{"activation", "optimizer", "tuned_learning_rate", "shared_learning_rate", "grid",
/// "validation_accuracies"}`.
package struct TunedRate: Codable, Hashable, Sendable {
    package let activation: String, optimizer: String
    /// The rate the claims are measured at besides the shared one.
    package let tunedLearningRate: Double
    /// The one rate every activation shares (the optimiser's default).
    package let sharedLearningRate: Double
    /// The candidate rates and the mean validation accuracy each reached on the tuning seeds.
    package let grid: [Double], validationAccuracies: [Double]

    package init(
        activation: String, optimizer: String, tunedLearningRate: Double, sharedLearningRate: Double,
        grid: [Double], validationAccuracies: [Double]
    ) {
        self.activation = activation
        self.optimizer = optimizer
        self.tunedLearningRate = tunedLearningRate
        self.sharedLearningRate = sharedLearningRate
        self.grid = grid
        self.validationAccuracies = validationAccuracies
    }

    /// True when the tuned rate is the grid's smallest or largest (the best may lie outside).
    package var atGridEdge: Bool { tunedLearningRate == grid.first || tunedLearningRate == grid.last }
}

/// The tuned rates of several activations and optimisers.
package struct TunedRates: Codable, Hashable, Sendable {
    package let rates: [TunedRate]

    package init(rates: [TunedRate]) { self.rates = rates }

    /// `activation`'s tuned rate under `optimizer` (by their spellings), or nil.
    package func rate(activation: String, optimizer: String) -> Double? {
        rates.first { $0.activation == activation && $0.optimizer == optimizer }?.tunedLearningRate
    }

    /// `optimizer` at `activation`'s tuned rate, named "NAME-tuned" (`adam-tuned`); nil when
    /// the activation was not tuned under it.
    package func tuned(_ optimizer: NamedOptimizer, for activation: HiddenActivation) -> NamedOptimizer? {
        rate(activation: activation.description, optimizer: optimizer.name).map {
            NamedOptimizer(name: optimizer.name + NamedOptimizer.tunedSuffix, configuration: optimizer.at($0).configuration)
        }
    }

    /// Every combination at the tuned rates, optimiser outermost, then activation, then seed
    /// (each optimiser named "NAME-tuned"); activations without a tuned rate are left out.
    package func trials(activations: [HiddenActivation], seeds: [UInt64], optimizers: [NamedOptimizer]) -> [Trial] {
        optimizers.flatMap { optimizer in
            activations.flatMap { activation in
                tuned(optimizer, for: activation).map { tuned in
                    seeds.map { Trial(activation: activation, seed: $0, optimizer: tuned) }
                } ?? []
            }
        }
    }

    /// "relu 0.01, tanh 0.0316" for one optimiser.
    package func summary(optimizer: String) -> String {
        rates.filter { $0.optimizer == optimizer }
            .map { "\($0.activation) \(LearningRateTuning.text($0.tunedLearningRate))\($0.atGridEdge ? " (grid edge)" : "")" }
            .joined(separator: ", ")
    }

    /// The table of tuned rates: one row per activation and optimiser, numeric columns.
    package var table: ResultTable {
        ResultTable(
            title: "Tuned learning rates (best mean validation accuracy over the grid)",
            columns: ["optimizer", "activation", "tuned_learning_rate", "shared_learning_rate", "validation_accuracy_at_tuned"]
                + ["grid"],
            rows: rates.map { rate in
                let best = rate.grid.firstIndex(of: rate.tunedLearningRate).map { rate.validationAccuracies[$0] } ?? .nan
                return [
                    rate.optimizer, rate.activation, "\(rate.tunedLearningRate)", "\(rate.sharedLearningRate)", "\(best)",
                    rate.grid.map { "\($0)" }.joined(separator: " "),
                ]
            })
    }
}

extension NamedOptimizer {
    /// Appended to an optimiser's name for its runs at a tuned rate (`adam-tuned`).
    package static let tunedSuffix = "-tuned"

    /// The same optimiser (and name) at `learningRate` (finite, > 0: a grid's rate).
    package func at(_ learningRate: Double) -> NamedOptimizer {
        NamedOptimizer(
            name: name,
            configuration: try! OptimizerConfiguration(
                kind: configuration.kind, learningRate: learningRate, weightDecay: configuration.weightDecay,
                schedule: configuration.schedule))
    }

    /// True for the runs at a tuned rate.
    package var isTuned: Bool { name.hasSuffix(Self.tunedSuffix) }
}

/// The settings of a grid trained at one shared SGD rate and again at each activation's
/// tuned rate.
package protocol RateTunedConfiguration: SizedConfiguration, VersionedConfiguration {
    /// The hidden widths of the network the rates are tuned on.
    var tunedHiddenSizes: [Int] { get }
    var activations: [String] { get }
    var seeds: [UInt64] { get }
    var epochs: Int { get }
    var trainingSamples: Int { get }
    var validationSamples: Int { get }
    var batchSize: Int { get }
    var learningRate: Double { get }
    var momentum: Double { get }
    var tunedRates: TunedRates? { get set }
}

extension RateTunedConfiguration {
    package var sizes: ExperimentData.Sizes { .init(training: trainingSamples, validation: validationSamples) }

    /// SGD + momentum at the shared rate (both validated before any trial runs; until then
    /// a rate or momentum out of range stands in as 0.01 or 0.9).
    var sharedOptimizer: NamedOptimizer {
        NamedOptimizer(
            name: "sgd-momentum",
            configuration: try! OptimizerConfiguration(
                kind: .sgd(momentum: momentum >= 0 && momentum < 1 ? momentum : 0.9, nesterov: false),
                learningRate: learningRate > 0 && learningRate.isFinite ? learningRate : 0.01))
    }

    /// The checks every such grid shares: a seed, an activation, epochs and batch size ≥ 1,
    /// a finite shared rate > 0 and a momentum in [0, 1).
    func validateGrid() throws(ExperimentError) {
        try ExperimentError.requireGrid(seeds: seeds, activations: activations, epochs: epochs, batchSize: batchSize)
        try ExperimentError.requireSGD(learningRate: learningRate, momentum: momentum)
    }

    /// `grid`'s trials of every activation at the shared rate; then, with tuned rates,
    /// `tunedGrid`'s (`grid`'s when nil) of every activation at its tuned rate, unless that is
    /// the shared one (those runs are not trained twice).
    func trials(
        _ grid: (HiddenActivation, NamedOptimizer) -> [Trial],
        tunedGrid: ((HiddenActivation, NamedOptimizer) -> [Trial])? = nil
    ) throws -> [Trial] {
        let shared = sharedOptimizer
        let activations = try ActivationLineup.parse(self.activations)
        let atShared = activations.flatMap { grid($0, shared) }
        guard let tunedRates else { return atShared }
        return atShared + activations.flatMap { activation in
            tunedRates.tuned(shared, for: activation).map { tuned in
                tuned.configuration.learningRate == learningRate ? [] : tunedGrid?(activation, tuned) ?? grid(activation, tuned)
            } ?? []
        }
    }

    /// The settings every such grid reports: activations, epochs, batch size and optimiser.
    var gridSettings: [String: String] {
        [
            "activations": activations.joined(separator: ","),
            "epochs": String(epochs),
            "batch size": String(batchSize),
            "optimizer": "SGD, momentum \(momentum), rate \(learningRate)",
        ]
    }

    /// The rows' leading settings of the tables, in order: every activation at the shared
    /// rate, then (with tuned rates) at its tuned rate; `columns` are `shared` or `tuned`,
    /// the activation and the rate (empty for an activation without a tuned rate).
    var rateSettings: [(tuned: Bool, activation: String, columns: [String])] {
        (tunedRates == nil ? [false] : [false, true]).flatMap { tuned in
            activations.map { activation in
                let rate = tuned ? tunedRates?.rate(activation: activation, optimizer: "sgd-momentum") : learningRate
                return (tuned, activation, [tuned ? "tuned" : "shared", activation, SeedTable.number(rate)])
            }
        }
    }

    /// The tuning of the network of ``tunedHiddenSizes``: one epoch of half the training
    /// images per rate, scored on the validation images, SGD rates 0.001…0.1, tuning seed
    /// 1 000 000.
    package var rateTuning: LearningRateTuning {
        LearningRateTuning(
            budget: TrialBudget(hiddenSizes: tunedHiddenSizes, epochs: 1, batchSize: batchSize, probeSize: 1),
            sizes: .init(training: Swift.max(1, trainingSamples / 2), validation: validationSamples),
            seeds: [LearningRateTuning.firstSeed], standardInitialization: true)
    }

    /// The settings with each activation's rate found by ``rateTuning``, once the data is
    /// known to be there.
    func tuned(context: ExperimentContext) throws -> Self {
        try context.checkData(sizes)
        var configuration = self
        configuration.tunedRates = try rateTuning.tune(
            try ActivationLineup.parse(activations), optimizers: [sharedOptimizer], context: context)
        return configuration
    }
}

/// One run of such a grid.
package protocol RateTunedRun {
    var activation: String { get }
    var optimizer: String? { get }
}

extension RateTunedRun {
    /// Whether the run was trained at its activation's tuned rate (`sgd-momentum-tuned`).
    package var atTunedRate: Bool { optimizer?.hasSuffix(NamedOptimizer.tunedSuffix) ?? false }
}

extension Experiment where Configuration: RateTunedConfiguration {
    /// The context's version, with each activation's rate tuned (``RateTunedConfiguration/rateTuning``).
    package static func configuration(_ context: ExperimentContext) throws -> Configuration {
        try Configuration(seeds: context.seeds, full: context.full).tuned(context: context)
    }
}

extension GridResults where Configuration: RateTunedConfiguration, Run: RateTunedRun {
    /// The runs of `activation` in one `cell` of the grid at the shared rate, or at the tuned
    /// rate when `tuned` (the shared-rate runs when the tuned rate is the shared one: those
    /// are not trained twice), in seed order.
    package func runs(activation: String, tuned: Bool, in cell: (Run) -> Bool) -> [Run] {
        let tunedIsShared = configuration.tunedRates?.rate(activation: activation, optimizer: "sgd-momentum") == configuration.learningRate
        return runs.filter { $0.activation == activation && cell($0) && $0.atTunedRate == (tuned && !tunedIsShared) }
    }
}
