#if canImport(Glibc)
import Glibc
import Runtime
#endif

/// A progress bar with an estimate of the time left, drawn on stderr.
///
/// On a terminal it redraws one line in place (`\r`), at most ten times a second. When
/// stderr is not a terminal (a log file, CI) it degrades to plain lines: one every
/// `plainLineInterval` seconds and one at the end, so logs stay short and readable.
///
/// ```
/// efficiency  [█████████▍          ]  47%  relu seed 1 epoch 3/5  loss 0.412  ETA 0:42
/// ```
public final class ProgressBar {
    private let label: String
    private let total: Double
    private let isTerminal: Bool
    private let plainLineInterval: Double
    private let start = MonotonicClock.now
    private var lastDraw = -Double.infinity
    private var lastFraction = 0.0
    private(set) var isFinished = false

    /// - Parameters:
    ///   - label: a short name shown at the left.
    ///   - total: the amount of work, in any unit (`update(completed:)` uses the same unit).
    public init(label: String, total: Double, plainLineInterval: Double = 10) {
        self.label = label
        self.total = total > 0 && total.isFinite ? total : .leastNonzeroMagnitude
        self.isTerminal = isatty(2) == 1
        self.plainLineInterval = plainLineInterval
    }

    /// Reports progress; cheap to call often.
    public func update(completed: Double, status: String) {
        guard !isFinished else { return }
        let now = MonotonicClock.now
        let fraction = Self.clamped(completed / total)
        lastFraction = fraction
        let interval = isTerminal ? 0.1 : plainLineInterval
        guard now - lastDraw >= interval else { return }
        lastDraw = now
        draw(fraction: fraction, status: status, elapsed: now - start)
    }

    /// Draws the final state and ends the line.
    public func finish(status: String) {
        guard !isFinished else { return }
        isFinished = true
        draw(fraction: 1, status: status, elapsed: MonotonicClock.now - start, final: true)
    }

    private func draw(fraction: Double, status: String, elapsed: Double, final: Bool = false) {
        let percent = Int((fraction * 100).rounded(.down))
        let timing: String
        if final {
            timing = "done in \(Self.clock(elapsed))"
        } else if fraction > 0.005, elapsed > 1 {
            timing = "ETA \(Self.clock(elapsed * (1 - fraction) / fraction))"
        } else {
            timing = "ETA –"
        }
        let line: String
        if isTerminal {
            let columns = Self.terminalColumns()
            let fixed = "\(label)  []  100%    \(timing)"
            let barWidth = max(10, min(30, columns - fixed.count - status.count - 2))
            var text = "\(label)  [\(Self.bar(fraction, width: barWidth))] "
                + "\(percent)%".padded(to: 4, alignedRight: true) + "  \(status)  \(timing)"
            if text.count > columns - 1 { text = String(text.prefix(columns - 1)) }
            line = "\r\u{1B}[2K" + text + (final ? "\n" : "")
        } else {
            line = "\(label): \(percent)%  \(status)  \(timing)\n"
        }
        printToStandardError(line, newline: false)
    }

    /// "h:mm:ss" or "m:ss"; "–" for NaN, ±∞, negative times and times beyond 10¹² s.
    public static func clock(_ seconds: Double) -> String {
        guard seconds >= 0, seconds < 1e12 else { return "–" }
        let total = Int(seconds.rounded())
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        let two = { (v: Int) in v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }

    /// A bar drawn with eighth-block characters for sub-cell precision; `fraction` is
    /// clamped to [0, 1] (NaN draws an empty bar), `width` to 0…1000 cells.
    public static func bar(_ fraction: Double, width: Int) -> String {
        let width = Swift.max(0, Swift.min(width, 1000))
        let eighths = Int((clamped(fraction) * Double(width * 8)).rounded(.down))
        let full = eighths / 8, rest = eighths % 8
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var text = String(repeating: "█", count: full)
        if full < width { text += partials[rest] }
        return text.padded(to: width)
    }

    /// `fraction` in [0, 1]; NaN is 0.
    private static func clamped(_ fraction: Double) -> Double {
        fraction.isNaN ? 0 : Swift.min(Swift.max(fraction, 0), 1)
    }

    private static func terminalColumns() -> Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 100
    }
}
