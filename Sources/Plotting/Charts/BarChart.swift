/// Grouped bars with error bars: a group per category, a bar per series within it
/// (time-to-target per activation and optimiser, cost per activation).
///
/// ```swift
/// let chart = BarChart(
///     title: "Epochs to 25% training error", categories: ["ReLU", "tanh"],
///     categoryAxisLabel: "activation", valueAxis: Axis("epochs", includesZero: true),
///     series: [try BarSeries(name: "SGD", values: [5, 31], errors: .symmetric([0.5, 2]))],
///     valueLabels: .automatic)
/// ```
///
/// Series differ in colour and in fill pattern (solid, hatched, …), so the chart reads in
/// grey too. A linear value axis always includes 0 (bars start there); on a logarithmic
/// axis bars start at the bottom of the axis. Rendering is O(categories × series).
public struct BarChart: Chart, SeriesChart {
    /// The heading, also the SVG's accessible name.
    public var title: String
    /// A line under the title (what was measured, over how many seeds); nil for none.
    public var subtitle: String?
    /// The groups along the x axis, left to right.
    public var categories: [String]
    /// The x axis title.
    public var categoryAxisLabel: String
    /// The y axis: label, unit, scale and range of the bar heights.
    public var valueAxis: Axis
    /// One bar per series in each category, left to right in this order.
    public var series: [BarSeries]
    /// Prints each bar's value above it in this format; nil prints none.
    public var valueLabels: ValueFormat?
    /// Horizontal lines across the bars (vertical ones are ignored).
    public var referenceLines: [ReferenceLine]
    /// The SVG's size.
    public var size: ChartSize

    /// A bar chart; the arguments are the properties of the same names.
    public init(
        title: String, subtitle: String? = nil, categories: [String], categoryAxisLabel: String,
        valueAxis: Axis, series: [BarSeries], valueLabels: ValueFormat? = nil,
        referenceLines: [ReferenceLine] = [], size: ChartSize = .standard
    ) {
        self.title = title
        self.subtitle = subtitle
        self.categories = categories
        self.categoryAxisLabel = categoryAxisLabel
        self.valueAxis = valueAxis
        self.series = series
        self.valueLabels = valueLabels
        self.referenceLines = referenceLines
        self.size = size
    }

    /// - Throws: ``PlotError/lengthMismatch(owner:field:expected:actual:)`` when a series
    ///   does not have one value per category, ``PlotError/invalidAxisRange(axis:lower:upper:allowed:)``
    ///   for a bad fixed range, ``PlotError/invalidParameter(name:value:allowed:)`` for a
    ///   size under 160×120.
    public func svg() throws(PlotError) -> String { try render() }

    func legendEntries() -> [LegendEntry] {
        guard series.count > 1 || series.first.map({ !$0.name.isEmpty }) == true else { return [] }
        return zip(series, styles).map { LegendEntry(name: $0.name, style: $1, sample: .bar) }
    }

    func draw(in bounds: Rect, into svg: inout SVGWriter, isPanel: Bool, showsLegend: Bool)
        throws(PlotError)
    {
        for bars in series where bars.values.count != categories.count {
            throw .lengthMismatch(
                owner: "bar series '\(bars.name)'", field: "values", expected: categories.count,
                actual: bars.values.count)
        }
        var axis = valueAxis
        if axis.scale == .linear { axis.includesZero = true }
        var shown: [Double] = referenceLines.filter { $0.orientation == .horizontal }.map(\.value)
        var infinite = 0, nonPositive = 0
        for bars in series {
            for (i, value) in bars.values.enumerated() where !value.isNaN {
                if value.isInfinite { infinite += 1; continue }
                if !axis.accepts(value) { nonPositive += 1; continue }
                shown.append(value)
                if let range = bars.errorRange(i) { shown += [range.low, range.high] }
            }
        }
        let header = Header(
            title: title, subtitle: subtitle, legend: showsLegend ? legendEntries() : [],
            width: bounds.width - 2 * Theme.padding, isPanel: isPanel)
        let frame = try CartesianFrame(
            bounds: bounds, header: header,
            footnotes: Footnotes.hidden(infinite: infinite, nonPositiveX: 0, nonPositiveY: nonPositive, noun: "bar"),
            horizontal: .categories(categories, title: categoryAxisLabel), vertical: axis,
            verticalExtent: ResolvedAxis.extent(of: shown, on: axis))
        let plot = frame.plot
        let baseline = axis.scale == .linear
            ? min(max(frame.y.pixel(0), plot.minY), plot.maxY) : plot.maxY
        let styles = self.styles
        let flat = (valueLabels ?? .automatic).strings(series.flatMap(\.values))
        let labels = series.indices.map { Array(flat[($0 * categories.count)..<(($0 + 1) * categories.count)]) }

        frame.drawGrid(into: &svg)
        for (seriesIndex, bars) in series.enumerated() {
            let style = styles[seriesIndex]
            svg.group(["class": "series", "aria-label": bars.name]) { (svg: inout SVGWriter) in
                for (category, value) in bars.values.enumerated() {
                    let (center, band) = frame.band(category)
                    let group = band * 0.78
                    let width = group / Double(series.count)
                    let left = center - group / 2 + Double(seriesIndex) * width
                    let middle = left + width / 2
                    if value.isNaN {
                        Shapes.text(
                            "n/a", at: Point(x: middle, y: baseline - 4), size: Theme.valueLabelSize,
                            anchor: "middle", color: Theme.mutedText, className: "missing", into: &svg)
                        continue
                    }
                    guard axis.accepts(value) else { continue }
                    let top = min(max(frame.y.pixel(value), plot.minY), plot.maxY)
                    Shapes.patternedRect(
                        Rect(x: left + 0.5, y: min(top, baseline), width: max(0, width - 1),
                             height: Swift.abs(baseline - top)),
                        style: style, className: "bar", into: &svg)
                    var labelY = top
                    if let range = bars.errorRange(category) {
                        labelY = drawErrorBar(range, at: middle, width: width, frame: frame, value: value, into: &svg)
                    }
                    if valueLabels != nil {
                        let above = value >= 0 || axis.scale == .logarithmic
                        Shapes.text(
                            labels[seriesIndex][category],
                            at: Point(x: middle, y: above ? labelY - 4 : labelY + 4 + Theme.valueLabelSize * 0.8),
                            size: Theme.valueLabelSize, anchor: "middle", className: "value-label", into: &svg)
                    }
                }
            }
        }
        frame.drawReferenceLines(referenceLines, into: &svg)
        frame.drawAxes(into: &svg)
    }

    /// Draws the error bar and returns the y where a value label clears it.
    private func drawErrorBar(
        _ range: (low: Double, high: Double), at x: Double, width: Double, frame: CartesianFrame,
        value: Double, into svg: inout SVGWriter
    ) -> Double {
        let plot = frame.plot
        let ends = [range.low, range.high].filter(frame.y.axis.scale == .linear ? { $0.isFinite } : { $0.isFinite && $0 > 0 })
        let valuePixel = frame.y.pixel(value)
        guard ends.count == 2 else { return valuePixel }
        let y1 = min(max(frame.y.pixel(ends[0]), plot.minY), plot.maxY)
        let y2 = min(max(frame.y.pixel(ends[1]), plot.minY), plot.maxY)
        let cap = min(width * 0.4, 10) / 2
        let d = "M\(x.svg) \(y1.svg) L\(x.svg) \(y2.svg) M\((x - cap).svg) \(y1.svg) L\((x + cap).svg) \(y1.svg) M\((x - cap).svg) \(y2.svg) L\((x + cap).svg) \(y2.svg)"
        svg.element("path", [
            "class": "error-bar", "d": d, "fill": "none", "stroke": Theme.text.description,
            "stroke-width": "1.3",
        ])
        return value >= 0 ? min(y1, y2, valuePixel) : max(y1, y2, valuePixel)
    }
}
