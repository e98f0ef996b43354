import Networks

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `--log FILE.jsonl` of a training run: one JSON object per line, flushed as written,
/// so a run stopped at any moment leaves whole lines behind.
final class RunLog {
    private let file: UnsafeMutablePointer<FILE>
    let path: String

    /// Opens `path`, emptied, or appended to when `append` (a resumed run).
    /// - Throws: ``CommandFailure`` naming the path and the system's reason.
    init(path: String, append: Bool) throws {
        guard let file = fopen(path, append ? "a" : "w") else {
            throw CommandFailure("--log \(path): cannot open the file: \(String(cString: strerror(errno)))")
        }
        self.file = file
        self.path = path
    }

    deinit {
        fclose(file)
    }

    /// Writes the epoch's record with `extra` fields (e.g. `average_validation_accuracy`).
    func write(_ record: EpochRecord, extra: [String: Double]) throws {
        let encoded = try JSONEncoder().encode(record)
        guard var object = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else { return }
        for (key, value) in extra { object[key] = value }
        try write(object)
    }

    /// Writes one object as one line with sorted keys.
    func write(_ object: [String: Any]) throws {
        var line = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        line += "\n"
        let written = line.withCString { fputs($0, file) }
        guard written >= 0, fflush(file) == 0 else {
            throw CommandFailure("--log \(path): cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
