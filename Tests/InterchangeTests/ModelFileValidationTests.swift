import Activations
import Foundation
import Interchange
import Networks
import Testing

/// Every field of a model file is checked on load, with a one-line error naming the file
/// and the tensor or key.
@Suite struct ModelFileValidationTests {
    /// A damage done to a valid file (with training state and running average), and the
    /// error it must cause.
    struct Damage: CustomStringConvertible, Sendable {
        let description: String
        let apply: @Sendable (inout SafeTensors) throws -> Void
        let expected: @Sendable (ModelFileError) -> Bool
    }

    static func floats(_ count: Int, _ value: Float = 0.5) -> [Float] { [Float](repeating: value, count: count) }

    static func editTraining(_ file: inout SafeTensors, _ edit: (inout [String: Any]) -> Void) throws {
        var object = try JSONSerialization.jsonObject(with: Data(file.metadata[ModelFile.trainingKey]!.utf8)) as! [String: Any]
        edit(&object)
        file.metadata[ModelFile.trainingKey] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static let damages: [Damage] = [
        Damage(description: "no format", apply: { $0.metadata[ModelFile.formatKey] = nil }) {
            if case .missingMetadata(_, "rectifier.format") = $0 { true } else { false }
        },
        Damage(description: "other format", apply: { $0.metadata[ModelFile.formatKey] = "pt" }) {
            if case .invalidMetadata(_, "rectifier.format", _) = $0 { true } else { false }
        },
        Damage(description: "no architecture", apply: { $0.metadata[ModelFile.architectureKey] = nil }) {
            if case .missingMetadata(_, "rectifier.architecture") = $0 { true } else { false }
        },
        Damage(description: "bad architecture", apply: { $0.metadata[ModelFile.architectureKey] = "{\"layers\": 3}" }) {
            if case .invalidMetadata(_, "rectifier.architecture", _) = $0 { true } else { false }
        },
        Damage(description: "missing weight", apply: { $0.tensors["layers.2.weight"] = nil }) {
            if case .missingTensor(_, "layers.2.weight") = $0 { true } else { false }
        },
        Damage(description: "extra tensor", apply: { $0.tensors["layers.9.weight"] = try .init(floats(2)) }) {
            if case .unexpectedTensor(_, "layers.9.weight") = $0 { true } else { false }
        },
        Damage(description: "integer weight", apply: { $0.tensors["layers.0.bias"] = try .init([Int32](repeating: 1, count: 6)) }) {
            if case .wrongDType(_, "layers.0.bias", "I32", _) = $0 { true } else { false }
        },
        Damage(description: "transposed weight", apply: { $0.tensors["layers.0.weight"] = try .init(floats(30), shape: [5, 6]) }) {
            if case .wrongShape(_, "layers.0.weight", [5, 6], [6, 5]) = $0 { true } else { false }
        },
        Damage(description: "NaN bias", apply: {
            var values = floats(4)
            values[3] = .nan
            $0.tensors["layers.2.bias"] = try .init(values)
        }) {
            if case .nonFiniteValue(_, "layers.2.bias", 3) = $0 { true } else { false }
        },
        Damage(description: "infinite optimizer buffer", apply: {
            $0.tensors["optimizer.exp_avg.layers.4.bias"] = try .init([1, -.infinity, 0] as [Float])
        }) {
            if case .nonFiniteValue(_, "optimizer.exp_avg.layers.4.bias", 1) = $0 { true } else { false }
        },
        Damage(description: "missing optimizer buffer", apply: { $0.tensors["optimizer.exp_avg_sq.layers.2.weight"] = nil }) {
            if case .missingTensor(_, "optimizer.exp_avg_sq.layers.2.weight") = $0 { true } else { false }
        },
        Damage(description: "training metadata not JSON", apply: { $0.metadata[ModelFile.trainingKey] = "epoch 3" }) {
            if case .invalidMetadata(_, "rectifier.training", _) = $0 { true } else { false }
        },
        Damage(description: "negative epochs", apply: { try editTraining(&$0) { $0["completed_epochs"] = -1 } }) {
            if case .invalidMetadata(_, "rectifier.training", _) = $0 { true } else { false }
        },
        Damage(description: "zero generator", apply: { try editTraining(&$0) { $0["generator_state"] = ["0", "0", "0", "0"] } }) {
            if case .invalidMetadata(_, "rectifier.training", let detail) = $0 { detail.contains("generator_state") } else { false }
        },
        Damage(description: "short generator", apply: { try editTraining(&$0) { $0["generator_state"] = ["1", "2", "3"] } }) {
            if case .invalidMetadata(_, "rectifier.training", let detail) = $0 { detail.contains("generator_state") } else { false }
        },
        Damage(description: "NaN scale", apply: { try editTraining(&$0) { $0["learning_rate_scale"] = "nan" } }) {
            if case .invalidMetadata(_, "rectifier.training", let detail) = $0 { detail.contains("learning_rate_scale") } else { false }
        },
        Damage(description: "unknown buffer listed", apply: { try editTraining(&$0) { $0["optimizer_buffers"] = ["exp_avg", "exp_avg_sq", "velocity"] } }) {
            if case .missingTensor(_, "optimizer.velocity.layers.0.weight") = $0 { true } else { false }
        },
        Damage(description: "buffer not listed", apply: { try editTraining(&$0) { $0["optimizer_buffers"] = ["exp_avg"] } }) {
            if case .unexpectedTensor(_, let name) = $0 { name.hasPrefix("optimizer.exp_avg_sq.") } else { false }
        },
        Damage(description: "data order missing", apply: { $0.tensors[ModelFile.dataOrderTensor] = nil }) {
            if case .missingTensor(_, "training.data_order") = $0 { true } else { false }
        },
        Damage(description: "data order float", apply: { $0.tensors[ModelFile.dataOrderTensor] = try .init(floats(12)) }) {
            if case .wrongDType(_, "training.data_order", "F32", "I32") = $0 { true } else { false }
        },
        Damage(description: "data order repeats", apply: { $0.tensors[ModelFile.dataOrderTensor] = try .init([0, 1, 1] as [Int32]) }) {
            if case .invalidDataOrder(_, let detail) = $0 { detail.contains("twice") } else { false }
        },
        Damage(description: "data order out of range", apply: { $0.tensors[ModelFile.dataOrderTensor] = try .init([0, 3, 1] as [Int32]) }) {
            if case .invalidDataOrder(_, let detail) = $0 { detail.contains("outside") } else { false }
        },
        Damage(description: "data order 2-D", apply: { $0.tensors[ModelFile.dataOrderTensor] = try .init([0, 1, 2, 3] as [Int32], shape: [2, 2]) }) {
            if case .wrongShape(_, "training.data_order", [2, 2], _) = $0 { true } else { false }
        },
        Damage(description: "state tensors without state", apply: { $0.metadata[ModelFile.trainingKey] = nil }) {
            if case .unexpectedTensor(_, let name) = $0 { name.hasPrefix("optimizer.") } else { false }
        },
        Damage(description: "average decay 1", apply: { $0.metadata[ModelFile.averageKey] = "{\"decay\":\"1\",\"update_count\":3}" }) {
            if case .invalidMetadata(_, "rectifier.average", _) = $0 { true } else { false }
        },
        Damage(description: "average tensor missing", apply: { $0.tensors["average.layers.4.weight"] = nil }) {
            if case .missingTensor(_, "average.layers.4.weight") = $0 { true } else { false }
        },
    ]

    @Test(arguments: damages)
    func damagedFilesAreRefusedByName(_ damage: Damage) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.safetensors")
        let trainer = try ModelFileTests.trainer("relu", epochs: 1)
        try trainer.train(on: ModelFileTests.data())
        try ModelFile.save(
            trainer.model, trainingState: trainer.state,
            averagedParameters: AveragedParameters(decay: 0.99, updateCount: 3, values: trainer.state.parameters),
            to: path)
        var file = try SafeTensors(contentsOf: path)
        try damage.apply(&file)
        try file.write(to: path)
        do {
            _ = try ModelFile.load(path)
            Issue.record("\(damage) loaded")
        } catch {
            #expect(damage.expected(error), "\(damage): \(error)")
            #expect(error.description.hasPrefix(path), "\(damage): \(error)")
            #expect(!error.description.contains("\n"), "\(damage)")
        }
    }

    @Test func filesThatAreNotSafeTensorsAreRefusedByTheReader() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("garbage.safetensors")
        try writeBytes(Array("not a model at all".utf8), to: path)
        #expect {
            _ = try ModelFile.load(path)
        } throws: { error in
            guard case .safeTensors = error as? ModelFileError else { return false }
            return (error as! ModelFileError).description.contains(path)
        }
        #expect {
            _ = try ModelFile.load(directory.file("absent.safetensors"))
        } throws: { error in
            guard case .safeTensors(.cannotOpen) = error as? ModelFileError else { return false }
            return true
        }
    }
}
