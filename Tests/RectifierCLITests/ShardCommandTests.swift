import Foundation
import RectifierCLI
import Testing

/// `--shard`, `rectifier report --merge` and `rectifier slurm` through the tool.
@Suite struct ShardCommandTests {
    @Test(arguments: ["0/4", "5/4", "1/0", "--shard=-1", "9223372036854775807/9223372036854775807", "garbage", "", "auto", "1/4/2", "1\n/4"])
    func badSlicesAreUsageErrors(_ value: String) {
        let flag = value.hasPrefix("--") ? [value] : ["--shard", value]
        for command in [["experiment", "depth"], ["run"], ["experiment", "leaky-units"]] {
            expectUsageError(command + flag, naming: "--shard")
        }
    }

    private static let tinyLeakyUnits = [
        "--seeds", "2", "--lengths", "4,6", "--steps", "3", "--units", "4", "--variants", "plain,learned",
        "--activations", "relu", "--skip-profile", "--skip-images", "--threads", "1",
    ]

    /// The results without the wall times.
    private func numbers(_ path: String) throws -> [[String: String]] {
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return (json["results"] as! [[String: Any]]).map { run in
            run.filter { !$0.key.contains("seconds") }.mapValues { "\($0)" }
        }
    }

    /// Leaky-units' own options travel in the shard files: three slices merged by `report
    /// --merge` give the single run's numbers, and a missing slice is refused with exit 1.
    @Test func slicesOfAnExperimentWithItsOwnOptionsMergeToTheSingleRun() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("shard-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        _ = try capturingStandardOutput {
            try runRectifier(["experiment", "leaky-units", "--out", base + "/single"] + Self.tinyLeakyUnits)
            for index in [1, 3] {
                try runRectifier(["experiment", "leaky-units", "--out", base + "/shards", "--shard", "\(index)/3"] + Self.tinyLeakyUnits)
            }
        }
        let missing = try #require(failureOfRectifier(["report", "--merge", base + "/shards", "--out", base + "/merged"]))
        #expect(exitStatusAndMessage(missing).0 == 1)
        #expect(!FileManager.default.fileExists(atPath: base + "/merged/leaky-units.json"))
        let lines = try capturingStandardOutput {
            try runRectifier(["experiment", "leaky-units", "--out", base + "/shards", "--shard", "2/3"] + Self.tinyLeakyUnits)
            try runRectifier(["report", "--merge", base + "/shards", "--out", base + "/merged"])
        }
        #expect(lines.contains { $0.hasPrefix("merged 3 shard files of leaky-units") }, "\(lines)")
        #expect(try numbers(base + "/merged/leaky-units.json") == numbers(base + "/single/leaky-units.json"))
        #expect(FileManager.default.fileExists(atPath: base + "/merged/index.html"))
    }

    @Test func mergeRefusesDirectoriesWithoutShards() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("shard-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: base + "/file", contents: Data())
        for (arguments, named) in [
            (["report", "--merge", base, "--out", base + "/out"], "no shard files"),
            (["report", "--merge", base + "/missing", "--out", base + "/out"], base + "/missing"),
            (["report", "--merge", base + "/file", "--out", base + "/out"], "is a file"),
        ] {
            let error = try #require(failureOfRectifier(arguments))
            let (status, message) = exitStatusAndMessage(error)
            #expect(status == 1 && message.contains(named) && !message.contains("\n"), "\(message)")
        }
        expectUsageError(["report", "--merge", "", "--out", base], naming: "--merge")
    }

    @Test func slurmPrintsTheArrayAndTheDependentMerge() throws {
        let lines = try capturingStandardOutput {
            try runRectifier(["slurm", "depth", "--nodes", "3", "--time", "1:00:00", "--partition", "cpu", "--out", "/shared/r", "--threads", "2"])
        }
        for line in [
            "#SBATCH --array=1-3", "#SBATCH --time=1:00:00", "#SBATCH --partition=cpu", "#SBATCH --cpus-per-task=2",
            "#SBATCH --output=/shared/r/slurm-depth-%a.out",
        ] {
            #expect(lines.filter { $0 == line }.count == (line.contains("array") || line.contains("%a") ? 1 : 2), "\(line)")
        }
        #expect(lines.contains { $0.hasPrefix("exec ") && $0.hasSuffix(" experiment depth --out /shared/r --seeds 3 --threads 2 --shard auto") })
        #expect(lines.contains { $0.hasPrefix("exec ") && $0.hasSuffix(" report --merge /shared/r --out /shared/r") })
        #expect(lines.contains { $0.contains("--dependency=afterok:") })
        for (arguments, named) in [
            (["slurm", "nothing"], "nothing"), (["slurm", "run", "--nodes", "0"], "--nodes"),
            (["slurm", "run", "--nodes", "9223372036854775807"], "--nodes"), (["slurm", "run", "--time", "1h; rm"], "--time"),
            (["slurm", "run", "--partition", "a\nb"], "--partition"), (["slurm", "run", "--out", "a b"], "--out"),
            (["slurm", "run", "--shard", "1/2"], "--shard"),
        ] {
            expectUsageError(arguments, naming: named)
        }
    }
}
