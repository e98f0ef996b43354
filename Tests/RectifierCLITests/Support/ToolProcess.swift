import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built `rectifier` executable, run as its own process: for what only a process shows
/// (its own `argv` bytes, buffering of a redirected standard output).
struct ToolProcess {
    let pid: pid_t
    /// Files holding the process's standard output and error.
    let outputPath: String
    let errorPath: String

    /// The executable SwiftPM built beside this test bundle.
    static func executable() throws -> String {
        let bundle = try #require(try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        let path = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("rectifier").path
        try #require(FileManager.default.isExecutableFile(atPath: path), "no rectifier executable at \(path); build it first")
        return path
    }

    /// Starts `rectifier` with `arguments`, each given as raw bytes (so they need not be
    /// UTF-8), standard output and error to files in `directory`, standard input from the
    /// file `input` when given, in `workingDirectory` when given.
    init(_ arguments: [[UInt8]], directory: String, input: String? = nil, workingDirectory: String? = nil) throws {
        outputPath = directory + "/stdout.txt"
        errorPath = directory + "/stderr.txt"
        let executable = try Self.executable()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let input { posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0) }
        if let workingDirectory { _ = spawnActionsAddChdir(&actions, workingDirectory) }
        let strings = ([Array(executable.utf8)] + arguments).map { bytes -> UnsafeMutablePointer<CChar>? in
            let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
            pointer[bytes.count] = 0
            return pointer
        }
        defer { strings.forEach { $0?.deallocate() } }
        var pid = pid_t()
        let status = (strings + [nil]).withUnsafeBufferPointer { argv in
            posix_spawn(&pid, executable, &actions, nil, UnsafeMutablePointer(mutating: argv.baseAddress!), environ)
        }
        try #require(status == 0, "posix_spawn failed: \(status)")
        self.pid = pid
    }

    /// Runs `rectifier` with `arguments` to its end: the exit status (128 + the signal that
    /// ended it, if one did) and standard output.
    static func run(_ arguments: [String], directory: String, input: String? = nil) throws -> (status: Int32, output: String) {
        let process = try ToolProcess(arguments.map { Array($0.utf8) }, directory: directory, input: input)
        return (process.wait(), process.output)
    }

    /// Waits for the process; its exit status, or 128 + the signal that ended it.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var error: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29), which the Glibc module does not
/// export (it is declared only under `_GNU_SOURCE`).
@_silgen_name("posix_spawn_file_actions_addchdir_np")
private func spawnActionsAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32
