import Interchange
import Plotting
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Errors writing an experiment's files.
public enum ExperimentError: Error, CustomStringConvertible, Equatable {
    /// The output directory could not be made.
    case cannotCreateDirectory(path: String, reason: String)
    /// A file could not be written.
    case cannotWrite(path: String, reason: String)
    /// The options are impossible (names the flag and what is allowed).
    case invalidOption(flag: String, reason: String)
    /// The experiment could not run (missing data, a diverged run with no result…).
    case failed(experiment: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason): "cannot create directory \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .invalidOption(let flag, let reason): "\(flag): \(reason)"
        case .failed(let experiment, let reason): "experiment \(experiment): \(reason)"
        }
    }
}

extension ExperimentError {
    /// Throws ``invalidOption(flag:reason:)`` unless `condition` holds.
    static func require(_ condition: Bool, _ flag: String, _ reason: @autoclosure () -> String) throws(ExperimentError) {
        if !condition { throw .invalidOption(flag: flag, reason: reason()) }
    }

    /// Throws unless `value` ≥ 1.
    static func requirePositive(_ value: Int, _ flag: String) throws(ExperimentError) {
        try require(value >= 1, flag, "\(value) is not allowed (≥ 1)")
    }

    /// Throws unless `widths` is a non-empty list of widths ≥ 1.
    static func requireWidths(_ widths: [Int]) throws(ExperimentError) {
        try require(!widths.isEmpty && widths.allSatisfy { $0 >= 1 },
            "hidden sizes", "\(widths) is not allowed (a non-empty list of widths ≥ 1)")
    }

    /// The checks of every grid of trained networks, in this order: a seed, an activation,
    /// epochs ≥ 1, batch size ≥ 1.
    static func requireGrid(seeds: [UInt64], activations: [String], epochs: Int, batchSize: Int) throws(ExperimentError) {
        try require(!seeds.isEmpty, "seeds", "at least one seed is needed")
        try require(!activations.isEmpty, "activations", "at least one activation is needed")
        try requirePositive(epochs, "epochs")
        try requirePositive(batchSize, "batch size")
    }

    /// Throws unless SGD's shared rate is finite and > 0 and its momentum in [0, 1).
    static func requireSGD(learningRate: Double, momentum: Double) throws(ExperimentError) {
        try require(learningRate > 0 && learningRate.isFinite, "learning rate", "\(learningRate) is not allowed (finite, > 0)")
        try require(momentum >= 0 && momentum < 1, "momentum", "\(momentum) is not allowed ([0, 1))")
    }
}

/// Where an experiment writes: `DIR/NAME.json`, `DIR/NAME*.csv` and its SVG plots, each file
/// replaced atomically.
public struct ExperimentOutput: Sendable {
    /// The output directory (made if missing).
    public let directory: String

    /// Makes `directory` (and its parents) if needed.
    /// - Throws: ``ExperimentError/cannotCreateDirectory(path:reason:)``.
    public init(directory: String) throws(ExperimentError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateDirectory(path: directory, reason: FileErrorText.reason(error))
        }
        self.directory = directory
    }

    /// The path of `fileName` inside the directory.
    public func path(_ fileName: String) -> String { Self.path(fileName, in: directory) }

    /// The names in `directory`, sorted.
    /// - Throws: ``ExperimentError/failed(experiment:reason:)`` of `command` when the
    ///   directory cannot be listed.
    static func names(in directory: String, for command: String) throws(ExperimentError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw .failed(experiment: command, reason: "cannot list \(directory): \(FileErrorText.reason(error))")
        }
    }

    /// The path of `fileName` inside `directory`, without making it.
    public static func path(_ fileName: String, in directory: String) -> String {
        directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
    }

    /// Writes `text` to `DIR/fileName` atomically.
    public func write(text: String, to fileName: String) throws(ExperimentError) {
        let target = path(fileName)
        do {
            try AtomicFile.write(Array(text.utf8), to: target)
        } catch {
            throw .cannotWrite(path: target, reason: error.description)
        }
    }

    /// Writes `chart` as SVG to `DIR/fileName` atomically and returns it as a figure of the
    /// document, with `caption`.
    /// - Throws: ``ExperimentError/cannotWrite(path:reason:)`` naming the file, when the chart
    ///   cannot be drawn or written.
    func figure(_ chart: some Chart, _ fileName: String, caption: String) throws(ExperimentError) -> FigureReference {
        let svg: String
        do {
            svg = try chart.svg()
        } catch {
            throw .cannotWrite(path: path(fileName), reason: error.description)
        }
        try write(text: svg, to: fileName)
        return FigureReference(file: fileName, caption: caption)
    }

    /// Writes the document as pretty-printed JSON to `DIR/EXPERIMENT.json` and each of its
    /// tables as `DIR/EXPERIMENT-k.csv` (k from 1); returns the JSON's path.
    @discardableResult
    public func write<Results>(_ document: ExperimentDocument<Results>) throws(ExperimentError) -> String {
        let data: Data
        do {
            data = try ExperimentJSON.encoder().encode(document)
        } catch {
            throw .cannotWrite(path: path(document.experiment + ".json"), reason: FileErrorText.reason(error))
        }
        let jsonName = document.experiment + ".json"
        try write(text: String(decoding: data, as: UTF8.self) + "\n", to: jsonName)
        for (index, table) in document.tables.enumerated() {
            try write(text: table.csv, to: "\(document.experiment)-\(index + 1).csv")
        }
        return path(jsonName)
    }
}

/// The JSON coders of every experiment file: keys are the Swift names in snake_case
/// (`wallSeconds` → `wall_seconds`, `samplesPerSecondBatch1` → `samples_per_second_batch1`;
/// a run of capitals is one word, `finalMSE` → `final_mse`), sorted and pretty-printed.
/// Dictionary keys (the settings) are written as they are.
public enum ExperimentJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
