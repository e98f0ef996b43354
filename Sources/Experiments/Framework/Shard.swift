/// The K-th of N slices of an experiment's trials (`--shard K/N`, K from 1), and how the
/// trials are dealt to the slices.
///
/// The deal is deterministic (it depends only on the trials' estimated costs, their order and
/// the experiment's name) and balanced: the trials, dearest first, each go to the slice with
/// the least estimated cost so far (longest processing time first; its longest slice is at
/// most 4/3 of the best possible). Ties go to the slices in an order rotated by the
/// experiment's name, so the one extra trial of several small experiments does not always
/// land on slice 1.
public struct Shard: Hashable, Sendable, CustomStringConvertible {
    /// K, in 1...count.
    public let index: Int
    /// N, in 1...``maximumCount``.
    public let count: Int

    /// The most slices `--shard` accepts.
    public static let maximumCount = 10_000

    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--shard` unless
    ///   1 ≤ index ≤ count ≤ ``maximumCount``.
    public init(index: Int, count: Int) throws(ExperimentError) {
        guard (1...Self.maximumCount).contains(count), (1...count).contains(index) else {
            throw .invalidOption(
                flag: "--shard", reason: "\(index)/\(count) is not allowed (K/N with 1 ≤ K ≤ N ≤ \(Self.maximumCount))")
        }
        self.index = index
        self.count = count
    }

    /// Reads `K/N`, or `auto`: the slice a scheduler gives this process, from Slurm's job
    /// array (`SLURM_ARRAY_TASK_ID` counted from `SLURM_ARRAY_TASK_MIN`, default 1, of
    /// `SLURM_ARRAY_TASK_COUNT`) or a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`, from 0,
    /// of `JOB_COMPLETIONS`, which the Job's manifest sets to its `completions`).
    /// - Throws: ``ExperimentError/invalidOption(flag:reason:)`` naming `--shard` for any other
    ///   text, values out of range, or `auto` outside a job array.
    public init(parsing text: String, environment: [String: String]) throws(ExperimentError) {
        func number(_ text: String?) -> Int? {
            guard let text, !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(text)
        }
        if text == "auto" {
            if let task = environment["SLURM_ARRAY_TASK_ID"] {
                let first = environment["SLURM_ARRAY_TASK_MIN"] ?? "1"
                guard let id = number(task), let count = number(environment["SLURM_ARRAY_TASK_COUNT"]),
                    let minimum = number(first), id >= minimum, id - minimum < Self.maximumCount
                else {
                    throw .invalidOption(
                        flag: "--shard",
                        reason: "auto: SLURM_ARRAY_TASK_ID \(String(reflecting: task)), SLURM_ARRAY_TASK_MIN "
                            + "\(String(reflecting: first)) and SLURM_ARRAY_TASK_COUNT "
                            + "\(String(reflecting: environment["SLURM_ARRAY_TASK_COUNT"] ?? "")) do not name a task of the array")
                }
                try self.init(index: id - minimum + 1, count: count)
            } else if let task = environment["JOB_COMPLETION_INDEX"] {
                guard let index = number(task), let count = number(environment["JOB_COMPLETIONS"]), index < Int.max else {
                    throw .invalidOption(
                        flag: "--shard",
                        reason: "auto: JOB_COMPLETION_INDEX \(String(reflecting: task)) with JOB_COMPLETIONS "
                            + "\(String(reflecting: environment["JOB_COMPLETIONS"] ?? "")) (set it to the Job's completions) does not name a shard")
                }
                try self.init(index: index + 1, count: count)
            } else {
                throw .invalidOption(
                    flag: "--shard",
                    reason: "auto needs SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); neither is set")
            }
            return
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let index = number(parts[0]), let count = number(parts[1]) else {
            throw .invalidOption(flag: "--shard", reason: "\(String(reflecting: text)) is not allowed (K/N such as 2/4, or auto)")
        }
        try self.init(index: index, count: count)
    }

    /// "2/4".
    public var description: String { "\(index)/\(count)" }

    /// The file a slice of `experiment` writes: `NAME.shard-K-of-N.json`.
    public func fileName(experiment: String) -> String { "\(experiment).shard-\(index)-of-\(count).json" }

    /// Whether `fileName` is a slice's file (`NAME.shard-K-of-N.json`).
    public static func isShardFile(_ fileName: String) -> Bool {
        guard fileName.hasSuffix(".json"), let last = fileName.dropLast(".json".count).split(separator: ".").last else {
            return false
        }
        let parts = last.split(separator: "-", omittingEmptySubsequences: false)
        func isNumber(_ part: Substring) -> Bool { !part.isEmpty && part.allSatisfy { $0.isASCII && $0.isNumber } }
        return parts.count == 4 && parts[0] == "shard" && isNumber(parts[1]) && parts[2] == "of" && isNumber(parts[3])
    }

    /// The trial indices of each of `count` slices (slice K at K − 1), each in ascending order:
    /// longest processing time first on `costs` (a cost that is not finite and ≥ 0 counts as
    /// 0), ties in the order rotated by `name`.
    package static func deal(costs: [Double], count: Int, name: String) -> [[Int]] {
        precondition(count >= 1)
        let rotation = Int(name.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 } % UInt64(count))
        let clean = costs.map { $0.isFinite && $0 >= 0 ? $0 : 0 }
        let order = clean.indices.sorted { clean[$0] != clean[$1] ? clean[$0] > clean[$1] : $0 < $1 }
        var loads = [Double](repeating: 0, count: count), slices = [[Int]](repeating: [], count: count)
        for trial in order {
            var best = rotation
            for step in 1..<max(count, 1) {
                let slice = (rotation + step) % count
                if loads[slice] < loads[best] { best = slice }
            }
            loads[best] += clean[trial]
            slices[best].append(trial)
        }
        return slices.map { $0.sorted() }
    }
}
