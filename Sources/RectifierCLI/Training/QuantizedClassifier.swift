import Interchange
import Networks
import Quantization
import Runtime

/// An int8 model file as `rectifier evaluate` runs it: integer-only inference, Float
/// features in.
struct QuantizedClassifier: ScoringModel {
    let network: QuantizedNetwork
    /// The float model's layers, when the file keeps them (`rectifier quantize` writes them).
    let architecture: Architecture?

    var inputSize: Int { network.inputSize }
    var outputSize: Int { network.outputSize }

    func scores(_ input: Matrix<Float>) throws -> Matrix<Float> {
        try Matrix(rows: input.rows, columns: outputSize, scalars: try network.logits(input.scalars))
    }

    /// The int8 model at `path` with its file's metadata, or nil when the file is not an int8 model file (e.g. a
    /// float one, which ``ModelLoading`` reads instead).
    /// - Throws: ``CommandFailure`` with the reader's message for a damaged int8 file.
    static func load(at path: String) throws -> (QuantizedClassifier, metadata: [String: String])? {
        let file = try SafeTensors.read(
            budgeted: path, memory: { CommandFailure($0.description) },
            file: { CommandFailure(QuantizedModelFileError.safeTensors($0).description) })
        do {
            let (network, architecture) = try QuantizedModelFile.load(contents: file)
            return (QuantizedClassifier(network: network, architecture: architecture), file.metadata)
        } catch .notInt8 {
            return nil
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
