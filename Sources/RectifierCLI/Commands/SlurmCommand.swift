import ArgumentParser
import Experiments
import Runtime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#endif

/// `rectifier slurm NAME|run`: a Slurm job array measuring the shards of an experiment (or of
/// `rectifier run`) and a merge job that starts when every shard has succeeded
/// (`--dependency=afterok`), both writing into one output directory (see docs/SCALING.md).
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Print (or submit with sbatch) a Slurm job array of shards and the job that merges them.",
        discussion: """
            NAME is an experiment (rectifier experiment NAME) or run (rectifier run). Array task K \
            runs `--shard auto` (shard K of --nodes); the merge job runs `rectifier report --merge \
            DIR --out DIR` once every task has succeeded. The scripts call this program by its \
            absolute path, so it and --out must be on a file system every node sees.
            """)

    @Argument(help: ArgumentHelp("An experiment's name, or run.", valueName: "NAME|run"))
    var name: String

    @OptionGroup var options: ExperimentOptions

    @Option(help: "Array tasks (shards), one node each.")
    var nodes = 4

    @Option(help: "Time limit of each job, in a form sbatch reads (minutes, HH:MM:SS, D-HH:MM).")
    var time: String?

    @Option(help: "The partition to submit to (default: the cluster's).")
    var partition: String?

    @Flag(help: "Write the scripts into --out and submit them with sbatch instead of printing them.")
    var submit = false

    func validate() throws {
        if name != "run" && ExperimentRegistry.named(name) == nil {
            let names = ExperimentRegistry.all.map(\.name).joined(separator: ", ")
            throw ValidationError("\(String(reflecting: name)) is not an experiment (\(names)) or run")
        }
        if options.shard != nil { throw ValidationError("--shard is set by each array task (auto); leave it out") }
        if !(1...Shard.maximumCount).contains(nodes) {
            throw ValidationError("--nodes \(nodes) is not allowed (1…\(Shard.maximumCount))")
        }
        if let time, time.isEmpty || time.count > 32 || !time.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":" || $0 == "-") }) {
            throw ValidationError("--time \(String(reflecting: time)) is not allowed (minutes, HH:MM:SS or D-HH:MM:SS)")
        }
        if let partition, partition.isEmpty || partition.count > 128
            || !partition.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_.,-".contains($0)) })
        {
            throw ValidationError("--partition \(String(reflecting: partition)) is not allowed (letters, digits, _ . , -)")
        }
        if options.out.contains(where: { $0.isWhitespace || "'\"\\%$`".contains($0) }) {
            throw ValidationError("--out \(String(reflecting: options.out)) is not allowed in a job script (no spaces, quotes, %, $ or \\)")
        }
    }

    func run() throws {
        let scripts = try SlurmScripts(command: self)
        guard submit else {
            print("# ==> \(scripts.shardsFile) <== (the array of \(nodes) shards)\n#!/bin/sh\n" + scripts.shards)
            print("# ==> \(scripts.mergeFile) <== (the merge, once every shard succeeded)\n#!/bin/sh\n" + scripts.merge)
            print("# Submit both (the merge waits for the whole array):")
            print("#   job=$(sbatch --parsable \(scripts.shardsFile)) && sbatch --dependency=afterok:${job%%;*} \(scripts.mergeFile)")
            return
        }
        try CommandFiles.requireWritableDirectory(options.out, flag: "--out")
        let output = try ExperimentOutput(directory: options.out)
        try output.write(text: "#!/bin/sh\n" + scripts.shards, to: scripts.shardsFile)
        try output.write(text: "#!/bin/sh\n" + scripts.merge, to: scripts.mergeFile)
        let array = try Self.sbatch(["--parsable", output.path(scripts.shardsFile)])
        let merge = try Self.sbatch(["--parsable", "--dependency=afterok:\(array)", output.path(scripts.mergeFile)])
        print("submitted the shards as job \(array) (array 1-\(nodes)) and the merge as job \(merge) (after every shard succeeded)")
        print("the merged report will be \(output.path("index.html"))")
    }

    /// Runs `sbatch arguments…` and returns the job id it printed (`--parsable`: "id" or
    /// "id;cluster").
    private static func sbatch(_ arguments: [String]) throws -> String {
        let line = (["sbatch"] + arguments).map(SlurmScripts.quoted).joined(separator: " ") + " 2>&1"
        guard let pipe = popen(line, "r") else { throw CommandFailure("cannot run sbatch: \(String(cString: strerror(errno)))") }
        var output: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        let status = pclose(pipe)
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let id = text.split(separator: ";").first.map(String.init) ?? ""
        guard status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            let reason = text.split(separator: "\n").first.map(String.init) ?? "exit status \(status)"
            throw CommandFailure("sbatch failed: \(reason)")
        }
        return id
    }
}

/// The two job scripts of ``SlurmCommand`` (without their `#!/bin/sh` line).
struct SlurmScripts {
    let shards: String, merge: String
    let shardsFile: String, mergeFile: String

    init(command: SlurmCommand) throws {
        let options = command.options
        let program = try Self.programPath()
        let out = Self.absolute(options.out)
        let threads = options.threads ?? Execution.processorCount
        let name = command.name
        var header = ["--nodes=1", "--ntasks=1", "--cpus-per-task=\(threads)"]
        if let time = command.time { header.append("--time=\(time)") }
        if let partition = command.partition { header.append("--partition=\(partition)") }
        func lines(_ job: String, _ extra: [String]) -> String {
            (["--job-name=\(job)"] + extra + header).map { "#SBATCH \($0)\n" }.joined()
        }
        var arguments = (name == "run" ? ["run"] : ["experiment", name])
            + ["--out", out, "--seeds", "\(options.seedCount)", "--threads", "\(threads)"]
        if options.full { arguments.append("--full") }
        if let data = options.data { arguments += ["--data", Self.absolute(data)] }
        shardsFile = "rectifier-\(name)-shards.sbatch"
        mergeFile = "rectifier-\(name)-merge.sbatch"
        shards = lines("rectifier-\(name)", ["--array=1-\(command.nodes)", "--output=\(out)/slurm-\(name)-%a.out"])
            + "exec " + ([program] + arguments + ["--shard", "auto"]).map(Self.quoted).joined(separator: " ") + "\n"
        merge = lines("rectifier-\(name)-merge", ["--output=\(out)/slurm-\(name)-merge.out"])
            + "exec " + [program, "report", "--merge", out, "--out", out].map(Self.quoted).joined(separator: " ") + "\n"
    }

    /// `text` as one shell word (single quotes; a quote inside as '\'').
    static func quoted(_ text: String) -> String {
        guard text.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "/._-=:,+@%".contains($0))) }) else {
            return text
        }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// This program's absolute path (what the jobs run).
    static func programPath() throws -> String {
        guard let resolved = realpath("/proc/self/exe", nil) else {
            throw CommandFailure("cannot find this program's path: \(String(cString: strerror(errno)))")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` made absolute against the working directory.
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/"), let directory = getcwd(nil, 0) else { return path }
        defer { free(directory) }
        var trimmed = Substring(path)
        while trimmed.hasPrefix("./") { trimmed = trimmed.dropFirst(2) }
        let base = String(cString: directory)
        return trimmed.isEmpty || trimmed == "." ? base : (base.hasSuffix("/") ? base : base + "/") + trimmed
    }
}
