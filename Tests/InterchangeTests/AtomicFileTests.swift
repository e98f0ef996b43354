import Foundation
import Interchange
import Runtime
import Testing

/// Whole-file replacement: the new bytes or the old file, never a part, and no temporary
/// file left behind on success or failure.
@Suite struct AtomicFileTests {
    @Test func writesAndReplacesWithNothingLeftOver() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("data.bin")
        try AtomicFile.write([1, 2, 3], to: path)
        #expect(try readBytes(path) == [1, 2, 3])
        let large = (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try AtomicFile.write(large, to: path, permissions: 0o600)
        #expect(try readBytes(path) == large)
        #expect(try directory.contents() == ["data.bin"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try AtomicFile.write([], to: path)
        #expect(try readBytes(path) == [])
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o644)
    }

    /// The streaming write appends chunk by chunk; a producer that throws leaves the old
    /// file and no temporary file.
    @Test func streamingWritesReplaceOnlyWhenTheProducerFinishes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("rows.csv")
        try AtomicFile.write(to: path) { sink in
            for row in 0..<1000 { try sink.append("\(row)\n") }
        }
        let expected = (0..<1000).map { "\($0)\n" }.joined()
        #expect(try readBytes(path) == Array(expected.utf8))
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try AtomicFile.write(to: path) { sink in
                try sink.append("partial")
                throw Stop()
            }
        }
        #expect(try readBytes(path) == Array(expected.utf8))
        #expect(try directory.contents() == ["rows.csv"])
    }

    /// A writer killed mid-write leaves `.NAME.tmp-PID-…`; the next write of the same target
    /// removes it once that process is gone, and leaves a live writer's file alone.
    @Test func orphanedTemporaryFilesOfDeadWritersAreRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier, live = getpid()
        let orphan = ".model.safetensors.tmp-\(dead)-Ab12Cd"
        let busy = ".model.safetensors.tmp-\(live)-Ef34Gh"
        let unrelated = [".other.bin.tmp-\(dead)-Ij56Kl", ".model.safetensors.tmp-Mn78Op"]
        for name in [orphan, busy] + unrelated { try writeBytes([9, 9], to: directory.file(name)) }
        try AtomicFile.write([1, 2], to: directory.file("model.safetensors"))
        #expect(try readBytes(directory.file("model.safetensors")) == [1, 2])
        #expect(try directory.contents() == ([busy, "model.safetensors"] + unrelated).sorted())
    }

    @Test func failuresNameThePathAndLeaveNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let missing = directory.file("missing/out.bin")
        #expect(throws: AtomicFileError.cannotCreateTemporaryFile(
            path: missing, directory: directory.file("missing"), errno: ENOENT)) {
            try AtomicFile.write([1], to: missing)
        }
        try writeBytes([0], to: directory.file("plain"))
        #expect(throws: AtomicFileError.cannotCreateTemporaryFile(
            path: directory.file("plain/out.bin"), directory: directory.file("plain"), errno: ENOTDIR)) {
            try AtomicFile.write([1], to: directory.file("plain/out.bin"))
        }
        try FileManager.default.createDirectory(atPath: directory.file("taken"), withIntermediateDirectories: false)
        #expect(throws: AtomicFileError.renameFailed(path: directory.file("taken"), errno: EISDIR)) {
            try AtomicFile.write([1], to: directory.file("taken"))
        }
        #expect(throws: AtomicFileError.notAFilePath(path: "")) { try AtomicFile.write([1], to: "") }
        #expect(throws: AtomicFileError.notAFilePath(path: directory.path + "/")) {
            try AtomicFile.write([1], to: directory.path + "/")
        }
        #expect(try directory.contents() == ["plain", "taken"])
        let message = AtomicFileError.renameFailed(path: "/x/y", errno: EISDIR).description
        #expect(message == "cannot write '/x/y': cannot replace it: Is a directory")
    }

    @Test func safeTensorsWriteFailuresWrapTheFileError() throws {
        let path = "/nonexistent-rectifier-directory/model.safetensors"
        #expect(throws: SafeTensorsError.writeFailed(.cannotCreateTemporaryFile(
            path: path, directory: "/nonexistent-rectifier-directory", errno: ENOENT))) {
            try SafeTensors().write(to: path)
        }
    }

    /// A reader running beside the writer sees one complete version or the other.
    @Test func readersNeverSeeAPartialFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.safetensors")
        let versions = try (0..<2).map { version in
            SafeTensors(tensors: ["w": try .init([Float](repeating: Float(version), count: 50_000))])
        }
        try versions[0].write(to: path)
        let writer = Task.detached {
            for round in 1...40 { try versions[round % 2].write(to: path) }
        }
        for _ in 0..<200 {
            let read = try SafeTensors(contentsOf: path)
            #expect(read == versions[0] || read == versions[1])
        }
        try await writer.value
    }

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func fullDiskKeepsThePreviousFile() throws {
        let mount = try TinyFileSystem(options: "size=64k")
        defer { mount.remove() }
        let path = mount.path + "/model.safetensors"
        let small = SafeTensors(tensors: ["w": try .init([Float](repeating: 1, count: 100))])
        try small.write(to: path)
        let large = SafeTensors(tensors: ["w": try .init([Float](repeating: 2, count: 100_000))])
        #expect(throws: SafeTensorsError.writeFailed(.writeFailed(path: path, errno: ENOSPC))) {
            try large.write(to: path)
        }
        #expect(try SafeTensors(contentsOf: path) == small)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path) == ["model.safetensors"])
    }

    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func readOnlyFileSystemIsRefused() throws {
        let mount = try TinyFileSystem(options: "size=64k,ro")
        defer { mount.remove() }
        let path = mount.path + "/model.safetensors"
        #expect(throws: AtomicFileError.cannotCreateTemporaryFile(path: path, directory: mount.path, errno: EROFS)) {
            try AtomicFile.write([1], to: path)
        }
    }
}

/// A small tmpfs mounted on a fresh directory, for a full or read-only disk.
struct TinyFileSystem {
    let directory: TemporaryDirectory
    var path: String { directory.path }

    init(options: String) throws {
        directory = try TemporaryDirectory()
        let status = try run("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", directory.path])
        if status != 0 {
            directory.remove()
            Issue.record("mount -t tmpfs -o \(options) failed with status \(status)")
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    func remove() {
        _ = try? run("/bin/umount", [path])
        directory.remove()
    }
}

private func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
