import ArgumentParser
import Experiments

/// `rectifier report [--out DIR]`: rebuilds DIR/index.html and DIR/summary.md from the
/// experiment results already in DIR.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild DIR/index.html and DIR/summary.md from every experiment's JSON in DIR.")

    @Option(help: "The directory holding the experiments' JSON and SVG files.")
    var out = "report"

    func run() throws {
        let contents = try Report.read(directory: out)
        let paths = try Report.write(directory: out)
        print("wrote \(paths.html) and \(paths.markdown) from \(contents.experiments.count) experiments")
    }
}
