import Activations
import Networks
import Runtime

/// Models as safetensors files: the parameters as tensors named as the model names them
/// (`layers.i.weight` `[out, in]`, `layers.i.bias` `[out]`, `layers.i.slopes` `[width]`),
/// the architecture as JSON in the metadata, and optionally what a resumed run needs.
///
/// ```
/// metadata  rectifier.format        "model"
///           rectifier.architecture  Architecture.jsonString
///           rectifier.training      counters, generator state, optimiser buffer names (JSON)
///           rectifier.average       decay and update count of the running average (JSON)
/// tensors   layers.i.*                               the parameters (F32 or F64)
///           optimizer.<buffer>.<parameter>           e.g. optimizer.exp_avg.layers.0.weight
///           training.data_order                      I32, the next epoch's sample order
///           average.<parameter>                      the running average of the weights
/// ```
///
/// A file written by any tool with these names and metadata loads (a PyTorch module holding
/// its `nn.Sequential` as `layers` has the same `state_dict` names, PReLU's `weight` aside).
/// Writes are atomic.
///
/// ```swift
/// try ModelFile.save(model, trainingState: trainer.state, to: "model.safetensors")
/// let checkpoint = try ModelFile.load("model.safetensors")
/// let logits = try checkpoint.model.predict(images)
/// ```
public enum ModelFile {
    /// The metadata key holding the format name, ``formatName``.
    package static let formatKey = "rectifier.format"
    /// The value of ``formatKey``.
    package static let formatName = "model"
    /// The metadata key holding ``Architecture/jsonString``.
    package static let architectureKey = "rectifier.architecture"
    /// The metadata key holding the training counters (JSON).
    package static let trainingKey = "rectifier.training"
    /// The metadata key holding the running average's decay and update count (JSON).
    package static let averageKey = "rectifier.average"
    /// The tensor holding the next epoch's data order.
    package static let dataOrderTensor = "training.data_order"
    /// The prefix of the optimiser's buffers: `optimizer.<buffer>.<parameter>`.
    package static let optimizerPrefix = "optimizer."
    /// The prefix of the running average's tensors: `average.<parameter>`.
    package static let averagePrefix = "average."

    /// Writes `model` (and, when given, the training state and the running average) to
    /// `path`, atomically: `path` holds its previous content or the whole new file.
    ///
    /// Parameters are stored as `F32` for a `Float` model and `F64` for a `Double` model,
    /// exactly.
    ///
    /// - Parameters:
    ///   - trainingState: what ``Trainer/restore(_:)`` needs to continue bit for bit.
    ///   - averagedParameters: a running average of the parameters, saved beside them.
    ///   - metadata: extra text metadata; keys starting with `rectifier.` are reserved.
    /// - Complexity: O(parameter count + data order length).
    /// - Throws: ``ModelFileError/reservedMetadataKey(key:)``,
    ///   ``ModelFileError/stateMismatch(detail:)`` when the state or average does not fit
    ///   the model, ``ModelFileError/safeTensors(_:)`` wrapping a failed write.
    public static func save<Scalar: ActivationScalar>(
        _ model: Sequential<Scalar>, trainingState: TrainingState<Scalar>? = nil,
        averagedParameters: AveragedParameters<Scalar>? = nil, metadata: [String: String] = [:],
        to path: String
    ) throws(ModelFileError) {
        if let reserved = metadata.keys.sorted().first(where: { $0.hasPrefix("rectifier.") }) {
            throw .reservedMetadataKey(key: reserved)
        }
        let layout = model.parameters.layout
        var file = SafeTensors(metadata: metadata)
        file.metadata[formatKey] = formatName
        file.metadata[architectureKey] = model.architecture.jsonString
        try addParameters(Array(model.parameters.values), layout: layout, prefix: "", to: &file)
        if let state = trainingState {
            try addTrainingState(state, layout: layout, to: &file)
        }
        if let average = averagedParameters {
            guard average.values.count == layout.count, average.updateCount >= 0,
                average.decay >= 0, average.decay < 1
            else {
                throw .stateMismatch(detail: "the running average has \(average.values.count) values, decay \(average.decay) and \(average.updateCount) updates; the model has \(layout.count) parameters, decay must be in [0, 1)")
            }
            try addParameters(average.values, layout: layout, prefix: averagePrefix, to: &file)
            file.metadata[averageKey] = AverageRecord(average).json
        }
        try ModelFileError.fromSafeTensors { () throws(SafeTensorsError) in try file.write(to: path) }
    }

    /// Reads a model file into a `Float` model (see ``load(_:as:)``).
    public static func load(_ path: String) throws(ModelFileError) -> ModelCheckpoint<Float> {
        try load(path, as: Float.self)
    }

    /// Reads and checks a model file: the format and architecture metadata, every tensor's
    /// presence, dtype, shape and finiteness, no tensor left over, and the training state
    /// and running average when present.
    ///
    /// Parameters may be stored as `F32`, `F64`, `F16` or `BF16`, and are converted to
    /// `Scalar` (rounded to nearest where `Scalar` is narrower). A resumed run is bit
    /// identical when the file holds the run's own precision.
    ///
    /// - Complexity: O(file size).
    /// - Throws: ``ModelFileError``, naming the file and the tensor or key at fault.
    public static func load<Scalar: ActivationScalar>(
        _ path: String, as type: Scalar.Type
    ) throws(ModelFileError) -> ModelCheckpoint<Scalar> {
        let file = try SafeTensors.read(budgeted: path, memory: ModelFileError.insufficientMemory, file: ModelFileError.safeTensors)
        var reader = ModelFileReader<Scalar>(file: file, path: path)
        return try reader.read()
    }

    /// Adds one tensor per parameter of `values` (laid out as `layout`), named `prefix + name`.
    static func addParameters<Scalar: ActivationScalar>(
        _ values: [Scalar], layout: ParameterLayout, prefix: String, to file: inout SafeTensors
    ) throws(ModelFileError) {
        for info in layout.parameters {
            file.tensors[prefix + info.name] = try tensor(Array(values[info.range]), shape: info.shape)
        }
    }

    private static func addTrainingState<Scalar: ActivationScalar>(
        _ state: TrainingState<Scalar>, layout: ParameterLayout, to file: inout SafeTensors
    ) throws(ModelFileError) {
        guard state.parameters.count == layout.count else {
            throw .stateMismatch(detail: "\(state.parameters.count) parameters in the state, the model has \(layout.count)")
        }
        let names = state.optimizer.buffers.keys.sorted()
        for name in names {
            let buffer = state.optimizer.buffers[name]!
            guard buffer.count == layout.count else {
                throw .stateMismatch(detail: "optimizer buffer \(name) has \(buffer.count) values, the model has \(layout.count) parameters")
            }
            try addParameters(buffer, layout: layout, prefix: optimizerPrefix + name + ".", to: &file)
        }
        file.tensors[dataOrderTensor] = try ModelFileError.fromSafeTensors { () throws(SafeTensorsError) in try SafeTensors.Tensor(state.dataOrder) }
        file.metadata[trainingKey] = TrainingRecord(state, bufferNames: names).json
    }

    /// `values` as an `F32` (Float) or `F64` (Double) tensor, exactly.
    static func tensor<Scalar: ActivationScalar>(_ values: [Scalar], shape: [Int]) throws(ModelFileError) -> SafeTensors.Tensor {
        try ModelFileError.fromSafeTensors { () throws(SafeTensorsError) in
            if let floats = values as? [Float] { return try SafeTensors.Tensor(floats, shape: shape, as: .float32) }
            return try SafeTensors.Tensor(values.map { Double($0) }, shape: shape, as: .float64)
        }
    }
}
