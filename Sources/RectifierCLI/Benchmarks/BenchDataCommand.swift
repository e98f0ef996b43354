import ArgumentParser
import Datasets
import Foundation
import Interchange
import Runtime

/// `rectifier bench data --csv FILE --npy FILE --npz FILE [--runs N] [--json FILE]`: reading
/// speed of the data readers against a plain read of the same bytes.
struct BenchDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Time reading CSV, .npy and .npz files against a plain read of the same bytes.",
        discussion: """
            For each file given: the fastest of --runs readings by DataReader (the CSV's last \
            column and the .npz's y as class labels; \
            page cache warm after a first untimed reading) and the fastest plain read of the \
            whole file into a fresh buffer of its size (one read(2), the page faults of the \
            buffer included), and their ratio. Times are CPU seconds of the process (user + \
            system; every reader here runs on one thread), so that other work on a shared \
            machine does not count; MB/s are of file bytes. bench/compare \
            (task data) writes the files with pandas and NumPy and times pandas.read_csv \
            beside this.
            """)

    @Option(help: ArgumentHelp("A numeric CSV file with a header row.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("A NumPy .npy array.", valueName: "file"))
    var npy: String?

    @Option(help: ArgumentHelp("A NumPy .npz archive with x (and y).", valueName: "file"))
    var npz: String?

    @Option(help: "Timed readings per file (1…100).")
    var runs = 5

    @Option(help: ArgumentHelp("Also write the results as a JSON array to this file.", valueName: "file"))
    var json: String?

    struct Measurement: Codable {
        var format: String
        var path: String
        var bytes: Int
        var seconds: Double
        var plainReadSeconds: Double
        var ratioToPlainRead: Double
    }

    func validate() throws {
        try requireRange(runs, 1...100, flag: "--runs")
        guard csv != nil || npy != nil || npz != nil else { throw ValidationError("give at least one of --csv, --npy, --npz") }
    }

    func run() throws {
        var files = CommandFiles()
        for (path, flag) in [(csv, "--csv"), (npy, "--npy"), (npz, "--npz")] { files.reads(path, flag: flag) }
        files.writes(json, flag: "--json")
        try files.check()
        print(BenchActivationsCommand.machine)
        var rows: [Measurement] = []
        for case let (path?, format) in [(csv, "csv"), (npy, "npy"), (npz, "npz")] {
            let reader = DataReader(featuresOnly: format == "npy")
            _ = try asFailure { try reader.read(path) }
            var readTimes: [Double] = [], plainTimes: [Double] = []
            var bytes = 0
            for _ in 0..<runs {
                plainTimes.append(try asFailure { try Self.seconds { bytes = try FileContents.read(path).count } })
                readTimes.append(try Self.seconds { _ = try reader.read(path) })
            }
            let row = Measurement(
                format: format, path: path, bytes: bytes, seconds: readTimes.min()!, plainReadSeconds: plainTimes.min()!,
                ratioToPlainRead: plainTimes.min()! / readTimes.min()!)
            print("\(format): \(decimal(row.seconds, 4)) s (\(decimal(Double(bytes) / row.seconds / 1e6, 0)) MB/s); "
                + "plain read \(decimal(row.plainReadSeconds, 4)) s (\(decimal(Double(bytes) / row.plainReadSeconds / 1e6, 0)) MB/s); "
                + "×plain read \(decimal(row.ratioToPlainRead, 2))")
            rows.append(row)
        }
        if let json {
            try writeJSON(rows, to: json)
        }
    }

    /// CPU seconds (user + system) of the process spent in `body`.
    private static func seconds(_ body: () throws -> Void) throws -> Double {
        func now() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        }
        let start = now()
        try body()
        return now() - start
    }
}
