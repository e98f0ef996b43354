import Activations
import Networks

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `rectifier.training` metadata: a training state's counters. Numbers that must come
/// back bit for bit are strings (the generator's words in hexadecimal, the learning-rate
/// scale in Swift's shortest round-trip form).
struct TrainingRecord: Codable, Equatable {
    var completedEpochs: Int
    var optimizerStep: Int
    var optimizerBuffers: [String]
    var generatorState: [String]
    var learningRateScale: String
    var backOffs: Int

    init<Scalar: ActivationScalar>(_ state: TrainingState<Scalar>, bufferNames: [String]) {
        completedEpochs = state.completedEpochs
        optimizerStep = state.optimizer.stepCount
        optimizerBuffers = bufferNames
        generatorState = state.generatorState.map { String($0, radix: 16) }
        learningRateScale = state.learningRateScale.description
        backOffs = state.backOffs
    }

    var json: String { encodeSorted(self) }

    /// The generator's words, or nil unless there are four hexadecimal words.
    var generatorWords: [UInt64]? {
        let words = generatorState.compactMap { UInt64($0, radix: 16) }
        return words.count == 4 && generatorState.count == 4 ? words : nil
    }
}

/// The `rectifier.average` metadata: the running average's decay and update count.
struct AverageRecord: Codable, Equatable {
    var decay: String
    var updateCount: Int

    init<Scalar: ActivationScalar>(_ average: AveragedParameters<Scalar>) {
        decay = average.decay.description
        updateCount = average.updateCount
    }

    var json: String { encodeSorted(self) }
}

/// One line of JSON with sorted keys: the records' names in snake_case.
private func encodeSorted(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    // Strings and integers always encode.
    return String(decoding: try! encoder.encode(value), as: UTF8.self)
}

/// `text` decoded as `T` (keys in snake_case), or nil.
func decodeRecord<T: Decodable>(_ type: T.Type, from text: String) -> T? {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try? decoder.decode(T.self, from: Data(text.utf8))
}
