import Activations
import Datasets
import Networks
import Quantization
import Runtime

/// Inference speed of one Float32 model and its int8 twin: samples/s at each batch size, the
/// median of repeated calls into preallocated outputs.
///
/// Float32 runs ``Networks/Sequential/predict(_:)``; int8 quantises the Float input to codes
/// and runs ``Quantization/QuantizedNetwork/logits(codes:rows:into:path:)`` (so both start
/// from the same Float batch, as ONNX Runtime's dynamically quantised model does), once with
/// ±127 weights (`int8`, the exact `vpmaddwd` GEMM) and once with 7-bit weights (`int8-w7`,
/// ±64, the `vpmaddubsw` GEMM: `rectifier quantize --weight-bits 7`, ONNX Runtime's
/// `reduce_range`).
struct InferenceBenchmark {
    /// One timed configuration.
    struct Measurement: Codable, Equatable {
        var precision: String
        var batch: Int
        var threads: Int
        var secondsPerBatch: Double
        var samplesPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case precision, batch, threads
            case secondsPerBatch = "seconds_per_batch"
            case samplesPerSecond = "samples_per_second"
        }
    }

    let model: Sequential<Float>
    /// The ±127 and 7-bit int8 networks; nil when the model has a layer integer inference
    /// cannot run (then only Float32 is timed).
    let int8: (exact: QuantizedNetwork, sevenBit: QuantizedNetwork)?
    /// Why there is no int8 network, when there is none.
    let int8Refusal: String?

    /// Quantises `model` with ``Quantization/QuantizedNetwork/quantize(_:calibration:options:)``:
    /// weights per output channel at ±127, the input codes fixed to pixels in [0, 1] (scale
    /// 1/255, zero point 0), every other range observed (min–max) on `calibration`.
    /// - Throws: the quantisation errors (non-finite values, out-of-range parameters) but
    ///   an unsupported layer, which leaves ``int8`` nil.
    init(model: Sequential<Float>, calibration: Matrix<Float>) throws {
        self.model = model
        let pixels = try QuantizationParameters(scale: 1 / 255, zeroPoint: 0)
        do {
            int8 = (
                try QuantizedNetwork.quantize(model, calibration: calibration, options: try QuantizationOptions(input: pixels)),
                try QuantizedNetwork.quantize(
                    model, calibration: calibration, options: try QuantizationOptions(weightPrecision: .bits7, input: pixels)))
            int8Refusal = nil
        } catch let error as QuantizationError {
            guard case .unsupportedLayer = error else { throw error }
            int8 = nil
            int8Refusal = error.description
        }
    }

    /// The share of rows of `data` whose largest output is the label, for each precision
    /// (nil for int8 without an int8 network).
    func accuracy(_ data: LabeledImages) throws -> (float32: Double, int8: Double?, int8W7: Double?) {
        let features = try Matrix(rows: data.count, columns: data.pixelsPerImage, scalars: data.pixels)
        let labels = data.labels.map(Int.init)
        func share(_ predicted: [Int]) -> Double {
            Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
        }
        func quantizedShare(_ network: QuantizedNetwork?) throws -> Double? {
            guard let network else { return nil }
            return share(QuantizedNetwork.predictedClasses(logits: try network.logits(data.pixels), outputs: network.outputSize))
        }
        return (share(try model.predictClasses(features)), try quantizedShare(int8?.exact), try quantizedShare(int8?.sevenBit))
    }

    /// Times each precision on the first `batch` rows of `data`.
    func measure(batch: Int, data: LabeledImages, calls: Int) throws -> [Measurement] {
        let width = data.pixelsPerImage
        let pixels = Array(data.pixels[0..<batch * width])
        let features = try Matrix(rows: batch, columns: width, scalars: pixels)
        let float32 = Timing.measure(warmUps: 10, calls: calls) { _ = try? model.predict(features) }.median
        var codes = [UInt8](repeating: 0, count: batch * width)
        var logits = [Float](repeating: 0, count: batch * model.outputSize)
        func time(_ network: QuantizedNetwork) -> Double {
            pixels.withUnsafeBufferPointer { source in
                codes.withUnsafeMutableBufferPointer { codeBuffer in
                    logits.withUnsafeMutableBufferPointer { output in
                        Timing.measure(warmUps: 10, calls: calls) {
                            try? network.input.quantize(source, into: codeBuffer)
                            network.logits(codes: UnsafeBufferPointer(codeBuffer), rows: batch, into: output)
                        }.median
                    }
                }
            }
        }
        let timed = [("float32", float32)] + (int8.map { [("int8", time($0.exact)), ("int8-w7", time($0.sevenBit))] } ?? [])
        let threads = Execution.current.threads
        return timed.map { precision, seconds in
            Measurement(
                precision: precision, batch: batch, threads: threads, secondsPerBatch: seconds,
                samplesPerSecond: Double(batch) / seconds)
        }
    }
}

/// A failure of the inference benchmark (the JSON report cannot be written).
struct BenchInferenceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
