/// Lines over a continuous x axis: learning curves, activation shapes, success rates.
///
/// ```swift
/// let chart = LineChart(
///     title: "Training error", xAxis: Axis("epoch"),
///     yAxis: Axis("training error", unit: "%", scale: .logarithmic),
///     series: [try LineSeries(name: "ReLU", y: reluErrors),
///              try LineSeries(name: "tanh", y: tanhErrors)])
/// try chart.write(toFile: "report/efficiency.svg")
/// ```
///
/// Each series gets its own colour, dash pattern and marker shape (``SeriesStyle/automatic(_:)``),
/// listed in a legend above the plot; `directLabels` also writes each name at the line's end.
/// NaN, ±∞ and values ≤ 0 on a logarithmic axis leave gaps; a footnote counts the hidden
/// non-NaN points. Runs a series names as diverged (``LineSeries/divergedAt``) are upward
/// triangles at the top edge, outside the y scale, with a footnote. Lines are clipped to the plot and thinned to what is visible (collinear
/// points within 0.05 px dropped), so a dense sampling costs little in file size.
/// Rendering is O(total points · log points).
public struct LineChart: Chart, SeriesChart {
    /// The heading, also the SVG's accessible name.
    public var title: String
    /// A line under the title (what the band shows, how many seeds); nil for none.
    public var subtitle: String?
    /// The horizontal axis: label, unit, scale, range.
    public var xAxis: Axis
    /// The vertical axis: label, unit, scale, range.
    public var yAxis: Axis
    /// The lines, drawn and listed in this order.
    public var series: [LineSeries]
    /// Where markers go on the lines (``MarkerPlacement/automatic`` by default).
    public var markers: MarkerPlacement
    /// Writes each series' name right of the plot, level with the end of its line.
    public var directLabels: Bool
    /// Dashed lines at fixed values (a target, a threshold), labelled at their end.
    public var referenceLines: [ReferenceLine]
    /// The SVG's size.
    public var size: ChartSize

    /// A line chart; the arguments are the properties of the same names.
    public init(
        title: String, subtitle: String? = nil, xAxis: Axis, yAxis: Axis,
        series: [LineSeries] = [], markers: MarkerPlacement = .automatic,
        directLabels: Bool = false, referenceLines: [ReferenceLine] = [],
        size: ChartSize = .standard
    ) {
        self.title = title
        self.subtitle = subtitle
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
        self.markers = markers
        self.directLabels = directLabels
        self.referenceLines = referenceLines
        self.size = size
    }

    /// - Throws: ``PlotError/invalidAxisRange(axis:lower:upper:allowed:)`` for a bad fixed
    ///   range, ``PlotError/invalidParameter(name:value:allowed:)`` for a size under 160×120.
    public func svg() throws(PlotError) -> String { try render() }

    func legendEntries() -> [LegendEntry] {
        zip(series, styles).map { LegendEntry(name: $0.name, style: $1, sample: .line(showsMarker: markers != .none)) }
    }

    /// The ranges of the values the axes can place, and the footnotes for those they cannot.
    func dataExtents() -> (x: ClosedRange<Double>?, y: ClosedRange<Double>?, notes: [String]) {
        var xs: [Double] = [], ys: [Double] = []
        var infinite = 0, nonPositiveX = 0, nonPositiveY = 0
        for line in series {
            for i in line.x.indices {
                let x = line.x[i], y = line.y[i]
                if x.isNaN || y.isNaN { continue }
                if x.isInfinite || y.isInfinite { infinite += 1; continue }
                if !xAxis.accepts(x) { nonPositiveX += 1; continue }
                if !yAxis.accepts(y) { nonPositiveY += 1; continue }
                xs.append(x)
                ys.append(y)
                if let band = line.band {
                    ys += [band.lower[i], band.upper[i]].filter(yAxis.accepts)
                }
            }
        }
        let diverged = series.reduce(0) { $0 + $1.divergedAt.count }
        xs += series.flatMap(\.divergedAt).filter { $0.isFinite && xAxis.accepts($0) }
        for reference in referenceLines {
            switch reference.orientation {
            case .horizontal: if yAxis.accepts(reference.value) { ys.append(reference.value) }
            case .vertical: if xAxis.accepts(reference.value) { xs.append(reference.value) }
            }
        }
        let notes = Footnotes.hidden(infinite: infinite, nonPositiveX: nonPositiveX, nonPositiveY: nonPositiveY)
            + Footnotes.diverged(diverged)
        return (ResolvedAxis.extent(of: xs, on: xAxis), ResolvedAxis.extent(of: ys, on: yAxis), notes)
    }

    func draw(in bounds: Rect, into svg: inout SVGWriter, isPanel: Bool, showsLegend: Bool)
        throws(PlotError)
    {
        let styles = self.styles
        let extents = dataExtents()
        let header = Header(
            title: title, subtitle: subtitle, legend: showsLegend ? legendEntries() : [],
            width: bounds.width - 2 * Theme.padding, isPanel: isPanel)
        let labelWidth = series.map { TextMetrics.width($0.name, fontSize: Theme.legendSize) }.max() ?? 0
        let frame = try CartesianFrame(
            bounds: bounds, header: header, footnotes: extents.notes,
            horizontal: .continuous(xAxis, extent: extents.x), vertical: yAxis,
            verticalExtent: extents.y, rightReserve: directLabels ? labelWidth + 14 : 0)
        let xMap = frame.x!, yMap = frame.y
        let clip = frame.plot.insetBy(-1)

        frame.drawGrid(into: &svg)
        var lastVisible: [(index: Int, y: Double)] = []
        var drewSomething = false
        for (index, line) in series.enumerated() {
            let style = styles[index]
            let pixels: [Point?] = line.x.indices.map { i in
                guard xAxis.accepts(line.x[i]), yAxis.accepts(line.y[i]) else { return nil }
                return Point(x: xMap.pixel(line.x[i]), y: yMap.pixel(line.y[i]))
            }
            svg.group(["class": "series", "aria-label": line.name]) { (svg: inout SVGWriter) in
                if let band = line.band {
                    drawBand(band, of: line, style: style, xMap: xMap, yMap: yMap, clip: clip, into: &svg)
                }
                let runs = Self.runs(pixels)
                let pieces = runs.flatMap { Polyline.clip($0, to: clip) }.map { Polyline.simplify($0) }
                let data = Polyline.pathData(pieces)
                if !data.isEmpty {
                    var attributes: Attributes = [
                        "class": "line", "d": data, "fill": "none", "stroke": style.color.description,
                        "stroke-width": Theme.lineWidth.svg, "stroke-linejoin": "round",
                    ]
                    attributes.add("stroke-dasharray", style.dash.svgValue)
                    svg.element("path", attributes)
                    drewSomething = true
                }
                for run in runs where run.count == 1 && frame.plot.contains(run[0]) {
                    svg.element("circle", [
                        "class": "point", "cx": run[0].x.svg, "cy": run[0].y.svg,
                        "r": Theme.lineWidth.svg, "fill": style.color.description,
                    ])
                    drewSomething = true
                }
                for i in markerIndices(count: pixels.count, series: index) {
                    guard let point = pixels[i], frame.plot.insetBy(-0.5).contains(point) else { continue }
                    Shapes.marker(style.marker, at: point, radius: Theme.markerRadius, color: style.color, into: &svg)
                }
            }
            if let last = pixels.compactMap({ $0 }).last(where: frame.plot.contains) {
                lastVisible.append((index, last.y))
            }
        }
        frame.drawReferenceLines(referenceLines, into: &svg)
        let drewDiverged = drawDiverged(styles: styles, xMap: xMap, frame: frame, into: &svg)
        if !drewSomething && !drewDiverged { frame.drawNoData(into: &svg) }
        frame.drawAxes(into: &svg)
        if directLabels {
            drawDirectLabels(lastVisible, styles: styles, frame: frame, into: &svg)
        }
    }

    /// The diverged runs: per series and distinct x, an upward triangle whose apex touches the
    /// plot's top edge (series sharing an x side by side), "×n" beside it for n runs > 1.
    /// Returns whether it drew any.
    private func drawDiverged(
        styles: [SeriesStyle], xMap: AxisMap, frame: CartesianFrame, into svg: inout SVGWriter
    ) -> Bool {
        var marks: [(series: Int, x: Double, count: Int)] = []
        for (index, line) in series.enumerated() {
            var counts: [Double: Int] = [:]
            for x in line.divergedAt where x.isFinite && xAxis.accepts(x) { counts[x, default: 0] += 1 }
            marks += counts.keys.sorted().map { (index, $0, counts[$0]!) }
        }
        let radius = Theme.markerRadius + 0.8
        let spacing = 2.6 * radius
        var drew = false
        for x in Set(marks.map(\.x)).sorted() {
            let here = marks.filter { $0.x == x }
            let center = xMap.pixel(x)
            guard center >= frame.plot.minX - 0.5, center <= frame.plot.maxX + 0.5 else { continue }
            for (slot, mark) in here.enumerated() {
                let px = center + (Double(slot) - Double(here.count - 1) / 2) * spacing
                let point = Point(x: px, y: frame.plot.minY + 1.3 * radius)
                svg.group(["class": "diverged-runs", "aria-label": "\(series[mark.series].name): \(mark.count) diverged"]) {
                    (svg: inout SVGWriter) in
                    Shapes.marker(
                        .triangleUp, at: point, radius: radius, color: styles[mark.series].color, into: &svg,
                        className: "diverged")
                    if mark.count > 1 {
                        Shapes.text(
                            "×\(mark.count)", at: Point(x: px + 1.3 * radius, y: point.y + 0.9 * radius),
                            size: Theme.footnoteSize, color: styles[mark.series].color, className: "diverged-count",
                            into: &svg)
                    }
                }
                drew = true
            }
        }
        return drew
    }

    /// Splits points into runs of consecutive placeable points.
    static func runs(_ points: [Point?]) -> [[Point]] {
        var runs: [[Point]] = []
        var current: [Point] = []
        for point in points {
            if let point {
                current.append(point)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private func drawBand(
        _ band: LineSeries.Band, of line: LineSeries, style: SeriesStyle, xMap: AxisMap,
        yMap: AxisMap, clip: Rect, into svg: inout SVGWriter
    ) {
        var upper: [Point?] = [], lower: [Point?] = []
        for i in line.x.indices {
            let placeable = xAxis.accepts(line.x[i]) && yAxis.accepts(band.lower[i]) && yAxis.accepts(band.upper[i])
            let x = xMap.pixel(line.x[i])
            upper.append(placeable ? Point(x: x, y: yMap.pixel(band.upper[i])) : nil)
            lower.append(placeable ? Point(x: x, y: yMap.pixel(band.lower[i])) : nil)
        }
        let outlines = zip(Self.runs(upper), Self.runs(lower)).map { top, bottom in
            Polygon.clip(top + bottom.reversed(), to: clip)
        }
        let data = outlines.map(Polygon.pathData).filter { !$0.isEmpty }.joined(separator: " ")
        guard !data.isEmpty else { return }
        svg.element("path", [
            "class": "band", "d": data, "fill": style.color.description, "fill-opacity": "0.16",
            "stroke": "none",
        ])
    }

    /// The indices that get a marker under the chart's placement.
    private func markerIndices(count: Int, series index: Int) -> [Int] {
        var placement = markers
        if placement == .automatic { placement = count <= 30 ? .everyPoint : .spaced(count: 8) }
        switch placement {
        case .none, .automatic: return []
        case .everyPoint: return Array(0..<count)
        case .spaced(let wanted):
            guard wanted > 0, count > 0 else { return [] }
            let step = max(1, count / wanted)
            let offset = (step * (index % max(1, series.count))) / max(1, series.count) + step / 2
            return Array(stride(from: offset % step, to: count, by: step))
        }
    }

    /// Names right of the plot at the height where each line ends, nudged apart so none
    /// overlap, in the series' colour (darkened when too pale to read on white).
    private func drawDirectLabels(
        _ ends: [(index: Int, y: Double)], styles: [SeriesStyle], frame: CartesianFrame,
        into svg: inout SVGWriter
    ) {
        let spacing = Theme.legendSize + 2
        var placed = ends.sorted { ($0.y, $0.index) < ($1.y, $1.index) }
        for i in placed.indices.dropFirst() where placed[i].y < placed[i - 1].y + spacing {
            placed[i].y = placed[i - 1].y + spacing
        }
        if let last = placed.last, last.y > frame.plot.maxY {
            placed[placed.count - 1].y = frame.plot.maxY
            for i in placed.indices.reversed().dropFirst() where placed[i].y > placed[i + 1].y - spacing {
                placed[i].y = placed[i + 1].y - spacing
            }
        }
        for (index, y) in placed {
            let color = styles[index].color
            Shapes.text(
                series[index].name, at: Point(x: frame.plot.maxX + 8, y: y + 0.36 * Theme.legendSize),
                size: Theme.legendSize,
                color: color.luminance > 0.35 ? color.mixed(with: .black, fraction: 0.35) : color,
                className: "direct-label", into: &svg)
        }
    }
}
