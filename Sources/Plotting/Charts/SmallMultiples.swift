/// A grid of panels in one SVG, sharing one title and one legend: the same chart repeated
/// per learning rate, per optimiser, or values beside derivatives.
///
/// ```swift
/// let grid = SmallMultiples(
///     title: "Dead units per epoch", panels: rates.map { .line(deadUnitChart(rate: $0)) },
///     columns: 3, sharesYRange: true)
/// ```
///
/// Panels are laid out row by row. With `sharedLegend` the panels' series are listed once
/// at the top (by name, first style seen), which assumes the panels give the same name the
/// same series position, as ``SeriesStyle/automatic(_:)`` styles by position.
public struct SmallMultiples: Chart {
    /// One panel: any chart of this module except another grid. Its own `size` is ignored.
    public enum Panel: Sendable {
        case line(LineChart)
        case bar(BarChart)
        case heatMap(HeatMap)
        case histogram(Histogram)
    }

    /// The grid's heading, also the SVG's accessible name.
    public var title: String
    /// A line under the title; nil for none.
    public var subtitle: String?
    /// The panels, row by row.
    public var panels: [Panel]
    /// Panels per row (≥ 1).
    public var columns: Int
    /// The size of each panel; the grid is `columns` panels wide.
    public var panelSize: ChartSize
    /// One legend at the top instead of one per panel.
    public var sharedLegend: Bool
    /// Gives every line-chart panel the same y range, so heights compare across panels.
    public var sharesYRange: Bool

    /// A grid of panels; the arguments are the properties of the same names.
    public init(
        title: String, subtitle: String? = nil, panels: [Panel], columns: Int = 2,
        panelSize: ChartSize = ChartSize(width: 420, height: 300), sharedLegend: Bool = true,
        sharesYRange: Bool = false
    ) {
        self.title = title
        self.subtitle = subtitle
        self.panels = panels
        self.columns = columns
        self.panelSize = panelSize
        self.sharedLegend = sharedLegend
        self.sharesYRange = sharesYRange
    }

    /// The whole grid's size: the panels plus the shared header.
    public var size: ChartSize {
        let rows = (panels.count + max(1, columns) - 1) / max(1, columns)
        let width = panelSize.width * Double(min(max(1, columns), max(1, panels.count)))
        return ChartSize(width: width, height: header(width: width).height + 4 + Double(rows) * panelSize.height)
    }

    /// - Throws: ``PlotError/invalidParameter(name:value:allowed:)`` for `columns` < 1 or a
    ///   panel size under 160×120, and any error a panel throws.
    public func svg() throws(PlotError) -> String {
        guard columns >= 1 else {
            throw .invalidParameter(name: "columns", value: "\(columns)", allowed: "at least 1")
        }
        _ = try panelSize.validated("panelSize")
        let size = self.size
        let header = self.header(width: size.width)
        let panels = sharesYRange ? withSharedYRange() : self.panels
        return try Document.render(size: size, title: title) { (svg: inout SVGWriter, bounds: Rect) throws(PlotError) in
            header.draw(in: bounds, into: &svg)
            let top = header.height + 4
            for (index, panel) in panels.enumerated() {
                let frame = Rect(
                    x: Double(index % columns) * panelSize.width,
                    y: top + Double(index / columns) * panelSize.height,
                    width: panelSize.width, height: panelSize.height)
                try svg.group(["class": "panel"]) { (svg: inout SVGWriter) throws(PlotError) in
                    let legend = !sharedLegend
                    switch panel {
                    case .line(let chart): try chart.draw(in: frame, into: &svg, isPanel: true, showsLegend: legend)
                    case .bar(let chart): try chart.draw(in: frame, into: &svg, isPanel: true, showsLegend: legend)
                    case .heatMap(let chart): try chart.draw(in: frame, into: &svg, isPanel: true)
                    case .histogram(let chart): try chart.draw(in: frame, into: &svg, isPanel: true, showsLegend: legend)
                    }
                }
            }
        }
    }

    private func header(width: Double) -> Header {
        Header(
            title: title, subtitle: subtitle, legend: sharedLegend ? sharedEntries() : [],
            width: width - 2 * Theme.padding, isPanel: false)
    }

    /// Every panel's legend entries, each name once, in order of first appearance.
    private func sharedEntries() -> [LegendEntry] {
        var seen = Set<String>()
        var entries: [LegendEntry] = []
        for panel in panels {
            let panelEntries: [LegendEntry]
            switch panel {
            case .line(let chart): panelEntries = chart.legendEntries()
            case .bar(let chart): panelEntries = chart.legendEntries()
            case .heatMap: panelEntries = []
            case .histogram(let chart): panelEntries = chart.legendEntries()
            }
            for entry in panelEntries where seen.insert(entry.name).inserted {
                entries.append(entry)
            }
        }
        return entries
    }

    /// The panels with every line chart's y axis fixed to the nice range covering all of them
    /// (on the scale of the first line chart; panels on the other scale keep their own).
    private func withSharedYRange() -> [Panel] {
        let firstLine = panels.lazy.compactMap { panel -> LineChart? in
            if case .line(let chart) = panel { return chart } else { return nil }
        }.first
        let logarithmic = firstLine?.yAxis.scale == .logarithmic
        var low = Double.infinity, high = -Double.infinity
        for case .line(let chart) in panels
        where chart.yAxis.range == nil && (chart.yAxis.scale == .logarithmic) == logarithmic {
            if let extent = chart.dataExtents().y {
                low = min(low, extent.lowerBound)
                high = max(high, extent.upperBound)
            }
        }
        guard low <= high else { return panels }
        let ticks = logarithmic
            ? Ticks.logarithmic(covering: low...high, maxCount: 6)
            : Ticks.linear(covering: low...high, maxCount: 6)
        guard let first = ticks.first, let last = ticks.last, first < last else { return panels }
        return panels.map { panel in
            guard case .line(var chart) = panel, chart.yAxis.range == nil,
                  (chart.yAxis.scale == .logarithmic) == logarithmic
            else { return panel }
            chart.yAxis.range = first...last
            return .line(chart)
        }
    }
}
