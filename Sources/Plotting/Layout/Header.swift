/// The text around a chart: title and subtitle above, the legend under them, footnotes
/// below the plot.
struct Header {
    let title: String
    let subtitle: String?
    let legend: Legend
    let titleSize: Double

    init(title: String, subtitle: String?, legend: [LegendEntry], width: Double, isPanel: Bool) {
        self.title = title
        self.subtitle = subtitle.flatMap { $0.isEmpty ? nil : $0 }
        self.legend = Legend(legend, width: width)
        titleSize = isPanel ? Theme.panelTitleSize : Theme.titleSize
    }

    /// The height the header takes from the top of the chart's bounds (padding included).
    var height: Double {
        var height = Theme.padding
        if !title.isEmpty { height += titleSize + 6 }
        if subtitle != nil { height += Theme.subtitleSize + 6 }
        if !legend.rows.isEmpty { height += legend.height + 4 }
        return height
    }

    func draw(in bounds: Rect, into svg: inout SVGWriter) {
        var top = bounds.minY + Theme.padding
        let left = bounds.minX + Theme.padding
        if !title.isEmpty {
            Shapes.text(
                title, at: Point(x: left, y: top + titleSize * 0.8), size: titleSize, bold: true,
                className: "title", into: &svg)
            top += titleSize + 6
        }
        if let subtitle {
            Shapes.text(
                subtitle, at: Point(x: left, y: top + Theme.subtitleSize * 0.8),
                size: Theme.subtitleSize, color: Theme.mutedText, className: "subtitle",
                into: &svg)
            top += Theme.subtitleSize + 6
        }
        legend.draw(at: Point(x: left, y: top), into: &svg)
    }

    /// Height of `count` footnote lines at the bottom of the bounds.
    static func footnoteHeight(_ count: Int) -> Double {
        Double(count) * Theme.footnoteLineHeight
    }

    /// Footnotes, one per line, at the bottom left of the bounds.
    static func drawFootnotes(_ notes: [String], in bounds: Rect, into svg: inout SVGWriter) {
        for (i, note) in notes.enumerated() {
            let baseline = bounds.maxY - Theme.padding
                - Double(notes.count - 1 - i) * Theme.footnoteLineHeight
            Shapes.text(
                note, at: Point(x: bounds.minX + Theme.padding, y: baseline),
                size: Theme.footnoteSize, color: Theme.mutedText, className: "footnote",
                into: &svg)
        }
    }
}
