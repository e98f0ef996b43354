import Runtime

/// A chart that renders itself as one standalone SVG document.
///
/// Every chart in this module (``LineChart``, ``BarChart``, ``HeatMap``, ``Histogram``,
/// ``SmallMultiples``) produces UTF-8 SVG text that is well-formed XML, needs no script,
/// font file or network, uses no element ids (so many charts can be inlined in one HTML
/// page), and is byte-for-byte the same for the same input.
///
/// The elements carry stable class names a page can style or a test can count:
/// `title`, `subtitle`, `footnote`, `panel`, `grid`, `x-tick`, `y-tick`, `axis-title`,
/// `series`, `line`, `band`, `marker`, `bar`, `error-bar`, `cell`, `color-bar`,
/// `legend`, `legend-entry`, `direct-label`, `reference-line`, `no-data`.
public protocol Chart: Sendable {
    /// The chart as an SVG document (`<svg xmlns=…>…</svg>`, no XML declaration, so it can
    /// be saved as a file or inlined in HTML as it is).
    /// - Throws: ``PlotError`` for input with no sensible picture (mismatched lengths, an
    ///   impossible fixed axis range, a size too small to draw in).
    func svg() throws(PlotError) -> String
}

extension Chart {
    /// Writes ``svg()`` to `path` atomically (`AtomicFile`: a temporary file in the same
    /// directory, flushed, renamed, the directory flushed), so readers never see a partial
    /// file and a failure leaves nothing behind.
    /// - Throws: ``PlotError/cannotWrite(path:reason:)`` when the file cannot be written, or
    ///   any error of ``svg()``.
    public func write(toFile path: String) throws(PlotError) {
        let text = try svg()
        do throws(AtomicFileError) {
            try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            throw .cannotWrite(path: path, reason: error.reason)
        }
    }
}

/// The size of a chart in CSS pixels (the SVG's `width`, `height` and `viewBox`).
public struct ChartSize: Sendable, Hashable {
    /// Width in CSS pixels.
    public var width: Double
    /// Height in CSS pixels.
    public var height: Double

    /// A size in CSS pixels; charts need at least 160 × 120.
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// 640 × 400, a comfortable single chart in a report column.
    public static let standard = ChartSize(width: 640, height: 400)

    /// Rejects sizes with no room for axes and labels.
    func validated(_ name: String = "size") throws(PlotError) -> ChartSize {
        guard width.isFinite, height.isFinite, width >= 160, height >= 120 else {
            throw .invalidParameter(
                name: name, value: "\(width)×\(height)", allowed: "at least 160×120 pixels, finite")
        }
        return self
    }
}
