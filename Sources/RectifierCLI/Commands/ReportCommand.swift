import ArgumentParser
import Experiments

#if canImport(Glibc)
import Glibc
#endif

/// `rectifier report [--out DIR]`: rebuilds DIR/index.html and DIR/summary.md from the
/// experiment results already in DIR; with `--merge DIR…`, first puts the shard files found
/// in those directories together into DIR/NAME.json.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Rebuild DIR/index.html and DIR/summary.md from every experiment's JSON in DIR.",
        discussion: """
            With --merge, the shard files (NAME.shard-K-of-N.json, written by --shard K/N) found \
            in the given directories are first merged into DIR/NAME.json with its tables and \
            plots: refused unless they are one run (same version, seeds, settings) holding every \
            trial exactly once. The merge reads the data the experiments describe.
            """)

    @Option(help: "The directory holding the experiments' JSON and SVG files.")
    var out = "report"

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Directories holding shard files to merge into --out first.", valueName: "dir"))
    var merge: [String] = []

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out must name a directory") }
        if merge.contains(where: \.isEmpty) { throw ValidationError("--merge must name directories") }
    }

    func run() throws {
        if !merge.isEmpty {
            try mergeShards()
        }
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

    /// Merges every experiment's shards into `--out`, printing the verdicts; refuses the whole
    /// merge when any experiment's shards cannot be merged (after trying the others).
    private func mergeShards() throws {
        for directory in merge {
            var status = stat()
            guard stat(directory, &status) == 0 else {
                throw CommandFailure("--merge \(directory): \(String(cString: strerror(errno)))")
            }
            guard status.st_mode & S_IFMT == S_IFDIR else { throw CommandFailure("--merge \(directory): is a file, not a directory") }
        }
        try CommandFiles.requireWritableDirectory(out, flag: "--out")
        var seen = Set<String>()
        let found = try ShardFiles.find(in: merge.filter { seen.insert($0).inserted })
        guard !found.isEmpty else {
            throw CommandFailure("--merge: no shard files (NAME.shard-K-of-N.json) in \(merge.joined(separator: ", "))")
        }
        let order = [ExperimentRegistry.comparison.name] + ExperimentRegistry.all.map(\.name)
        let names = found.keys.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
        var failures: [String] = []
        for name in names {
            let shards = found[name]!, run = shards[0].header.run
            do {
                guard let experiment = ExperimentRegistry.any(named: name) else {
                    throw CommandFailure("\(shards[0].path): no experiment called \(name)")
                }
                let context = try ExperimentContext(merging: run, outputDirectory: out, progress: TerminalProgress.reporter())
                let paths = shards.map(\.path)
                let claims = if name == LeakyUnitsExperiment.name, let arguments = run.arguments {
                    try ExperimentLeakyUnitsCommand.merge(paths, context: context, arguments: arguments)
                } else {
                    try experiment.merge(paths, context, rectifierVersion)
                }
                if !claims.isEmpty { print(ClaimTable.text(claims.map { (name, $0) })) }
                print("merged \(shards.count) shard files of \(name) into \(ExperimentOutput.path(name + ".json", in: out))")
            } catch {
                printToStandardError("rectifier: \(error)")
                failures.append(name)
            }
        }
        if !failures.isEmpty {
            throw CommandFailure("--merge: cannot merge \(failures.joined(separator: ", ")) (see the messages above)")
        }
    }
}
