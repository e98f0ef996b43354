import Experiments
import Foundation
import Runtime
import Testing

/// `--shard K/N`: parsing, the deal of trials to shards, and merging shard files into the
/// document of one run.
@Suite struct ShardTests {
    @Test func parsesSlicesAndRefusesEverythingElse() throws {
        #expect(try Shard(parsing: "2/4", environment: [:]) == Shard(index: 2, count: 4))
        #expect(try Shard(parsing: "1/1", environment: [:]) == Shard(index: 1, count: 1))
        for bad in ["0/4", "5/4", "1/0", "0/0", "-1/4", "1/-1", "-1", "9223372036854775807/9223372036854775807",
                    "99999999999999999999/4", "1/10001", "garbage", "", "1/", "/4", "2/4/1", " 1/4", "1 /4", "+1/4", "auto"]
        {
            #expect(throws: ExperimentError.self, "\(bad)") { try Shard(parsing: bad, environment: [:]) }
        }
    }

    @Test func autoReadsSlurmArraysAndKubernetesIndexedJobs() throws {
        #expect(try Shard(parsing: "auto", environment: ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_COUNT": "4"])
            == Shard(index: 3, count: 4))
        #expect(try Shard(parsing: "auto", environment: [
            "SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "7",
        ]) == Shard(index: 1, count: 7))
        #expect(try Shard(parsing: "auto", environment: ["JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "2"])
            == Shard(index: 1, count: 2))
        for environment in [
            ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "4"],
            ["SLURM_ARRAY_TASK_ID": "1"],
            ["SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_COUNT": "4"],
            ["SLURM_ARRAY_TASK_ID": "9223372036854775807", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_COUNT": "4"],
            ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "0"],
            ["JOB_COMPLETION_INDEX": "2", "JOB_COMPLETIONS": "2"],
            ["JOB_COMPLETION_INDEX": "9223372036854775807", "JOB_COMPLETIONS": "4"],
            ["JOB_COMPLETION_INDEX": "0"],
        ] {
            #expect(throws: ExperimentError.self, "\(environment)") { try Shard(parsing: "auto", environment: environment) }
        }
    }

    @Test func recognisesShardFileNames() throws {
        #expect(Shard.isShardFile(try Shard(index: 3, count: 7).fileName(experiment: "leaky-units")))
        for name in ["depth.json", "depth.shard-1-of-.json", "depth.shard-a-of-2.json", "depth.shard-1-2.json", "index.html"] {
            #expect(!Shard.isShardFile(name), "\(name)")
        }
    }

    /// Every trial in exactly one slice; the same deal every time; longest processing time
    /// first keeps the largest slice within the largest cost of the mean.
    @Test func dealsEveryTrialOnceAndBalancesTheCost() {
        var generator = SeededGenerator(seed: 3)
        let costs = (0..<57).map { _ in 1 + 99 * generator.nextDouble() }
        for count in [1, 2, 4, 7, 60] {
            let slices = Shard.deal(costs: costs, count: count, name: "depth")
            #expect(slices == Shard.deal(costs: costs, count: count, name: "depth"))
            #expect(slices.count == count && slices.flatMap { $0 }.sorted() == Array(costs.indices))
            let loads = slices.map { $0.map { costs[$0] }.reduce(0, +) }
            #expect(loads.max()! <= costs.reduce(0, +) / Double(count) + costs.max()!)
        }
        // Equal costs: slice sizes differ by at most one; dearer trials spread before cheap ones.
        let even = Shard.deal(costs: Array(repeating: 2, count: 10), count: 4, name: "x").map(\.count)
        #expect(even.max()! - even.min()! == 1 && even.reduce(0, +) == 10)
        #expect(Shard.deal(costs: [1, 1, 10, 10], count: 2, name: "x").allSatisfy { $0.contains(2) != $0.contains(3) })
        // Costs that are not numbers count as 0 and are still dealt.
        #expect(Shard.deal(costs: [.nan, -1, .infinity, 1], count: 3, name: "x").flatMap { $0 }.sorted() == [0, 1, 2, 3])
    }

    private func tinyConfiguration() -> DepthConfiguration {
        var configuration = DepthConfiguration(seeds: 2)
        configuration.depths = [1, 3]
        configuration.width = 8
        configuration.activations = ["relu", "tanh", "softplus"]
        configuration.trainingSamples = 96
        configuration.validationSamples = 32
        configuration.epochs = 2
        configuration.batchSize = 16
        configuration.probeSamples = 32
        return configuration
    }

    /// Writes shard K of `count` of the tiny depth run into `directory`.
    private func runShard(_ index: Int, of count: Int, into directory: String, seeds: Int = 2) throws -> ShardOutcome {
        try DepthExperiment.runShard(
            try ExperimentFixtures.context(directory, seeds: seeds), shard: try Shard(index: index, count: count),
            version: "test", configuration: tinyConfiguration(), inputs: ExperimentFixtures.subset())
    }

    private func merge(_ directories: [String], into out: String) throws -> ExperimentDocument<DepthResults> {
        let paths = try ShardFiles.find(in: directories)[DepthExperiment.name]?.map(\.path) ?? []
        return try DepthExperiment.merge(
            paths, context: try ExperimentFixtures.context(out), version: "test", configuration: tinyConfiguration(),
            inputs: ExperimentFixtures.subset())
    }

    /// The runs without their wall times.
    private func numbers(_ document: ExperimentDocument<DepthResults>) -> [String] {
        document.results.runs.map { run in
            "\(run.activation) \(run.depth) \(run.seed) \(String(describing: run.trainingLoss)) \(run.epochLosses) "
                + "\(run.gradientNormsAtInitialisation) \(String(describing: run.gradientNormsAfterTraining)) "
                + "\(String(describing: run.validationAccuracy)) \(run.diverged)"
        }
    }

    /// N = 1, 2, 4 and 7 shards, each a separate directory as separate machines would write,
    /// merge to the document of one run: the same runs bit for bit, claims, tables and
    /// figures; the report skips the shard files.
    @Test func mergedShardsEqualOneRun() throws {
        let base = ExperimentFixtures.outputDirectory("shards-merge")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let single = try DepthExperiment.run(
            try ExperimentFixtures.context(base + "/single"), configuration: tinyConfiguration(),
            inputs: ExperimentFixtures.subset())
        for count in [1, 2, 4, 7] {
            var directories: [String] = [], measured = 0
            for index in 1...count {
                directories.append("\(base)/\(count)/machine-\(index)")
                let outcome = try runShard(index, of: count, into: directories.last!)
                #expect(outcome.total == 12 && outcome.path.hasSuffix("depth.shard-\(index)-of-\(count).json"))
                measured += outcome.trials
            }
            #expect(measured == 12)
            let merged = try merge(directories, into: "\(base)/\(count)/merged")
            #expect(numbers(merged) == numbers(single), "N = \(count)")
            #expect(merged.claims == single.claims && merged.tables == single.tables && merged.figures == single.figures)
            #expect(merged.settings == single.settings && merged.divergedRuns == single.divergedRuns)
            for figure in single.figures {
                #expect(
                    FileManager.default.contents(atPath: "\(base)/\(count)/merged/\(figure.file)")
                        == FileManager.default.contents(atPath: "\(base)/single/\(figure.file)"), "\(figure.file)")
            }
            try Report.write(directory: directories[0])
            #expect(try Report.read(directory: directories[0]).experiments.isEmpty)
        }
    }

    /// A missing shard makes the merge refuse, naming its trials and the shard to run again;
    /// running that shard completes the merge.
    @Test func missingShardIsRefusedUntilItIsRunAgain() throws {
        let base = ExperimentFixtures.outputDirectory("shards-missing")
        defer { try? FileManager.default.removeItem(atPath: base) }
        for index in [1, 3, 4] { _ = try runShard(index, of: 4, into: base + "/shards") }
        let deal = Shard.deal(
            costs: try DepthExperiment.trials(tinyConfiguration(), inputs: ExperimentFixtures.subset()).map {
                DepthExperiment.work($0, configuration: tinyConfiguration(), inputs: ExperimentFixtures.subset())
            }, count: 4, name: DepthExperiment.name)
        let trials = try DepthExperiment.trials(tinyConfiguration(), inputs: ExperimentFixtures.subset())
        do {
            _ = try merge([base + "/shards"], into: base + "/merged")
            Issue.record("a merge without shard 2 succeeded")
        } catch {
            let message = "\(error)"
            #expect(message.contains("\(deal[1].count) of 12 trials missing") && message.contains("run shard 2/4 again"), "\(message)")
            for trial in deal[1] { #expect(message.contains("#\(trial + 1) \(trials[trial])"), "\(message)") }
            for trial in deal[0] { #expect(!message.contains("#\(trial + 1) "), "\(message)") }
        }
        #expect(!FileManager.default.fileExists(atPath: base + "/merged/depth.json"))
        _ = try runShard(2, of: 4, into: base + "/shards")
        _ = try merge([base + "/shards"], into: base + "/merged")
        #expect(FileManager.default.fileExists(atPath: base + "/merged/depth.json"))
    }

    /// The same shard in two directories, or shards of two different runs, are refused.
    @Test func duplicatesAndOtherRunsAreRefused() throws {
        let base = ExperimentFixtures.outputDirectory("shards-duplicate")
        defer { try? FileManager.default.removeItem(atPath: base) }
        for index in 1...2 { _ = try runShard(index, of: 2, into: base + "/a") }
        _ = try runShard(1, of: 2, into: base + "/b")
        #expect {
            try merge([base + "/a", base + "/b"], into: base + "/merged")
        } throws: { "\($0)".contains("trials measured more than once") && "\($0)".contains(base + "/b") }
        _ = try runShard(1, of: 3, into: base + "/c")
        #expect {
            try merge([base + "/a", base + "/c"], into: base + "/merged")
        } throws: { "\($0)".contains("one of 3") }
        _ = try runShard(2, of: 2, into: base + "/d", seeds: 3)
        #expect {
            try merge([base + "/b", base + "/d"], into: base + "/merged")
        } throws: { "\($0)".contains("seeds (2, 3)") }
        #expect(!FileManager.default.fileExists(atPath: base + "/merged/depth.json"))
        // Damaged files: a deal naming a trial that does not exist, no shards, a trial index out of range.
        for (original, damaged) in [("\"deal\":[[", "\"deal\":[[99,"), ("\"shards\":2", "\"shards\":0"), ("\"trial\":", "\"trial\":-")] {
            let path = base + "/e/depth.shard-1-of-2.json"
            try FileManager.default.createDirectory(atPath: base + "/e", withIntermediateDirectories: true)
            let text = try String(contentsOfFile: base + "/b/depth.shard-1-of-2.json", encoding: .utf8)
            #expect(text.contains(original))
            try text.replacingOccurrences(of: original, with: damaged).write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: ExperimentError.self, "\(damaged)") { try merge([base + "/e"], into: base + "/merged") }
        }
        // A whole run, merged by another version of the program or for other settings.
        let paths = try ShardFiles.find(in: [base + "/a"])[DepthExperiment.name]!.map(\.path)
        #expect {
            try DepthExperiment.merge(
                paths, context: try ExperimentFixtures.context(base + "/merged"), version: "other",
                configuration: tinyConfiguration(), inputs: ExperimentFixtures.subset())
        } throws: { "\($0)".contains("versions (test, other)") }
        var longer = tinyConfiguration()
        longer.epochs = 3
        #expect {
            try DepthExperiment.merge(
                paths, context: try ExperimentFixtures.context(base + "/merged"), version: "test", configuration: longer,
                inputs: ExperimentFixtures.subset())
        } throws: { "\($0)".contains("configurations differ") }
        #expect(!FileManager.default.fileExists(atPath: base + "/merged/depth.json"))
        _ = try merge([base + "/a"], into: base + "/merged")
        #expect(FileManager.default.fileExists(atPath: base + "/merged/depth.json"))
    }

    /// The side-by-side comparison (five trials) in 2 and 7 slices, two of them empty: the
    /// merged results equal one run's, wall times aside.
    @Test func comparisonSlicesIncludingEmptyOnesMergeToOneRun() throws {
        let base = ExperimentFixtures.outputDirectory("shards-comparison")
        defer { try? FileManager.default.removeItem(atPath: base) }
        let budget = TrialBudget(hiddenSizes: [16], epochs: 2, batchSize: 32)
        let data = try SyntheticData.make(count: 256)
        let single = try SideBySideComparison.run(
            try ExperimentContext(outputDirectory: base + "/single", seeds: 1), configuration: budget, inputs: data)
        func numbers(_ document: ExperimentDocument<[TrialResult]>) -> [String] {
            document.results.map { "\($0.activation) \($0.records.map(\.trainLoss)) \($0.records.map(\.validationAccuracy)) \(String(describing: $0.testAccuracy))" }
        }
        for count in [2, 7] {
            var measured: [Int] = []
            for index in 1...count {
                measured.append(try SideBySideComparison.runShard(
                    try ExperimentContext(outputDirectory: "\(base)/\(count)", seeds: 1), shard: try Shard(index: index, count: count),
                    version: "test", configuration: budget, inputs: data).trials)
            }
            #expect(measured.reduce(0, +) == 5 && measured.filter { $0 == 0 }.count == max(0, count - 5))
            let paths = try ShardFiles.find(in: ["\(base)/\(count)"])[SideBySideComparison.name]!.map(\.path)
            let merged = try SideBySideComparison.merge(
                paths, context: try ExperimentContext(outputDirectory: "\(base)/\(count)-merged", seeds: 1), version: "test",
                configuration: budget, inputs: data)
            #expect(numbers(merged) == numbers(single), "N = \(count)")
            #expect(merged.tables[0].rows.map { $0.dropLast() } == single.tables[0].rows.map { $0.dropLast() })
        }
    }
}
