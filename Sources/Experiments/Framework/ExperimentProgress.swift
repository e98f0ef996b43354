import Runtime

/// What a progress display is told: how far a task has come and an estimate of the time left.
public struct ProgressSnapshot: Sendable {
    /// The task's short name ("efficiency", "run").
    public let label: String
    /// Work done and the total, in the task's own unit (training batches for the runner).
    public let completed: Double, total: Double
    /// One line saying what runs now: "relu seed 1 epoch 3/5 loss 0.412".
    public let status: String
    /// Seconds since the task started.
    public let elapsedSeconds: Double
    /// elapsed · (total − completed) / completed, once there is something to go on; nil before.
    public let estimatedSecondsLeft: Double?
    /// True for the last snapshot of the task.
    public let isFinished: Bool

    /// completed / total, clamped to [0, 1].
    public var fraction: Double { total > 0 ? Swift.min(Swift.max(completed / total, 0), 1) : 1 }
}

/// Where experiments send their progress: the CLI draws a progress bar, tests and library
/// users pass ``silent``. Every experiment reports through one of these.
///
/// ```swift
/// let task = reporter.start("efficiency", totalWork: Double(batches))
/// task.advance(by: 1, status: "relu seed 0 epoch 1/5")
/// task.finish(status: "36 runs")
/// ```
public struct ProgressReporter: Sendable {
    private let sink: @Sendable (ProgressSnapshot) -> Void

    /// A reporter that hands every snapshot to `sink` (called on the experiment's thread).
    public init(_ sink: @escaping @Sendable (ProgressSnapshot) -> Void) {
        self.sink = sink
    }

    /// Reports nothing.
    public static let silent = ProgressReporter { _ in }

    /// Starts a task of `totalWork` units (any positive amount) and reports it at 0.
    public func start(_ label: String, totalWork: Double) -> ProgressTask {
        let task = ProgressTask(label: label, total: totalWork, sink: sink)
        task.advance(by: 0, status: "starting")
        return task
    }
}

/// One task's progress, with its time-left estimate (from the mean rate so far).
public final class ProgressTask {
    /// The task's name, as given to ``ProgressReporter/start(_:totalWork:)``.
    public let label: String
    /// The total amount of work.
    public let total: Double
    /// Work done so far.
    public private(set) var completed = 0.0
    /// The last status reported.
    public private(set) var status = ""
    private let started = MonotonicClock.now
    private let sink: (ProgressSnapshot) -> Void
    private var finished = false

    init(label: String, total: Double, sink: @escaping (ProgressSnapshot) -> Void) {
        self.label = label
        self.total = Swift.max(total, 0)
        self.sink = sink
    }

    /// Adds `amount` units of work done and reports.
    public func advance(by amount: Double, status: String) {
        completed = Swift.min(completed + amount, total)
        report(status: status, isFinished: false)
    }

    /// Reports the end of the task (once; later calls do nothing).
    public func finish(status: String) {
        guard !finished else { return }
        finished = true
        completed = total
        report(status: status, isFinished: true)
    }

    private func report(status: String, isFinished: Bool) {
        guard !finished || isFinished else { return }
        self.status = status
        let elapsed = MonotonicClock.now - started
        let left: Double? = completed > 0 && elapsed > 0.5
            ? elapsed * (total - completed) / completed : nil
        sink(ProgressSnapshot(
            label: label, completed: completed, total: total, status: status,
            elapsedSeconds: elapsed, estimatedSecondsLeft: isFinished ? 0 : left,
            isFinished: isFinished))
    }
}
