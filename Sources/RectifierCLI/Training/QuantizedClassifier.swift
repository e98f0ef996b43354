import Interchange
import Networks
import Quantization

/// An int8 model file as `rectifier evaluate` runs it: integer-only inference, Float
/// features in.
struct QuantizedClassifier: ScoringModel {
    let network: QuantizedNetwork

    var inputSize: Int { network.inputSize }
    var outputSize: Int { network.outputSize }

    func scores(_ input: Matrix<Float>) throws -> Matrix<Float> {
        try Matrix(rows: input.rows, columns: outputSize, scalars: try network.logits(input.scalars))
    }

    /// The int8 model at `path`, or nil when the file is not an int8 model file (e.g. a
    /// float one, which ``ModelLoading`` reads instead).
    /// - Throws: ``CommandFailure`` with the reader's message for a damaged int8 file.
    static func load(at path: String) throws -> QuantizedClassifier? {
        do {
            return QuantizedClassifier(network: try QuantizedModelFile.load(path).network)
        } catch .notInt8 {
            return nil
        } catch {
            throw CommandFailure(error.description)
        }
    }
}
