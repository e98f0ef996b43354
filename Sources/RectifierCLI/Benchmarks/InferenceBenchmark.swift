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
    }

    let model: Sequential<Float>
    let quantized: QuantizedNetwork
    let quantized7: QuantizedNetwork

    /// Quantises `model` with ``Quantization/QuantizedNetwork/quantize(_:calibration:options:)``:
    /// weights per output channel at ±127, the input codes fixed to pixels in [0, 1] (scale
    /// 1/255, zero point 0), every other range observed (min–max) on `calibration`.
    /// - Throws: the quantisation errors (an unsupported layer order, non-finite values).
    init(model: Sequential<Float>, calibration: Matrix<Float>) throws {
        self.model = model
        let pixels = try QuantizationParameters(scale: 1 / 255, zeroPoint: 0)
        quantized = try QuantizedNetwork.quantize(
            model, calibration: calibration, options: try QuantizationOptions(input: pixels))
        quantized7 = try QuantizedNetwork.quantize(
            model, calibration: calibration,
            options: try QuantizationOptions(weightPrecision: .bits7, input: pixels))
    }

    /// The share of rows of `data` whose largest output is the label, for each precision, and
    /// the share where each int8 network predicts the class the Float32 model predicts.
    func accuracy(_ data: LabeledImages) throws
        -> (float32: Double, int8: Double, int8W7: Double, agreementInt8: Double, agreementInt8W7: Double)
    {
        let features = try Matrix(rows: data.count, columns: data.pixelsPerImage, scalars: data.pixels)
        let float32 = try model.predictClasses(features)
        let int8 = QuantizedNetwork.predictedClasses(
            logits: try quantized.logits(data.pixels), outputs: quantized.outputSize)
        let int8W7 = QuantizedNetwork.predictedClasses(
            logits: try quantized7.logits(data.pixels), outputs: quantized7.outputSize)
        let labels = data.labels.map(Int.init)
        func share(_ predicted: [Int], _ expected: [Int] = labels) -> Double {
            Double(zip(predicted, expected).filter { $0 == $1 }.count) / Double(expected.count)
        }
        return (share(float32), share(int8), share(int8W7), share(int8, float32), share(int8W7, float32))
    }

    /// Times both precisions on the first `batch` rows of `data`.
    func measure(batch: Int, data: LabeledImages, calls: Int) throws -> [Measurement] {
        let width = data.pixelsPerImage
        let pixels = Array(data.pixels[0..<batch * width])
        let features = try Matrix(rows: batch, columns: width, scalars: pixels)
        let float32 = Timing.measure(warmUps: 10, calls: calls) { _ = try? model.predict(features) }.median
        var codes = [UInt8](repeating: 0, count: batch * width)
        var logits = [Float](repeating: 0, count: batch * quantized.outputSize)
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
        let int8 = time(quantized), int8W7 = time(quantized7)
        let threads = Execution.current.threads
        return [("float32", float32), ("int8", int8), ("int8-w7", int8W7)].map { precision, seconds in
            Measurement(
                precision: precision, batch: batch, threads: threads, secondsPerBatch: seconds,
                samplesPerSecond: Double(batch) / seconds)
        }
    }
}
