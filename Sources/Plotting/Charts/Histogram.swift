/// Overlaid histograms of several series on shared bins: learned PReLU slopes, weights,
/// per-unit activity.
///
/// ```swift
/// let chart = Histogram(
///     title: "Learned PReLU slopes", xAxis: Axis("slope α"),
///     series: [HistogramSeries(name: "layer 1", values: slopes1),
///              HistogramSeries(name: "layer 2", values: slopes2)],
///     normalization: .fraction)
/// ```
///
/// Each series is a step outline in its own colour and dash pattern over a pale fill, so
/// overlaps stay visible. NaN, ±∞ and (with fixed edges) values outside the bins are
/// counted in a footnote. Rendering is O(n log bins).
public struct Histogram: Chart, SeriesChart {
    /// The heading, also the SVG's accessible name.
    public var title: String
    /// A line under the title; nil for none.
    public var subtitle: String?
    /// The binned quantity; must be linear.
    public var xAxis: Axis
    /// The heights' axis; nil labels it after the normalization ("count", "fraction", …).
    public var yAxis: Axis?
    /// The data sets, overlaid on the same bins.
    public var series: [HistogramSeries]
    /// How the x axis is cut into bins (shared by every series).
    public var binning: Binning
    /// What the heights measure: counts, fractions or density.
    public var normalization: HistogramNormalization
    /// The SVG's size.
    public var size: ChartSize

    /// A histogram; the arguments are the properties of the same names.
    public init(
        title: String, subtitle: String? = nil, xAxis: Axis, yAxis: Axis? = nil,
        series: [HistogramSeries], binning: Binning = .automatic,
        normalization: HistogramNormalization = .count, size: ChartSize = .standard
    ) {
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.binning = binning
        self.normalization = normalization
        self.size = size
    }

    /// The bins and counts the chart draws.
    /// - Throws: ``PlotError/invalidParameter(name:value:allowed:)`` for a bad ``Binning``.
    public func bins() throws(PlotError) -> HistogramBins {
        try HistogramBins(series.map(\.values), binning: binning)
    }

    /// - Throws: ``PlotError/invalidParameter(name:value:allowed:)`` for a bad ``Binning``,
    ///   a logarithmic x axis or a size under 160×120; ``PlotError/invalidAxisRange(axis:lower:upper:allowed:)``
    ///   for a bad fixed range.
    public func svg() throws(PlotError) -> String { try render() }

    func legendEntries() -> [LegendEntry] {
        guard series.count > 1 || series.first.map({ !$0.name.isEmpty }) == true else { return [] }
        return zip(series, styles).map { LegendEntry(name: $0.name, style: $1, sample: .area) }
    }

    func draw(in bounds: Rect, into svg: inout SVGWriter, isPanel: Bool, showsLegend: Bool)
        throws(PlotError)
    {
        guard xAxis.scale == .linear else {
            throw .invalidParameter(name: "histogram x axis scale", value: "logarithmic", allowed: "linear")
        }
        let bins = try bins()
        let heights = series.indices.map { bins.heights($0, normalization) }
        var vertical = yAxis ?? Axis(normalization.axisLabel)
        vertical.includesZero = true
        var notes: [String] = []
        let outside = bins.outside.reduce(0, +), nonFinite = bins.nonFinite.reduce(0, +)
        if nonFinite > 0 { notes.append("\(Footnotes.count(nonFinite, "NaN or infinite value")) not shown") }
        if outside > 0 { notes.append("\(Footnotes.count(outside, "value")) outside the bins not shown") }
        let header = Header(
            title: title, subtitle: subtitle, legend: showsLegend ? legendEntries() : [],
            width: bounds.width - 2 * Theme.padding, isPanel: isPanel)
        let frame = try CartesianFrame(
            bounds: bounds, header: header, footnotes: notes,
            horizontal: .continuous(xAxis, extent: bins.edges.first!...bins.edges.last!),
            vertical: vertical, verticalExtent: ResolvedAxis.extent(of: heights.joined(), on: vertical))
        let xMap = frame.x!, clip = frame.plot.insetBy(-1)
        let base = frame.y.pixel(max(frame.y.axis.domain.lowerBound, 0))
        let styles = self.styles

        frame.drawGrid(into: &svg)
        for (index, values) in heights.enumerated() {
            var outline = [Point(x: xMap.pixel(bins.edges[0]), y: base)]
            for (bin, height) in values.enumerated() {
                let y = frame.y.pixel(height)
                outline.append(Point(x: xMap.pixel(bins.edges[bin]), y: y))
                outline.append(Point(x: xMap.pixel(bins.edges[bin + 1]), y: y))
            }
            outline.append(Point(x: xMap.pixel(bins.edges[bins.edges.count - 1]), y: base))
            let style = styles[index]
            svg.group(["class": "series", "aria-label": series[index].name]) { (svg: inout SVGWriter) in
                svg.element("path", [
                    "class": "area", "d": Polygon.pathData(Polygon.clip(outline, to: clip)),
                    "fill": style.color.description, "fill-opacity": "0.14", "stroke": "none",
                ])
                var attributes: Attributes = [
                    "class": "outline",
                    "d": Polyline.pathData(Polyline.clip(Polyline.simplify(outline, tolerance: 0.01), to: clip)),
                    "fill": "none", "stroke": style.color.description,
                    "stroke-width": Theme.lineWidth.svg, "stroke-linejoin": "miter",
                ]
                attributes.add("stroke-dasharray", style.dash.svgValue)
                svg.element("path", attributes)
            }
        }
        if series.allSatisfy({ $0.values.allSatisfy { !$0.isFinite } }) { frame.drawNoData(into: &svg) }
        frame.drawAxes(into: &svg)
    }
}

/// One data set of a ``Histogram``.
public struct HistogramSeries: Sendable, Hashable, StyledSeries {
    /// The legend's name for the series.
    public let name: String
    /// The raw values to bin.
    public let values: [Double]
    /// The look; nil takes ``SeriesStyle/automatic(_:)`` for the series' position.
    public var style: SeriesStyle?

    /// A named data set; `style` nil takes the automatic style for its position.
    public init(name: String, values: [Double], style: SeriesStyle? = nil) {
        self.name = name
        self.values = values
        self.style = style
    }
}
