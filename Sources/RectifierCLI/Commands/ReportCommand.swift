import ArgumentParser
import Experiments

#if canImport(Glibc)
import Glibc
#endif

/// `rectifier report [--out DIR]`: rebuilds DIR/index.html and DIR/summary.md from the
/// experiment results already in DIR.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild DIR/index.html and DIR/summary.md from every experiment's JSON in DIR.")

    @Option(help: "The directory holding the experiments' JSON and SVG files.")
    var out = "report"

    func run() throws {
        var status = stat()
        guard stat(out, &status) == 0 else {
            throw CommandFailure("--out \(out): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw CommandFailure("--out \(out): is a file, not a directory") }
        let contents = try Report.read(directory: out)
        guard !contents.experiments.isEmpty else {
            // Damaged results are named, so the user is not told to rerun what is only broken.
            let skipped = contents.skipped.isEmpty ? "" : " (skipped \(contents.skipped.joined(separator: "; ")))"
            throw CommandFailure(
                "--out \(out): no experiment JSON found in \(out)\(skipped.debugDescription.dropFirst().dropLast()); "
                    + "run `rectifier experiment NAME --out \(out)` first")
        }
        let paths = try Report.write(directory: out)
        print("wrote \(paths.html) and \(paths.markdown) from \(contents.experiments.count) experiments")
    }
}
