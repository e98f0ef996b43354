import Interchange
import Networks
import Runtime

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `--log FILE.jsonl` of a training run: one JSON object per line, flushed as written,
/// so a run stopped at any moment leaves whole lines behind.
///
/// Nothing is written before the first record: a fresh run's first line replaces any file
/// at the path atomically, so a run that fails before its first epoch leaves the previous
/// log as it was; later lines, and every line of a resumed run, are appended.
final class RunLog {
    private var file: UnsafeMutablePointer<FILE>?
    private let append: Bool
    let path: String

    /// A log at `path`, replaced by the first record, or appended to when `append` (a
    /// resumed run).
    init(path: String, append: Bool) {
        self.path = path
        self.append = append
    }

    deinit {
        if let file { fclose(file) }
    }

    /// Writes the epoch's record with `extra` fields (e.g. `average_validation_accuracy`).
    func write(_ record: EpochRecord, extra: [String: Double]) throws {
        let encoded = try JSONEncoder().encode(record)
        guard var object = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else { return }
        for (key, value) in extra { object[key] = value }
        try write(object)
    }

    /// Writes one object as one line with sorted keys.
    /// - Throws: ``CommandFailure`` naming the path and the system's reason.
    func write(_ object: [String: Any]) throws {
        var line = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        line += "\n"
        if file == nil, !append {
            try asFailure("--log: ") { try AtomicFile.write(Array(line.utf8), to: path) }
            file = try Self.openForAppending(path)
            return
        }
        let file = try file ?? Self.openForAppending(path)
        self.file = file
        let written = line.withCString { fputs($0, file) }
        guard written >= 0, fflush(file) == 0 else {
            throw CommandFailure("--log \(path): cannot write: \(String(cString: strerror(errno)))")
        }
    }

    private static func openForAppending(_ path: String) throws -> UnsafeMutablePointer<FILE> {
        guard let file = fopen(path, "a") else {
            throw CommandFailure("--log \(path): cannot open the file: \(String(cString: strerror(errno)))")
        }
        return file
    }
}
