import Experiments
import Networks
import Runtime

/// Small synthetic data for the experiments' tests: `count` samples of `features` values in
/// [0, 1] whose class (of 10) is the index of the largest of the first ten features, so a
/// network can learn it.
enum ExperimentFixtures {
    static func subset(training: Int = 96, validation: Int = 32, features: Int = 12, seed: UInt64 = 7) -> ExperimentData {
        var generator = SeededGenerator(seed: seed)
        func make(_ count: Int) -> Dataset<Float> {
            var values: [Float] = [], labels: [Int] = []
            for _ in 0..<count {
                let row = (0..<features).map { _ in Float(generator.nextDouble()) }
                values += row
                labels.append(row.prefix(10).indices.max { row[$0] < row[$1] }!)
            }
            return try! Dataset(features: try! Matrix(rows: count, columns: features, scalars: values), labels: labels)
        }
        return ExperimentData(training: make(training), validation: make(validation), description: "synthetic")
    }

    /// A scratch output directory under the system's temporary directory.
    static func outputDirectory(_ name: String) -> String {
        "/tmp/rectifier-experiments-tests-\(name)-\(getpid())"
    }

    /// A context writing into `directory` whose progress snapshots land in `log`.
    static func context(_ directory: String, seeds: Int = 2, log: ProgressLog = ProgressLog()) throws -> ExperimentContext {
        try ExperimentContext(outputDirectory: directory, seeds: seeds, progress: ProgressReporter { log.record($0) })
    }
}

/// The progress fractions an experiment reported, in order.
final class ProgressLog: @unchecked Sendable {
    private(set) var fractions: [Double] = []
    private(set) var finished = false

    func record(_ snapshot: ProgressSnapshot) {
        fractions.append(snapshot.fraction)
        finished = finished || snapshot.isFinished
    }
}

#if canImport(Glibc)
import Glibc
#endif
