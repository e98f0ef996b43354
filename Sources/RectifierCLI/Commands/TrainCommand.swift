import Activations
import ArgumentParser
import Interchange
import Networks
import Runtime

/// `rectifier train`: trains a multi-layer perceptron on Fashion-MNIST or the user's data
/// (MNIST-format files, CSV, NumPy, PNG class folders), with a live progress bar, a JSON-lines log, checkpoints and resume.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a feed-forward network on Fashion-MNIST or your own data (MNIST files, CSV, .npz, PNG folders).",
        discussion: """
            The classes are the sorted distinct labels (any number ≥ 2); the model file keeps \
            their names, the input shape and the input scaling, which evaluate and predict \
            apply. Holds out a validation split of the training set (a twelfth, stratified by \
            class) and touches the test set only for the final figure. With --save, the model file \
            (safetensors) also carries the optimiser state, the generator state and the data \
            order, so --resume FILE continues the run (with --save FILE, in place: the file is \
            replaced atomically); with the same thread count the result is bit-identical to a \
            run never stopped. Example: rectifier train --activation prelu \
            --hidden 256,128 --epochs 10 --batch-size 128 --optimizer adam --lr 1e-3 --seed 0 \
            --save model.safetensors --log run.jsonl
            """)

    enum OptimizerName: String, ExpressibleByArgument, CaseIterable {
        case sgd, adam, adamw
    }

    enum ScheduleName: String, ExpressibleByArgument, CaseIterable {
        case constant, step, cosine
    }

    enum DivergenceChoice: String, ExpressibleByArgument, CaseIterable {
        case stop, backoff

        /// `backoff`: halve the rate and rerun, up to 5 times.
        var policy: DivergencePolicy {
            self == .backoff ? .backOff(factor: 0.5, maxRetries: 5) : .stop
        }
    }

    @Option(help: ArgumentHelp("Hidden activation (default relu): \(HiddenActivation.spellings).", valueName: "name"))
    var activation: String?

    @Option(help: ArgumentHelp("Hidden layer widths, comma-separated (default 256,128).", valueName: "widths"))
    var hidden: String?

    @Option(help: ArgumentHelp(
        "Hidden layers instead of --hidden: conv:CxK[:stride=S,pad=same|valid], maxpool:K, avgpool:K, gap, dense:N, dropout:P, batchnorm, comma-separated (e.g. conv:32x5,maxpool:2,conv:64x5,maxpool:2,dense:1024); the activation follows every conv and dense layer (batchnorm right after one goes before its activation).",
        valueName: "spec"))
    var layers: String?

    @Option(help: "Epochs to train in total (default 10; with --resume, the new total).")
    var epochs: Int?

    @Option(help: "Samples per optimiser step (default 128, or the training examples when fewer).")
    var batchSize: Int?

    @Option(help: "The update rule (default adam).")
    var optimizer: OptimizerName?

    @Option(help: "The base learning rate (default 1e-3 for adam/adamw, 0.1 for sgd).")
    var lr: Double?

    @Option(help: "SGD momentum in [0, 1) (default 0).")
    var momentum: Double?

    @Flag(help: "Nesterov momentum (SGD, needs --momentum > 0).")
    var nesterov = false

    @Option(help: "Weight decay λ ≥ 0 (L2 for sgd/adam, decoupled for adamw; default 0).")
    var weightDecay: Double?

    @Option(help: "Learning-rate schedule (default constant).")
    var schedule: ScheduleName?

    @Option(help: "Step schedule: epochs between decays (default 3).")
    var stepEvery: Int?

    @Option(help: "Step schedule: the factor of each decay, in (0, 1] (default 0.1).")
    var stepFactor: Double?

    @Option(help: "Steps of linear learning-rate warm-up (default 0).")
    var warmupSteps: Int?

    @Option(help: "The seed of the run's generator (weights, data order, validation split; default 0).")
    var seed: UInt64?

    @Option(help: ArgumentHelp("Write the model (with the state to resume) to this safetensors file.", valueName: "file"))
    var save: String?

    @Option(help: ArgumentHelp("Write one JSON object per epoch, and the test figure last, to this file.", valueName: "file.jsonl"))
    var log: String?

    @Option(help: "Also save the checkpoint every N epochs (needs --save).")
    var saveEvery: Int?

    @OptionGroup var threads: ThreadOption

    @OptionGroup(title: "Data")
    var dataOptions: DataOptions

    @Option(help: "Training images held out for validation (default: a twelfth).")
    var validation: Int?

    @Option(help: ArgumentHelp("Continue the run saved in this model file.", valueName: "file"))
    var resume: String?

    @Option(help: "On divergence (a NaN or infinite training or validation loss): stop, or halve the learning rate and rerun the epoch (up to 5 times).")
    var onDivergence: DivergenceChoice?

    @Option(help: ArgumentHelp("Keep a running (Polyak) average of the weights with this α in [0, 1), evaluated beside them.", valueName: "alpha"))
    var averageWeights: Double?

    @Option(help: ArgumentHelp(
        "Change each training batch's images at random: flip (mirror left–right with probability 1/2), shift:S (move by up to S pixels along each axis, zeros uncovered), comma-separated (e.g. flip,shift:2); drawn from the seed.",
        valueName: "changes"))
    var augment: String?

    func validate() throws {
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr \(lr) is not allowed (a finite number > 0)") }
        if let epochs, epochs < 1 { throw ValidationError("--epochs \(epochs) is not allowed (an integer ≥ 1)") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size \(batchSize) is not allowed (an integer ≥ 1)") }
        try dataOptions.check()
        if let saveEvery {
            if saveEvery < 1 { throw ValidationError("--save-every \(saveEvery) is not allowed (an integer ≥ 1)") }
            if save == nil { throw ValidationError("--save-every needs --save FILE") }
        }
        if let momentum, !(momentum >= 0 && momentum < 1) {
            throw ValidationError("--momentum \(momentum) is not allowed (a number in [0, 1))")
        }
        if let weightDecay, !(weightDecay >= 0 && weightDecay.isFinite) {
            throw ValidationError("--weight-decay \(weightDecay) is not allowed (a finite number ≥ 0)")
        }
        if let averageWeights, !(averageWeights >= 0 && averageWeights < 1) {
            throw ValidationError("--average-weights \(averageWeights) is not allowed (a number in [0, 1))")
        }
        if let validation, validation < 1 { throw ValidationError("--validation \(validation) is not allowed (an integer ≥ 1)") }
        if resume != nil {
            let fixed: [(String, Bool)] = [
                ("--activation", activation != nil), ("--hidden", hidden != nil), ("--layers", layers != nil),
                ("--batch-size", batchSize != nil),
                ("--optimizer", optimizer != nil), ("--lr", lr != nil), ("--momentum", momentum != nil),
                ("--nesterov", nesterov), ("--weight-decay", weightDecay != nil), ("--schedule", schedule != nil),
                ("--step-every", stepEvery != nil), ("--step-factor", stepFactor != nil),
                ("--warmup-steps", warmupSteps != nil), ("--seed", seed != nil), ("--validation", validation != nil),
                ("--average-weights", averageWeights != nil), ("--augment", augment != nil),
            ] + dataOptions.given.filter { $0.0 != "--test-data" }
            if let flag = fixed.first(where: { $0.1 })?.0 {
                throw ValidationError("\(flag) cannot be given with --resume: the checkpoint fixes it")
            }
        } else {
            _ = try settings()
        }
    }

    func run() throws { try threads.run(runWithThreads) }

    private func runWithThreads() throws {
        var files = CommandFiles()
        files.reads(resume, flag: "--resume")
        files.readsData(dataOptions.data)
        if let testData = dataOptions.testData { files.readsData(testData, flag: "--test-data") }
        files.writes(save, flag: "--save")
        files.writes(log, flag: "--log")
        files.allowReplacing("--resume", by: "--save")
        try files.check()
        let resumed = try resume.map { path in try asFailure("--resume: ") { try ModelFile.load(path) as ModelCheckpoint<Float> } }
        var runSettings = try resumed.map { try TrainingRunSettings.saved(in: $0.metadata, file: resume!) } ?? settings()
        if resumed != nil {
            runSettings.configuration = try resumedConfiguration(runSettings.configuration)
        }
        var options = dataOptions
        options.choices = runSettings.data ?? DataChoices()
        let images = try TrainingData.load(options, validationCount: runSettings.validationCount, seed: runSettings.seed)
        if resumed == nil, batchSize == nil, images.training.count < runSettings.configuration.batchSize {
            // The default batch, on a smaller set: one batch of all of it.
            let saved = runSettings.configuration
            runSettings.configuration = try TrainingConfiguration(
                epochs: saved.epochs, batchSize: images.training.count, optimizer: saved.optimizer, loss: saved.loss,
                checkpointEvery: saved.checkpointEvery, divergence: saved.divergence, probeSize: saved.probeSize)
        }
        guard runSettings.configuration.batchSize <= images.training.count else {
            throw ValidationError(
                "--batch-size \(runSettings.configuration.batchSize) is larger than the \(images.training.count) training samples")
        }
        if let resumed, let resume,
            let saved = try ModelData.saved(
                in: resumed.metadata, file: resume, inputSize: resumed.model.inputSize, outputSize: resumed.model.outputSize),
            saved != images.model
        {
            throw CommandFailure("--resume \(resume): the model was trained on other data (classes, columns or scaling differ from --data)")
        }
        let session = try TrainingSession(
            settings: runSettings, data: images, resumed: resumed, savePath: save,
            logPath: log, resumePath: resume)
        try session.run()
    }

    /// The run's settings from the flags and their defaults.
    func settings() throws -> TrainingRunSettings {
        if layers != nil, hidden != nil {
            throw ValidationError("--layers and --hidden cannot both be given (--hidden is the shorthand for dense layers)")
        }
        let hiddenSizes = layers == nil ? try Self.widths(hidden ?? "256,128") : []
        let hiddenActivation = try asUsageError("--activation: ") { try HiddenActivation(parsing: activation ?? "relu") }
        if let layers {
            // The MNIST-format images this command reads are 1×28×28.
            _ = try asUsageError("--layers \(layers): ") {
                try Architecture.fromLayerSpecification(
                    layers, input: try ImageShape(channels: 1, height: 28, width: 28), hiddenActivation: hiddenActivation,
                    outputSize: 10)
            }
        } else {
            // The sizes alone, for any input size: widths and a parameter count that fit.
            _ = try asUsageError("--hidden \(hidden ?? ""): ") {
                try Architecture.multilayerPerceptron(
                    inputSize: 1, hiddenSizes: hiddenSizes, hiddenActivation: hiddenActivation, outputSize: 10)
            }
        }
        if let augment { _ = try Self.augmentation(augment) }
        let rule = optimizer ?? .adam
        let kind: OptimizerKind
        switch rule {
        case .sgd: kind = .sgd(momentum: momentum ?? 0, nesterov: nesterov)
        case .adam: kind = .adam
        case .adamw: kind = .adamW
        }
        if rule != .sgd, momentum != nil || nesterov {
            throw ValidationError("--momentum and --nesterov apply to --optimizer sgd only")
        }
        if nesterov, (momentum ?? 0) == 0 { throw ValidationError("--nesterov needs --momentum > 0") }
        let configuration = try asUsageError {
            try TrainingConfiguration(
                epochs: epochs ?? 10, batchSize: batchSize ?? 128,
                optimizer: try OptimizerConfiguration(
                    kind: kind, learningRate: lr ?? (rule == .sgd ? 0.1 : 1e-3), weightDecay: weightDecay ?? 0,
                    schedule: try learningRateSchedule()),
                loss: dataOptions.task == .regression ? .meanSquaredError : .softmaxCrossEntropy,
                checkpointEvery: saveEvery, divergence: divergencePolicy)
        }
        return TrainingRunSettings(
            activation: hiddenActivation.description, hidden: hiddenSizes, layers: layers, configuration: configuration,
            seed: seed ?? 0, validationCount: validation, averageDecay: averageWeights, data: dataOptions.choices,
            threads: Execution.current.threads, augment: augment)
    }

    /// `--augment`'s flip and shift, or a one-line usage error naming the flag.
    static func augmentation(_ text: String) throws -> (flip: Bool, shift: Int) {
        do {
            return try Augmentation.parse(text)
        } catch {
            guard case let .invalidHyperparameter(_, _, allowed) = error else { throw ValidationError(error.description) }
            throw ValidationError("--augment '\(text)' is not allowed (\(allowed))")
        }
    }

    private func learningRateSchedule() throws -> LearningRateSchedule {
        if schedule != .step, stepEvery != nil || stepFactor != nil {
            throw ValidationError("--step-every and --step-factor apply to --schedule step only")
        }
        let decay: LearningRateSchedule.Decay = switch schedule ?? .constant {
        case .constant: .constant
        case .cosine: .cosine(minimumFactor: 0)
        case .step: .step(everyEpochs: stepEvery ?? 3, factor: stepFactor ?? 0.1)
        }
        return try asUsageError("learning-rate schedule: ") { try LearningRateSchedule(decay: decay, warmupSteps: warmupSteps ?? 0) }
    }

    private var divergencePolicy: DivergencePolicy { (onDivergence ?? .stop).policy }

    /// The saved configuration with the flags a resumed run may change: the epoch total,
    /// the checkpoint period and the divergence policy.
    private func resumedConfiguration(_ saved: TrainingConfiguration) throws -> TrainingConfiguration {
        try asUsageError {
            try TrainingConfiguration(
                epochs: epochs ?? saved.epochs, batchSize: saved.batchSize, optimizer: saved.optimizer,
                loss: saved.loss, checkpointEvery: saveEvery ?? saved.checkpointEvery,
                divergence: onDivergence == nil ? saved.divergence : divergencePolicy, probeSize: saved.probeSize)
        }
    }

    /// "256,128" → [256, 128].
    static func widths(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let widths = parts.compactMap { Int($0.filter { !$0.isWhitespace }) }
        guard widths.count == parts.count, widths.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--hidden '\(text)' is not allowed (one or more widths ≥ 1, comma-separated, e.g. 256,128)")
        }
        return widths
    }
}
