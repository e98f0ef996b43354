import ArgumentParser
import Foundation
import RectifierCLI
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Arguments that are not UTF-8, `--version`, and lists of values read from a file or
/// standard input.
@Suite struct ClearWordsTests {
    @Test func argumentsThatAreNotUTF8AreRefusedNamingThem() throws {
        let plain = [Array("plot".utf8), Array("relu".utf8), Array("-o".utf8), Array("é.svg".utf8)]
        #expect(try RectifierCommand.arguments(fromRaw: plain) == ["plot", "relu", "-o", "é.svg"])
        for (bytes, shown) in [
            ([0x70, 0xFF, 0x2E, 0x73, 0x76, 0x67], "p\\xFF.svg"), ([0xC3], "\\xC3"), ([0x61, 0xED, 0xA0, 0x80], "a\\xED\\xA0\\x80"),
        ] as [([UInt8], String)] {
            let error = #expect(throws: ValidationError.self) {
                try RectifierCommand.arguments(fromRaw: plain.dropLast() + [bytes])
            }
            #expect(RectifierCommand.exitCode(for: try #require(error)) == .validationFailure)
            #expect(error?.message == "argument 4 ('\(shown)') is not valid UTF-8; give file names and values as UTF-8 text")
        }
    }

    /// The process itself: `plot relu -o p\xff.svg` used to write `p\u{FFFD}.svg`, exit 0.
    @Test func theToolRefusesAFileNameThatIsNotUTF8() throws {
        let data = try SyntheticMNIST()
        let process = try ToolProcess(
            [Array("plot".utf8), Array("relu".utf8), Array("-o".utf8), Array((data.path + "/p").utf8) + [0xFF] + Array(".svg".utf8)],
            directory: data.path)
        #expect(process.wait() == 64)
        #expect(process.error == "rectifier: argument 4 ('\(data.path)/p\\xFF.svg') is not valid UTF-8; give file names and values as UTF-8 text\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).filter { $0.hasSuffix(".svg") }.isEmpty)
    }

    @Test func versionPrintsTheVersion() throws {
        do {
            _ = try RectifierCommand.parseAsRoot(["--version"])
            Issue.record("--version parsed as a command")
        } catch {
            #expect(RectifierCommand.exitCode(for: error) == .success)
            #expect(RectifierCommand.fullMessage(for: error) == rectifierVersion)
        }
        #expect(rectifierVersion.split(separator: ".").count == 3)
        let directory = try SyntheticMNIST()
        let run = try ToolProcess.run(["--version"], directory: directory.path)
        #expect(run.status == 0 && run.output == rectifierVersion + "\n")
    }

    /// Run as a process, so its standard output is its own: ±(10⁶ + k), alternating.
    @Test func valuesAreReadFromAFileInOnePass() throws {
        let data = try SyntheticMNIST()
        let path = data.file("values.txt")
        let values = (0..<200_000).map { $0 % 2 == 0 ? "-\(1_000_000 + $0)" : "\(1_000_000 + $0)" }
        try Data((values.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let run = try ToolProcess.run(["eval", "relu", "--type", "double", "--input", path], directory: data.path)
        #expect(run.status == 0)
        let rows = run.output.split(separator: "\n")
        #expect(rows.count == 200_001)
        #expect(rows.first == "x,value,derivative" && rows[1] == "-1000000.0,0.0,0.0" && rows.last == "1199999.0,1199999.0,1.0")
        // Across the boundary of the first block of 65 536 values.
        #expect(rows[65_536...65_537] == ["1065535.0,1065535.0,1.0", "-1065536.0,0.0,0.0"])
        try Data("0.5, -1e-3\tinf\n\n  nan,0x1p-3\n".utf8).write(to: URL(fileURLWithPath: path))
        let mixed = try ToolProcess.run(["eval", "leaky:0.5", "--input", path], directory: data.path)
        #expect(mixed.output == "x,value,derivative\n0.5,0.5,1.0\n-0.001,-0.0005,0.5\ninf,inf,1.0\nnan,nan,nan\n0.125,0.125,1.0\n")
    }

    @Test func valuesAreReadFromStandardInput() throws {
        let data = try SyntheticMNIST()
        let path = data.file("values.txt")
        try Data("0.25 -2\n".utf8).write(to: URL(fileURLWithPath: path))
        let run = try ToolProcess.run(["eval", "abs", "--input", "-"], directory: data.path, input: path)
        #expect(run.status == 0)
        #expect(run.output == "x,value,derivative\n0.25,0.25,1.0\n-2.0,2.0,-1.0\n")
    }

    @Test func badListsAreRefusedNamingTheLine() throws {
        let data = try SyntheticMNIST()
        let path = data.file("values.txt")
        try Data("1 2\n3\n\n4 five 6\n".utf8).write(to: URL(fileURLWithPath: path))
        for (arguments, status, message) in [
            (["eval", "relu", "--input", path], 1, "--input \(path): line 4: 'five' is not a number"),
            (["eval", "relu", "--input", data.file("absent.txt")], 1, "--input \(data.file("absent.txt")): No such file or directory"),
            (["eval", "relu", "--input", data.path], 1, "--input \(data.path): Is a directory"),
            (["eval", "relu", "--input", "/dev/zero"], 1, "--input /dev/zero: line 1: a value longer than 4096 bytes"),
            (["eval", "relu", "--input", "/dev/null"], 1, "--input /dev/null: holds no values"),
            (["eval", "relu", "--input", path, "--", "1"], 64, "give the values on the command line or with --input, not both"),
            (["eval", "relu"], 64, "give at least one value to evaluate at (or --input FILE)"),
            (["eval", "relu", "--", "1", "2", "x"], 64, "'x' is not a number"),
        ] as [([String], Int32, String)] {
            let error = try #require(failureOfRectifier(arguments), "\(arguments)")
            let (actual, text) = exitStatusAndMessage(error)
            #expect(actual == status, "\(arguments): \(text)")
            #expect(text == message, "\(arguments)")
        }
    }
}
