import Activations
import Networks
import Runtime

/// Reads one model file, checking each field, and tracks which tensors were used so that
/// any left over is reported.
struct ModelFileReader<Scalar: ActivationScalar> {
    let file: SafeTensors
    let path: String
    private var unused: Set<String>

    init(file: SafeTensors, path: String) {
        self.file = file
        self.path = path
        unused = Set(file.tensors.keys)
    }

    mutating func read() throws(ModelFileError) -> ModelCheckpoint<Scalar> {
        let format = try requiredMetadata(ModelFile.formatKey)
        guard format == ModelFile.formatName else {
            throw .invalidMetadata(
                file: path, key: ModelFile.formatKey, detail: "'\(format)' is not a format this version reads (expected '\(ModelFile.formatName)')")
        }
        let architectureText = try requiredMetadata(ModelFile.architectureKey)
        let architecture: Architecture
        do {
            architecture = try Architecture(json: architectureText)
        } catch {
            throw .invalidMetadata(file: path, key: ModelFile.architectureKey, detail: error.description)
        }
        let layout = architecture.parameterLayout
        // Every tensor is checked against the metadata before the model is allocated, so
        // a file cannot make the reader allocate more than its own tensors justify.
        let (parameters, storedDType) = try parameterValues(layout, prefix: "")
        try requireMemory(for: architecture)
        let model = Sequential<Scalar>(architecture: architecture)
        _ = model.parameters.values.initialize(from: parameters)
        let state = try trainingState(layout, parameters: parameters)
        let average = try averagedParameters(layout)
        if let leftover = unused.sorted().first {
            throw .unexpectedTensor(file: path, tensor: leftover)
        }
        var metadata = file.metadata
        for key in metadata.keys where key.hasPrefix("rectifier.") { metadata[key] = nil }
        return ModelCheckpoint(
            architecture: architecture, model: model, trainingState: state, averagedParameters: average,
            metadata: metadata, storedDType: storedDType ?? (Scalar.self == Float.self ? .float32 : .float64))
    }

    /// ``Sequential/requiredBytes(for:)``, checked against the memory available.
    private func requireMemory(for architecture: Architecture) throws(ModelFileError) {
        do {
            try MemoryBudget.require(
                Sequential<Scalar>.requiredBytes(for: architecture),
                for: "\(path): the model of metadata '\(ModelFile.architectureKey)'")
        } catch {
            throw .insufficientMemory(error)
        }
    }

    private func requiredMetadata(_ key: String) throws(ModelFileError) -> String {
        guard let value = file.metadata[key] else { throw .missingMetadata(file: path, key: key) }
        return value
    }

    /// The tensor `name`, marked as used.
    private mutating func take(_ name: String) throws(ModelFileError) -> SafeTensors.Tensor {
        guard let tensor = file.tensors[name] else { throw .missingTensor(file: path, tensor: name) }
        unused.remove(name)
        return tensor
    }

    /// Every parameter of `layout` from the tensors `prefix + name`, flat, checked for
    /// dtype, shape and finiteness; and the dtype of the first.
    private mutating func parameterValues(
        _ layout: ParameterLayout, prefix: String
    ) throws(ModelFileError) -> ([Scalar], SafeTensors.DType?) {
        // Presence, dtype and shape of every tensor first: only then is the layout's size
        // one the file's own bytes hold, and safe to allocate.
        var tensors: [(name: String, tensor: SafeTensors.Tensor)] = []
        for info in layout.parameters {
            let name = prefix + info.name
            let tensor = try take(name)
            guard tensor.dtype.isFloatingPoint else {
                throw .wrongDType(file: path, tensor: name, dtype: tensor.dtype.rawValue, allowed: "F32, F64, F16, BF16")
            }
            guard tensor.shape == info.shape else {
                throw .wrongShape(file: path, tensor: name, shape: tensor.shape, expected: info.shape)
            }
            tensors.append((name, tensor))
        }
        var values: [Scalar] = []
        values.reserveCapacity(layout.count)
        var firstDType: SafeTensors.DType?
        for (name, tensor) in tensors {
            let decoded = try Self.decode(tensor)
            if let index = decoded.firstIndex(where: { !$0.isFinite }) {
                throw .nonFiniteValue(file: path, tensor: name, index: index)
            }
            values += decoded
            firstDType = firstDType ?? tensor.dtype
        }
        return (values, firstDType)
    }

    private static func decode(_ tensor: SafeTensors.Tensor) throws(ModelFileError) -> [Scalar] {
        try ModelFileError.fromSafeTensors { () throws(SafeTensorsError) in
            if Scalar.self == Float.self { return try tensor.floats() as! [Scalar] }
            return try tensor.doubles().map { Scalar($0) }
        }
    }

    private mutating func trainingState(
        _ layout: ParameterLayout, parameters: [Scalar]
    ) throws(ModelFileError) -> TrainingState<Scalar>? {
        guard let text = file.metadata[ModelFile.trainingKey] else { return nil }
        let key = ModelFile.trainingKey
        guard let record = decodeRecord(TrainingRecord.self, from: text) else {
            throw .invalidMetadata(
                file: path, key: key,
                detail: "not a JSON object with completed_epochs, optimizer_step, optimizer_buffers, generator_state, learning_rate_scale and back_offs")
        }
        guard record.completedEpochs >= 0, record.optimizerStep >= 0, record.backOffs >= 0 else {
            throw .invalidMetadata(file: path, key: key, detail: "completed_epochs, optimizer_step and back_offs must be ≥ 0")
        }
        guard let scale = Double(record.learningRateScale), scale > 0, scale.isFinite else {
            throw .invalidMetadata(
                file: path, key: key, detail: "learning_rate_scale '\(record.learningRateScale)' must be a finite number > 0")
        }
        guard let words = record.generatorWords, words.contains(where: { $0 != 0 }) else {
            throw .invalidMetadata(
                file: path, key: key, detail: "generator_state must be 4 hexadecimal 64-bit words, not all zero")
        }
        guard Set(record.optimizerBuffers).count == record.optimizerBuffers.count,
            record.optimizerBuffers.allSatisfy({ !$0.isEmpty && !$0.contains(".") })
        else {
            throw .invalidMetadata(file: path, key: key, detail: "optimizer_buffers must be distinct names without dots")
        }
        var buffers: [String: [Scalar]] = [:]
        for name in record.optimizerBuffers {
            buffers[name] = try parameterValues(layout, prefix: ModelFile.optimizerPrefix + name + ".").0
        }
        return TrainingState(
            completedEpochs: record.completedEpochs, parameters: parameters,
            optimizer: OptimizerState(stepCount: record.optimizerStep, buffers: buffers),
            generatorState: words, dataOrder: try dataOrder(), learningRateScale: scale,
            backOffs: record.backOffs)
    }

    /// The data order: `I32`, one dimension, a permutation of `0..<n` (or empty).
    private mutating func dataOrder() throws(ModelFileError) -> [Int32] {
        let name = ModelFile.dataOrderTensor
        let tensor = try take(name)
        guard tensor.dtype == .int32 else {
            throw .wrongDType(file: path, tensor: name, dtype: tensor.dtype.rawValue, allowed: "I32")
        }
        guard tensor.shape.count == 1 else {
            throw .wrongShape(file: path, tensor: name, shape: tensor.shape, expected: [tensor.elementCount])
        }
        let order = try ModelFileError.fromSafeTensors { () throws(SafeTensorsError) in try tensor.int32s() }
        var seen = [Bool](repeating: false, count: order.count)
        for (position, index) in order.enumerated() {
            guard index >= 0, Int(index) < order.count else {
                throw .invalidDataOrder(file: path, detail: "element \(position) is \(index), outside 0..<\(order.count)")
            }
            guard !seen[Int(index)] else {
                throw .invalidDataOrder(file: path, detail: "sample \(index) appears twice; the order must be a permutation")
            }
            seen[Int(index)] = true
        }
        return order
    }

    private mutating func averagedParameters(_ layout: ParameterLayout) throws(ModelFileError) -> AveragedParameters<Scalar>? {
        guard let text = file.metadata[ModelFile.averageKey] else { return nil }
        guard let record = decodeRecord(AverageRecord.self, from: text),
            let decay = Double(record.decay), decay >= 0, decay < 1, record.updateCount >= 0
        else {
            throw .invalidMetadata(
                file: path, key: ModelFile.averageKey,
                detail: "must be a JSON object with decay (a number in [0, 1), as a string) and update_count (≥ 0)")
        }
        let values = try parameterValues(layout, prefix: ModelFile.averagePrefix).0
        return AveragedParameters(decay: decay, updateCount: record.updateCount, values: values)
    }
}
