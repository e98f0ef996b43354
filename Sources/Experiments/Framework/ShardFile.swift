import Interchange
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What makes shards parts of one run: every field must be equal in all the shards a merge
/// takes.
public struct ShardRun: Codable, Hashable, Sendable {
    /// `rectifier --version` of the program that measured the shard.
    public var version: String
    /// Seeds per configuration, the long version or not, threads and the data directory: the
    /// options the merge rebuilds the experiment's context from.
    public var seeds: Int, full: Bool, threads: Int, data: String
    /// The experiment's configuration as Swift prints it: the merge compares it with the one it
    /// rebuilds, so a shard of other settings is refused.
    public var configuration: String
    /// The experiment's own options, as command-line arguments, for an experiment command
    /// that has some (leaky-units); nil for the version's standard configuration.
    public var arguments: [String]?
    /// A label of every trial of the run, in trial order.
    public var trials: [String]
    /// The trial indices of every shard (shard K at K − 1).
    public var deal: [[Int]]
}

/// One measured trial in a shard file: its index in the run's trial order and what
/// ``Experiment/measure(_:configuration:inputs:progress:)`` returned.
public struct ShardMeasurement<Measurement: Codable & Sendable>: Codable, Sendable {
    public var trial: Int
    public var measurement: Measurement
}

/// `DIR/NAME.shard-K-of-N.json`: the measurements of one shard's trials and everything a
/// merge needs to check that the shards belong together and to describe them as one run.
///
/// Written with Swift's own key names and exact numbers (NaN and ±∞ as the strings "nan",
/// "+inf", "-inf"), so a measurement reads back bit for bit.
public struct ShardFile<Measurement: Codable & Sendable>: Codable, Sendable {
    /// Marks the file's kind and layout.
    public var format = ShardFile.formatName
    public var experiment: String
    /// K and N.
    public var shard: Int, shards: Int
    public var run: ShardRun
    /// The shard's trials, in trial order.
    public var measurements: [ShardMeasurement<Measurement>]
    /// Seconds the shard took (reading the data and measuring).
    public var wallSeconds: Double

    public static var formatName: String { "rectifier-shard-1" }

    enum CodingKeys: String, CodingKey {
        case format, experiment, shard, shards, run, measurements
        case wallSeconds = "wall_seconds"
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// Reads the shard file at `path`.
    /// - Throws: ``ExperimentError/failed(experiment:reason:)`` naming the file when it cannot
    ///   be read or is not a shard file of this layout.
    public static func read(_ path: String) throws(ExperimentError) -> ShardFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .failed(experiment: "merge", reason: "cannot read \(path)")
        }
        let file: ShardFile
        do {
            file = try decoder().decode(ShardFile.self, from: data)
        } catch {
            throw .failed(experiment: "merge", reason: "\(path) is not a shard file: \(FileErrorText.reason(error))")
        }
        guard file.format == formatName else {
            throw .failed(experiment: "merge", reason: "\(path) is a shard file of layout '\(file.format)', not \(formatName)")
        }
        return file
    }

    /// Writes the file atomically into `output`; returns its path.
    func write(to output: ExperimentOutput) throws(ExperimentError) -> String {
        let name = try Shard(index: shard, count: shards).fileName(experiment: experiment)
        let data: Data
        do {
            data = try Self.encoder().encode(self)
        } catch {
            throw .cannotWrite(path: output.path(name), reason: FileErrorText.reason(error))
        }
        try output.write(text: String(decoding: data, as: UTF8.self) + "\n", to: name)
        return output.path(name)
    }
}

/// A shard file's header: its measurements decoded and dropped.
public typealias ShardHeader = ShardFile<IgnoredResults>

/// The shard files in some directories, grouped by experiment.
public enum ShardFiles {
    /// Every `NAME.shard-K-of-N.json` in `directories`, by experiment name (paths sorted).
    /// - Throws: ``ExperimentError/failed(experiment:reason:)`` when a directory cannot be
    ///   listed or a shard file read.
    public static func find(in directories: [String]) throws(ExperimentError) -> [String: [(path: String, header: ShardHeader)]] {
        var found: [String: [(path: String, header: ShardHeader)]] = [:]
        for directory in directories {
            for name in try ExperimentOutput.names(in: directory, for: "merge") where Shard.isShardFile(name) {
                let path = ExperimentOutput.path(name, in: directory)
                let header = try ShardHeader.read(path)
                found[header.experiment, default: []].append((path, header))
            }
        }
        return found
    }
}
