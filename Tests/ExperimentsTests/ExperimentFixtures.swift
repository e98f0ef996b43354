import Experiments
import Networks

/// Small synthetic data for the experiments' tests: `count` samples of `features` values in
/// [0, 1] whose class (of 10) is the index of the largest of the first ten features, so a
/// network can learn it.
enum ExperimentFixtures {
    static func subset(training: Int = 96, validation: Int = 32, features: Int = 12, seed: UInt64 = 7) -> ClassificationSubset {
        var generator = SeededGenerator(seed: seed)
        func make(_ count: Int) -> Dataset<Float> {
            var values: [Float] = [], labels: [Int] = []
            for _ in 0..<count {
                let row = (0..<features).map { _ in Float(generator.nextUniform()) }
                values += row
                labels.append(row.prefix(10).indices.max { row[$0] < row[$1] }!)
            }
            return try! Dataset(features: try! Matrix(rows: count, columns: features, scalars: values), labels: labels)
        }
        return ClassificationSubset(training: make(training), validation: make(validation), origin: "synthetic")
    }

    /// A scratch output directory under the system's temporary directory.
    static func outputDirectory(_ name: String) -> String {
        "/tmp/rectifier-experiments-tests-\(name)-\(getpid())"
    }
}

#if canImport(Glibc)
import Glibc
#endif
