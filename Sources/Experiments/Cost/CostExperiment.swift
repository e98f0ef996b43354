import Activations
import Networks
import Runtime

/// Claim 5: rectifiers are computationally cheap to evaluate.
///
/// Two measurements:
/// - each activation's kernel forward and backward in ns/element (Float32, the median of
///   timed calls, ``ActivationBenchmark``), repeated once per seed;
/// - the share of a training step (784-256-128-10, Adam, batch 128) spent in activation
///   layers, from the Networks ``Profiling`` timers, one epoch per activation and seed.
///
/// Verdicts:
/// - cheap to evaluate: ReLU's median forward and backward times are each below those of
///   softplus, sigmoid and tanh (mean over repetitions).
/// - cheap in training: the activation share of a training step is smallest with ReLU among
///   ReLU, softplus, sigmoid and tanh (mean over seeds).
public enum CostExperiment {
    /// The registry's entry.
    public static let registration = RegisteredExperiment(
        name: "cost", summary: "ns/element of each activation and its share of a training step",
        run: { context in try run(context) })

    /// The kernels timed (names of ``ActivationBenchmark/operations``).
    public static let kernelOperations = ["relu", "leaky_relu", "abs", "softplus", "sigmoid", "tanh"]
    /// The hidden activations whose training steps are profiled.
    public static let trainingActivations: [HiddenActivation] = [
        .fixed(.relu), .fixed(try! .leakyReLU(negativeSlope: 0.01)), .prelu(try! PReLUOptions()),
        .fixed(.softplus(Softplus())), .fixed(.sigmoid), .fixed(.tanh),
    ]

    /// Sizes of one version.
    public struct Plan: Sendable {
        /// Elements per kernel call.
        public var elements: Int
        /// Timed calls per kernel measurement.
        public var runs: Int
        /// Training samples for the profiled epoch.
        public var trainingSamples: Int

        public init(elements: Int, runs: Int, trainingSamples: Int) {
            self.elements = elements
            self.runs = runs
            self.trainingSamples = trainingSamples
        }

        public static func standard(full: Bool) -> Plan {
            full ? Plan(elements: 1 << 22, runs: 50, trainingSamples: 55_000)
                : Plan(elements: 1 << 20, runs: 20, trainingSamples: 6_000)
        }
    }

    /// Runs the experiment and writes `cost.json`, CSV and plots.
    @discardableResult
    public static func run(_ context: ExperimentContext) throws -> CostResults {
        let plan = Plan.standard(full: context.full)
        let data = try context.data(.init(training: plan.trainingSamples, validation: 1_000))
        return try run(context, plan: plan, data: data)
    }

    /// Runs `plan`, profiling training on `data`.
    @discardableResult
    public static func run(_ context: ExperimentContext, plan: Plan, data: ExperimentData) throws -> CostResults {
        let started = MonotonicClock.now
        let batches = (data.training.count + 127) / 128
        let task = context.progress.start(
            "cost", totalWork: Double(context.seeds * (kernelOperations.count + trainingActivations.count * batches)))
        var kernels: [ActivationBenchmark.Measurement] = []
        let benchmark = ActivationBenchmark(runs: plan.runs)
        for repetition in 0..<context.seeds {
            for operation in kernelOperations {
                kernels += benchmark.measure(elements: plan.elements, threads: context.threads, operations: [operation])
                    .filter { $0.op != "copy" || operation == kernelOperations[0] }
                task.advance(by: 1, status: "kernels, repetition \(repetition + 1): \(operation)")
            }
        }
        var steps: [TrainingStepProfile] = []
        for activation in trainingActivations {
            for seed in context.seedList {
                steps.append(try profile(activation, seed: seed, data: data, task: task))
            }
        }
        task.finish(status: "\(kernels.count) kernel timings, \(steps.count) profiled epochs")
        let results = CostResults(kernels: kernels, steps: steps)
        var settings = context.commonSettings
        settings["kernel elements"] = "\(plan.elements) Float32 per call, median of ≥ \(plan.runs) calls, \(context.seeds) repetitions"
        settings["training step"] = "784-256-128-10, Adam 1e-3, batch 128, one epoch of \(data.training.count) samples per seed"
        settings["data"] = data.description
        let document = ExperimentDocument(
            experiment: "cost", title: "Cost: how cheap each activation is to compute",
            summary: """
                The activation kernels (Float32, \(context.threads) threads) timed forward and backward \
                in ns/element against a plain copy of the same size, and the share of a training step \
                of 784-256-128-10 spent in the activation layers (Profiling timers around the \
                activation and PReLU layers, forward and backward). Backward reads what the layer \
                keeps: the output for ReLU and leaky ReLU, the input for the others.
                """,
            settings: settings, claims: results.claims(), figures: try CostFigures.write(results, to: context.output),
            tables: results.tables(), wallSeconds: MonotonicClock.now - started, results: results)
        try context.output.write(document)
        return results
    }

    /// One epoch of `activation` with the profiling timers on.
    static func profile(
        _ activation: HiddenActivation, seed: UInt64, data: ExperimentData, task: ProgressTask
    ) throws -> TrainingStepProfile {
        let architecture = try Architecture.multilayerPerceptron(
            inputSize: data.training.featureCount, hiddenSizes: [256, 128], hiddenActivation: activation,
            outputSize: 10)
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
