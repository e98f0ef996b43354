import Activations
import Interchange
import Networks
import Quantization
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One trained model evaluated in Float64, Float32 and int8 on the same test set.
package struct PrecisionComparison: Sendable {
    /// The three ways the model is run.
    package enum NumberType: String, Codable, Sendable, CaseIterable {
        case float64, float32, int8
    }

    /// What one number type gave.
    package struct Measurement: Codable, Sendable {
        package let type: NumberType
        /// Fraction of test samples classified correctly, in [0, 1].
        package let testAccuracy: Double
        /// Fraction of test samples whose predicted class equals Float64's, in [0, 1].
        package let agreementWithFloat64: Double
        /// Bytes of the model file in this type: a float model file (`ModelFile`, F64 or
        /// F32, no training state) or an int8 model file (``QuantizedModelFile``).
        package let modelBytes: Int
        /// Inference samples/s on 1 thread at batch 1024, and at batch 1; nil when not timed.
        package let samplesPerSecond: Double?
        package let samplesPerSecondBatch1: Double?
        /// Samples/s of each timed call at batch 1024 (≥ 5 calls); nil when not timed.
        package let samplesPerSecondCalls: [Double]?
    }

    package let measurements: [Measurement]

    /// Quantises `model` (calibrated on `calibration` with min/max) and evaluates the three
    /// forms on `test`; times each at batch 1024 and 1 on one thread when `timing` is given
    /// (at least that many seconds per figure, the median call).
    /// - Throws: ``QuantizationError`` when the model does not quantise; a `NetworkError`
    ///   when the data does not fit the model.
    package init(
        model: Sequential<Float>, calibration: Matrix<Float>, test: Dataset<Float>, timingSeconds timing: Double?
    ) throws {
        let wide = Sequential<Double>(converting: model)
        let integer = try QuantizedNetwork.quantize(model, calibration: calibration)
        let labels = test.labels ?? []
        let reference = try wide.predictClasses(Matrix<Double>(converting: test.features))
        let predictions: [NumberType: [Int]] = [
            .float64: reference,
            .float32: try model.predictClasses(test.features),
            .int8: QuantizedNetwork.predictedClasses(
                logits: try integer.logits(test.features.scalars), outputs: integer.outputSize),
        ]
        let bytes: [NumberType: Int] = [
            .float64: try Self.fileBytes { try ModelFile.save(wide, to: $0) },
            .float32: try Self.fileBytes { try ModelFile.save(model, to: $0) },
            .int8: try QuantizedModelFile.contents(integer, architecture: model.architecture).serialized().count,
        ]
        measurements = try NumberType.allCases.map { type in
            let predicted = predictions[type]!
            var speeds: [(median: Double, calls: [Double])?] = [nil, nil]
            if let timing {
                speeds = try [1024, 1].map { batch in
                    try Self.samplesPerSecond(type, batch: batch, seconds: timing, model: model, wide: wide, integer: integer, test: test)
                }
            }
            return Measurement(
                type: type, testAccuracy: Self.fraction(predicted, labels),
                agreementWithFloat64: Self.fraction(predicted, reference), modelBytes: bytes[type]!,
                samplesPerSecond: speeds[0]?.median, samplesPerSecondBatch1: speeds[1]?.median,
                samplesPerSecondCalls: speeds[0]?.calls)
        }
    }

    /// The measurement of `type`.
    package subscript(type: NumberType) -> Measurement {
        measurements.first { $0.type == type }!
    }

    /// The size of the file `write` makes at a temporary path (removed afterwards).
    private static func fileBytes(_ write: (String) throws -> Void) throws -> Int {
        let path = FileManager.default.temporaryDirectory.path + "/rectifier-precision-\(UInt64.random(in: 0...UInt64.max)).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(path)
        return FileManager.default.contents(atPath: path)?.count ?? 0
    }

    static func fraction(_ a: [Int], _ b: [Int]) -> Double {
        guard !a.isEmpty, a.count == b.count else { return 0 }
        return Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
    }

    /// Samples/s of one form at `batch` rows (the first rows of `test`, repeated as needed),
    /// Float features in, logits out, on one thread: from the median call, and of every call.
    private static func samplesPerSecond(
        _ type: NumberType, batch: Int, seconds: Double, model: Sequential<Float>, wide: Sequential<Double>,
        integer: QuantizedNetwork, test: Dataset<Float>
    ) throws -> (median: Double, calls: [Double]) {
        let columns = test.features.columns
        let scalars = (0..<batch * columns).map { test.features.scalars[$0 % test.features.scalars.count] }
        let features = try Matrix(rows: batch, columns: columns, scalars: scalars)
        let doubles = Matrix<Double>(converting: features)
        let summary = try Execution.serial.run { () throws -> Timing.Summary in
            switch type {
            case .float64: try Timing.measure(calls: Verdict.minimumTimings, atLeast: seconds) { _ = try wide.predict(doubles) }
            case .float32: try Timing.measure(calls: Verdict.minimumTimings, atLeast: seconds) { _ = try model.predict(features) }
            case .int8: try Timing.measure(calls: Verdict.minimumTimings, atLeast: seconds) { _ = try integer.logits(scalars) }
            }
        }
        return (Double(batch) / summary.median, summary.durations.map { Double(batch) / $0 })
    }
}
