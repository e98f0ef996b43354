/// Reports an experiment's progress as a fraction of its total work, where each run's work
/// is its cost estimate (multiply-adds per sample × samples × epochs), so the time-left
/// estimate of a progress bar stays honest when deep and shallow runs mix.
final class WorkLedger {
    private let total: Double
    private var finished = 0.0
    private let report: ExperimentProgressHandler

    init(totalCost: Double, report: @escaping ExperimentProgressHandler) {
        total = Swift.max(totalCost, 1)
        self.report = report
    }

    /// Reports `share` (0…1) of a run of cost `cost` done on top of the finished runs.
    func update(runCost cost: Double, share: Double, status: String) {
        report(Swift.min(1, (finished + cost * Swift.min(Swift.max(share, 0), 1)) / total), status)
    }

    /// Marks a run of cost `cost` finished.
    func finish(runCost cost: Double, status: String) {
        finished += cost
        report(Swift.min(1, finished / total), status)
    }
}

/// Receives an experiment's progress: the fraction of its work done (0…1, never decreasing)
/// and a short status ("relu depth 8 seed 1").
public typealias ExperimentProgressHandler = (_ fractionDone: Double, _ status: String) -> Void
