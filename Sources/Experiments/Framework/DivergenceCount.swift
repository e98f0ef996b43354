/// How many runs of one setting diverged, as each experiment's JSON lists them under
/// `diverged_runs`: `{"setting": "learned · relu · T = 400", "runs": 3, "diverged": 2}`.
///
/// A run diverges by ``Networks/DivergenceRule`` (a training loss, gradient norm or held-out
/// error that is NaN or ±∞, or a regression error over 10³× the mean predictor's). Every
/// verdict counts a diverged run as a failure of its setting, by the rule its experiment
/// states; its own numbers are never averaged.
public struct DivergenceCount: Codable, Hashable, Sendable {
    /// The setting's name, as the experiment's tables spell it.
    public var setting: String
    /// Runs of the setting (one per seed).
    public var runs: Int
    /// Those that diverged.
    public var diverged: Int

    /// One count per setting of `items`, in the order settings first appear.
    public static func tally<Item>(
        _ items: [Item], setting: (Item) -> String, diverged: (Item) -> Bool
    ) -> [DivergenceCount] {
        var counts: [DivergenceCount] = []
        var index: [String: Int] = [:]
        for item in items {
            let name = setting(item)
            if index[name] == nil {
                index[name] = counts.count
                counts.append(DivergenceCount(setting: name, runs: 0, diverged: 0))
            }
            counts[index[name]!].runs += 1
            if diverged(item) { counts[index[name]!].diverged += 1 }
        }
        return counts
    }
}
