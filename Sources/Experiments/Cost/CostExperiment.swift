import Activations
import Networks
import Runtime

/// Claim 5: rectifiers are computationally cheap to evaluate.
///
/// Two measurements:
/// - each activation's kernel forward and backward in ns/element (Float32, the median of
///   timed calls, ``ActivationBenchmark``), repeated ``Plan/repetitions`` times (≥ 5);
/// - the share of a training step (784-256-128-10, Adam, batch 128) spent in activation
///   layers, from the Networks ``Profiling`` timers, one epoch per activation and repetition
///   (seeds 0 ..< repetitions).
///
/// Verdicts (timing verdicts, ``Verdict/timing(_:repetitions:)``: inconclusive with fewer
/// than 5 repetitions or when a figure's repetitions spread over 25 % of their mean):
/// - cheap to evaluate: ReLU's forward and backward times are each below those of softplus,
///   sigmoid and tanh with the spreads (mean ± sd over repetitions) apart.
/// - cheap in training: the activation share of a training step is below that of softplus,
///   sigmoid and tanh with the spreads apart.
package enum CostExperiment: Experiment {
    package static let name = "cost"
    package static let abstract = "ns/element of each activation and its share of a training step (claim 5)."

    /// The kernels timed (names of ``ActivationBenchmark/operations``).
    package static let kernelOperations = ["relu", "leaky_relu", "abs", "softplus", "sigmoid", "tanh"]
    /// The hidden activations whose training steps are profiled.
    package static let trainingActivations: [HiddenActivation] = [
        .fixed(.relu), .fixed(try! .leakyReLU(negativeSlope: 0.01)), .prelu(try! PReLUOptions()),
        .fixed(.softplus(Softplus())), .fixed(.sigmoid), .fixed(.tanh),
    ]

    /// Sizes of one version.
    package struct Plan: Sendable {
        /// Elements per kernel call.
        package var elements: Int
        /// Timed calls per kernel measurement.
        package var runs: Int
        /// Training samples for the profiled epoch.
        package var trainingSamples: Int
        /// Kernel repetitions and profiled epochs per activation (seeds 0 ..< repetitions).
        package var repetitions: Int
        /// Threads of the kernels.
        package var threads: Int

        /// `repetitions` is at least ``Verdict/minimumTimings`` unless given.
        package init(elements: Int, runs: Int, trainingSamples: Int, seeds: [UInt64], threads: Int, repetitions: Int? = nil) {
            self.elements = elements
            self.runs = runs
            self.trainingSamples = trainingSamples
            self.repetitions = repetitions ?? Swift.max(seeds.count, Verdict.minimumTimings)
            self.threads = threads
        }

        /// The profiled epochs' seeds.
        package var seeds: [UInt64] { (0..<UInt64(repetitions)).map { $0 } }
    }

    /// One kernel timed once, or one profiled training epoch.
    package enum CostTrial: Sendable {
        case kernel(operation: String, repetition: Int)
        case trainingStep(HiddenActivation, seed: UInt64)
    }

    /// A trial's rows: kernel timings, or one profiled epoch.
    package enum CostMeasurement: Codable, Sendable {
        case kernels([ActivationBenchmark.Measurement])
        case trainingStep(TrainingStepProfile)
    }

    package static func configuration(_ context: ExperimentContext) -> Plan {
        context.full
            ? Plan(elements: 1 << 22, runs: 50, trainingSamples: 55_000, seeds: context.seedList, threads: context.threads)
            : Plan(elements: 1 << 20, runs: 20, trainingSamples: 6_000, seeds: context.seedList, threads: context.threads)
    }

    package static func inputs(_ plan: Plan, context: ExperimentContext) throws -> ExperimentData {
        try context.data(.init(training: plan.trainingSamples, validation: 1_000))
    }

    /// Every kernel once per repetition, then one epoch per activation and seed.
    package static func trials(_ plan: Plan, inputs: ExperimentData) -> [CostTrial] {
        (0..<plan.repetitions).flatMap { repetition in
            kernelOperations.map { CostTrial.kernel(operation: $0, repetition: repetition) }
        } + trainingActivations.flatMap { activation in plan.seeds.map { CostTrial.trainingStep(activation, seed: $0) } }
    }

    /// One unit per kernel, one per training batch.
    package static func work(_ trial: CostTrial, configuration plan: Plan, inputs: ExperimentData) -> Double {
        guard case .trainingStep = trial else { return 1 }
        return Double((inputs.training.count + 127) / 128)
    }

    package static func measure(_ trial: CostTrial, configuration plan: Plan, inputs: ExperimentData, progress: ProgressTask)
        throws -> CostMeasurement
    {
        switch trial {
        case .kernel(let operation, let repetition):
            let rows = ActivationBenchmark(runs: plan.runs)
                .measure(elements: plan.elements, threads: plan.threads, operations: [operation])
                .filter { $0.op != "copy" || operation == kernelOperations[0] }
            progress.advance(by: 1, status: "kernels, repetition \(repetition + 1): \(operation)")
            return .kernels(rows)
        case .trainingStep(let activation, let seed):
            return .trainingStep(try profile(activation, seed: seed, data: inputs, task: progress))
        }
    }

    package static func describe(
        _ measurements: [CostMeasurement], configuration plan: Plan, inputs data: ExperimentData, context: ExperimentContext
    ) throws -> ExperimentDocument<CostResults> {
        var kernels: [ActivationBenchmark.Measurement] = [], steps: [TrainingStepProfile] = []
        for measurement in measurements {
            switch measurement {
            case .kernels(let rows): kernels += rows
            case .trainingStep(let step): steps.append(step)
            }
        }
        let results = CostResults(kernels: kernels, steps: steps)
        var settings = context.commonSettings
        settings["kernel elements"] = "\(plan.elements) Float32 per call, median of ≥ \(plan.runs) calls, \(plan.repetitions) repetitions"
        settings["training step"] = "\(data.training.featureCount)-256-128-\(data.classCount), Adam 1e-3, batch 128, one epoch of \(data.training.count) samples per repetition"
        settings["data"] = data.description
        return ExperimentDocument(
            experiment: name, title: "Cost: how cheap each activation is to compute",
            summary: """
                The activation kernels (Float32, \(plan.threads) threads) timed forward and backward \
                in ns/element against a plain copy of the same size, and the share of a training step \
                of 784-256-128-10 spent in the activation layers (Profiling timers around the \
                activation and PReLU layers, forward and backward). Backward reads what the layer \
                keeps: the output for ReLU and leaky ReLU, the input for the others.
                """,
            settings: settings, claims: results.claims(), figures: try CostFigures.write(results, to: context.output),
            tables: results.tables(), results: results)
    }

    /// The profiled network: the data's features, 256 and 128 hidden units, one output per class.
    package static func network(_ activation: HiddenActivation, data: ExperimentData) throws -> Architecture {
        try Architecture.multilayerPerceptron(
            inputSize: data.training.featureCount, hiddenSizes: [256, 128], hiddenActivation: activation,
            outputSize: data.classCount)
    }

    /// One epoch of `activation` with the profiling timers on.
    static func profile(
        _ activation: HiddenActivation, seed: UInt64, data: ExperimentData, task: ProgressTask
    ) throws -> TrainingStepProfile {
        let architecture = try network(activation, data: data)
        var generator = SeededGenerator(seed: seed)
        let model = Sequential<Float>(architecture: architecture, initialization: try Initialization(), generator: &generator)
        let configuration = try TrainingConfiguration(
            epochs: 1, batchSize: 128, optimizer: try OptimizerConfiguration(kind: .adam, learningRate: 1e-3),
            probeSize: 1)
        let trainer = Trainer(model: model, configuration: configuration, generator: generator)
        // The timers cover the training steps only: they are read at the epoch's last batch,
        // before the epoch's measurements run.
        let profiler = Profiler()
        var gemm = 0.0, activations = 0.0
        let callbacks = TrainingCallbacks<Float>(progress: { step in
            task.advance(by: 1, status: "training step profile: \(activation) seed \(seed)")
            guard step.batch == step.batchesPerEpoch else { return }
            gemm = profiler.seconds(in: .gemm)
            activations = profiler.seconds(in: .activations)
        })
        let records = try Execution.current.with(profiler: profiler).run {
            try trainer.train(on: data.training, callbacks: callbacks)
        }
        return TrainingStepProfile(
            activation: activation.description, seed: seed, epochSeconds: records[0].seconds,
            gemmSeconds: gemm, activationSeconds: activations, batches: records.isEmpty ? 0 : (data.training.count + 127) / 128)
    }
}
