import Experiments
import Networks
import Runtime

/// Small learnable data for fast runs: `count` samples of `features` values around one of ten
/// class prototypes, drawn from a fixed seed.
enum SyntheticData {
    static func make(count: Int, features: Int = 24, seed: UInt64 = 7) throws -> ExperimentData {
        var generator = SeededGenerator(seed: seed)
        var prototypes = [Float](repeating: 0, count: 10 * features)
        prototypes.withUnsafeMutableBufferPointer { generator.fillUniform($0, lower: 0, upper: 1) }
        func dataset(_ rows: Int) throws -> Dataset<Float> {
            let labels = (0..<rows).map { _ in generator.nextIndex(below: 10) }
            var noise = [Float](repeating: 0, count: rows * features)
            noise.withUnsafeMutableBufferPointer { generator.fillUniform($0, lower: -0.6, upper: 0.6) }
            let values = (0..<rows * features).map { index in
                prototypes[labels[index / features] * features + index % features] + noise[index]
            }
            return try Dataset(
                features: try Matrix(rows: rows, columns: features, scalars: values), labels: labels)
        }
        return ExperimentData(
            training: try dataset(count), validation: try dataset(count / 4), test: try dataset(count / 4),
            description: "synthetic: \(count) training samples")
    }

    /// A fresh empty directory under the system's temporary directory.
    static func temporaryDirectory(_ name: String) -> String {
        let path = "/tmp/rectifier-experiments-tests-\(name)-\(UInt64.random(in: 0...UInt64.max))"
        return path
    }
}
