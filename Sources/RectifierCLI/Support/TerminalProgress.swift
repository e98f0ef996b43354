import Experiments

/// Draws the experiments' progress (``ProgressReporter``) as ``ProgressBar``s on stderr: one
/// bar per task, finished when the task finishes.
///
/// `@unchecked Sendable`: experiments run on one thread and report from it, so the bar is
/// never touched concurrently.
final class TerminalProgress: @unchecked Sendable {
    private var bar: ProgressBar?
    private var label = ""

    /// A reporter drawing on this terminal.
    static func reporter() -> ProgressReporter {
        let display = TerminalProgress()
        return ProgressReporter { display.show($0) }
    }

    private func show(_ snapshot: ProgressSnapshot) {
        if bar == nil || label != snapshot.label {
            bar?.finish(status: "")
            bar = ProgressBar(label: snapshot.label, total: snapshot.total)
            label = snapshot.label
        }
        if snapshot.isFinished {
            bar?.finish(status: snapshot.status)
            bar = nil
        } else {
            bar?.update(completed: snapshot.completed, status: snapshot.status)
        }
    }
}
