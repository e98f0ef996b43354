import Foundation
import Interchange
import Runtime
import Testing

/// Foundation's file errors become the system's one-line reason.
@Suite struct FileErrorTextTests {
    @Test func foundationErrorsReadAsTheSystemReason() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("a-file")
        try writeBytes([1], to: file)
        let missing = #expect(throws: (any Error).self) {
            try FileManager.default.contentsOfDirectory(atPath: directory.file("absent"))
        }
        let exists = #expect(throws: (any Error).self) {
            try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: true)
        }
        #expect(missing.map(FileErrorText.reason) == "No such file or directory")
        #expect(exists.map(FileErrorText.reason) == "File exists")
        #expect(missing.map { FileErrorText.message($0, path: "/x") } == "/x: No such file or directory")
    }

    @Test func otherErrorsGiveTheirFirstLine() {
        #expect(FileErrorText.reason(POSIXError(.EACCES)) == "Permission denied")
        #expect(FileErrorText.reason(CocoaError(.fileWriteOutOfSpace)) == "No space left on device")
        #expect(FileErrorText.reason(AtomicFileError.renameFailed(path: "p", errno: EISDIR)) == "Is a directory")
        #expect(FileErrorText.reason(AtomicFileError.notAFilePath(path: "d/")).contains("names no file"))
        struct TwoLines: Error, CustomStringConvertible { var description: String { "first\nsecond" } }
        #expect(FileErrorText.reason(TwoLines()) == "first")
    }
}
