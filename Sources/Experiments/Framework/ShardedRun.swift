import Runtime

/// What measuring one shard wrote.
public struct ShardOutcome: Sendable {
    /// `DIR/NAME.shard-K-of-N.json`.
    public var path: String
    /// Trials measured, of the run's total.
    public var trials: Int, total: Int
}

extension ExperimentContext {
    /// A context for merging the shards of `run` into `outputDirectory`: their seeds, version,
    /// threads and data directory.
    /// - Throws: ``ExperimentError`` as ``init(outputDirectory:seeds:full:threads:dataDirectory:progress:images:)``.
    public convenience init(merging run: ShardRun, outputDirectory: String, progress: ProgressReporter = .silent) throws(ExperimentError) {
        try self.init(
            outputDirectory: outputDirectory, seeds: run.seeds, full: run.full, threads: run.threads,
            dataDirectory: run.data, progress: progress)
    }
}

extension Experiment {
    /// Measures `trials` (indices into `all`) in order as one progress task.
    static func measure(
        _ indices: [Int], of all: [Trial], label: String, configuration: Configuration, inputs: Inputs,
        progress: ProgressReporter
    ) throws -> [Measurement] {
        let costs = indices.map { work(all[$0], configuration: configuration, inputs: inputs) }
        let task = progress.start(label, totalWork: costs.reduce(0, +))
        var measurements: [Measurement] = []
        for (index, cost) in zip(indices, costs) {
            let before = task.completed
            measurements.append(try measure(all[index], configuration: configuration, inputs: inputs, progress: task))
            let left = before + cost - task.completed
            if left > 0 { task.advance(by: left, status: task.status) }
        }
        task.finish(status: "\(indices.count) runs")
        return measurements
    }

    /// What the shards of one run share, for this context and configuration.
    static func shardRun(
        _ context: ExperimentContext, configuration: Configuration, trials: [String], deal: [[Int]], version: String,
        arguments: [String]?
    ) -> ShardRun {
        ShardRun(
            version: version, seeds: context.seeds, full: context.full, threads: context.threads,
            data: context.dataDirectory, configuration: String(reflecting: configuration), arguments: arguments,
            trials: trials, deal: deal)
    }

    /// Measures shard `shard` of the trials (see ``Shard/deal(costs:count:name:)``) and writes
    /// `DIR/NAME.shard-K-of-N.json`.
    ///
    /// - Parameters:
    ///   - version: the program's version, recorded for the merge.
    ///   - arguments: the experiment's own command-line options, recorded so that a merge can
    ///     rebuild a configuration other than the version's; nil for the standard one.
    /// - Throws: ``ExperimentError`` (missing data, an unwritable directory, a failed trial).
    @discardableResult
    package static func runShard(
        _ context: ExperimentContext, shard: Shard, version: String, configuration: Configuration? = nil,
        inputs: Inputs? = nil, arguments: [String]? = nil
    ) throws -> ShardOutcome {
        let started = MonotonicClock.now
        let configuration = try configuration ?? self.configuration(context)
        let inputs = try inputs ?? self.inputs(configuration, context: context)
        let trials = try trials(configuration, inputs: inputs)
        let deal = Shard.deal(
            costs: trials.map { work($0, configuration: configuration, inputs: inputs) }, count: shard.count, name: name)
        let mine = deal[shard.index - 1]
        let measurements = try measure(
            mine, of: trials, label: "\(name) \(shard)", configuration: configuration, inputs: inputs,
            progress: context.progress)
        let file = ShardFile(
            experiment: name, shard: shard.index, shards: shard.count,
            run: shardRun(
                context, configuration: configuration, trials: trials.map { String(describing: $0) }, deal: deal,
                version: version, arguments: arguments),
            measurements: zip(mine, measurements).map { ShardMeasurement(trial: $0, measurement: $1) },
            wallSeconds: MonotonicClock.now - started)
        return ShardOutcome(path: try file.write(to: context.output), trials: mine.count, total: trials.count)
    }

    /// Describes the shard files at `paths` as one run and writes `DIR/NAME.json`, its CSV
    /// tables and plots into `context.output`: the same document as one run on one machine
    /// (timings aside). Its wall time is the sum of the shards'.
    ///
    /// Refuses (throws ``ExperimentError/failed(experiment:reason:)``) shards of another
    /// experiment, of different runs (version, seeds, settings, configuration, number of
    /// shards), a trial measured twice (naming the trials and files), a missing trial (naming
    /// the trials and the shards to run again), or shards whose settings differ from
    /// `context`, `version` and `configuration` (the context's version when nil).
    @discardableResult
    package static func merge(
        _ paths: [String], context: ExperimentContext, version: String, configuration: Configuration? = nil,
        inputs: Inputs? = nil
    ) throws -> ExperimentDocument<Results> {
        func refuse(_ reason: String) -> ExperimentError { .failed(experiment: name, reason: reason) }
        let files = try paths.map { path throws(ExperimentError) in try ShardFile<Measurement>.read(path) }
        guard let first = files.first else { throw refuse("no shard files to merge") }
        for (path, file) in zip(paths, files) {
            if file.experiment != name { throw refuse("\(path) holds a shard of \(file.experiment), not \(name)") }
            if file.shards != first.shards {
                throw refuse("\(paths[0]) is one of \(first.shards) shards, \(path) one of \(file.shards): not one run")
            }
            if let field = Self.difference(first.run, file.run) {
                throw refuse("\(paths[0]) and \(path) are not from one run: their \(field) differ")
            }
        }
        let run = first.run, count = run.trials.count
        guard first.shards >= 1, run.deal.count == first.shards, run.deal.flatMap({ $0 }).sorted() == Array(0..<count) else {
            throw refuse("\(paths[0]) is damaged: its deal does not give each of its \(count) trials to one of \(first.shards) shards")
        }
        func label(_ trial: Int) -> String { "#\(trial + 1) \(run.trials[trial])" }
        var byTrial: [Int: (path: String, measurement: Measurement)] = [:], duplicates: [String] = []
        for (path, file) in zip(paths, files) {
            let dealt = (1...run.deal.count).contains(file.shard) ? Set(run.deal[file.shard - 1]) : []
            for entry in file.measurements {
                guard dealt.contains(entry.trial) else {
                    throw refuse("\(path) holds trial \(entry.trial + 1), which is not one of shard \(file.shard)/\(file.shards)'s")
                }
                if let earlier = byTrial[entry.trial] {
                    duplicates.append("\(label(entry.trial)) (\(earlier.path) and \(path))")
                } else {
                    byTrial[entry.trial] = (path, entry.measurement)
                }
            }
        }
        if !duplicates.isEmpty {
            throw refuse("trials measured more than once: " + Self.list(duplicates))
        }
        let missing = (0..<count).filter { byTrial[$0] == nil }
        if !missing.isEmpty {
            let shards = run.deal.indices.filter { !Set(run.deal[$0]).isDisjoint(with: missing) }.map { "\($0 + 1)/\(first.shards)" }
            throw refuse(
                "\(missing.count) of \(count) trials missing: \(Self.list(missing.map(label))); "
                    + "run shard \(shards.joined(separator: ", ")) again (--shard K/N)")
        }
        let configuration = try configuration ?? self.configuration(context)
        let expected = shardRun(
            context, configuration: configuration, trials: run.trials, deal: run.deal, version: version,
            arguments: run.arguments)
        if let field = Self.difference(run, expected) {
            throw refuse("the shards' \(field) differ from the merge's (the shards' first)")
        }
        let inputs = try inputs ?? self.inputs(configuration, context: context)
        let trials = try trials(configuration, inputs: inputs).map { String(describing: $0) }
        if trials != run.trials { throw refuse("the shards' trials differ from the ones this configuration lists") }
        var document = try describe(
            (0..<count).map { byTrial[$0]!.measurement }, configuration: configuration, inputs: inputs, context: context)
        document.wallSeconds = files.map(\.wallSeconds).reduce(0, +)
        document.claims = Claim.judged(document.claims, seeds: context.seeds)
        try context.output.write(document)
        return document
    }

    /// The first field in which two runs differ, in words, or nil.
    private static func difference(_ a: ShardRun, _ b: ShardRun) -> String? {
        if a.version != b.version { return "versions (\(a.version), \(b.version))" }
        if a.seeds != b.seeds { return "seeds (\(a.seeds), \(b.seeds))" }
        if a.full != b.full { return "versions of the experiment (\(a.full ? "full" : "short"), \(b.full ? "full" : "short"))" }
        if a.threads != b.threads { return "threads (\(a.threads), \(b.threads))" }
        if a.data != b.data { return "data directories (\(a.data), \(b.data))" }
        if a.arguments != b.arguments {
            return "options (\(a.arguments?.joined(separator: " ") ?? "none"), \(b.arguments?.joined(separator: " ") ?? "none"))"
        }
        if a.configuration != b.configuration { return "configurations" }
        if a.trials != b.trials { return "trial lists" }
        if a.deal != b.deal { return "deals of trials to shards" }
        return nil
    }

    /// The first ten items, then how many more.
    private static func list(_ items: [String]) -> String {
        items.prefix(10).joined(separator: ", ") + (items.count > 10 ? " and \(items.count - 10) more" : "")
    }
}
