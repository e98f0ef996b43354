import Foundation

/// The frame shared by the charts with x and y axes (lines, bars, histograms): header,
/// axes with ticks and titles, grid, footnotes, and the plot rectangle the data goes in.
struct CartesianFrame {
    /// What runs along the x axis.
    enum Horizontal {
        case continuous(Axis, extent: ClosedRange<Double>?)
        case categories([String], title: String)
    }

    let bounds: Rect
    let header: Header
    let footnotes: [String]
    let plot: Rect
    /// The continuous x axis (nil for categories).
    let x: AxisMap?
    let y: AxisMap
    let categories: [String]
    let xTitle: String
    let yTitle: String
    private let rotatesCategoryLabels: Bool
    private let categoryLabelHeight: Double

    private static let rotation = 35.0

    /// Lays the frame out in `bounds`.
    /// - Parameter rightReserve: room kept right of the plot (direct labels).
    /// - Throws: ``PlotError/invalidAxisRange(axis:lower:upper:allowed:)`` for a bad fixed range.
    init(
        bounds: Rect, header: Header, footnotes: [String], horizontal: Horizontal,
        vertical: Axis, verticalExtent: ClosedRange<Double>?, rightReserve: Double = 0
    ) throws(PlotError) {
        self.bounds = bounds
        self.header = header
        self.footnotes = footnotes
        yTitle = vertical.title
        let tickSpace = Theme.tickLength + 4
        let top = bounds.minY + header.height + 8
        let bottomReserve = Theme.padding + Header.footnoteHeight(footnotes.count)
            + (footnotes.isEmpty ? 0 : 4) + Theme.axisTitleSize + 8

        switch horizontal {
        case .continuous(let axis, _):
            xTitle = axis.title
            categories = []
        case .categories(let names, let title):
            xTitle = title
            categories = names
        }
        let widestCategory = categories.map { TextMetrics.width($0, fontSize: Theme.tickLabelSize) }.max() ?? 0

        // Category labels turn when they do not fit their band; that changes the height left
        // for the plot, so the layout runs at most twice.
        var rotate = false
        var layout: (plot: Rect, x: AxisMap?, y: AxisMap)
        repeat {
            let labelHeight = rotate ? Self.rotatedHeight(widestCategory) : Theme.tickLabelSize
            let bottom = bounds.maxY - bottomReserve - tickSpace - labelHeight
            let height = max(20, bottom - top)
            let yAxis = try ResolvedAxis.resolve(
                vertical, extent: verticalExtent, maxTicks: max(3, Int(height / 40)))
            let yLabelWidth = yAxis.labels.map { TextMetrics.width($0, fontSize: Theme.tickLabelSize) }.max() ?? 0
            let left = bounds.minX + Theme.padding + Theme.axisTitleSize + 8 + yLabelWidth + tickSpace
            var right = bounds.maxX - Theme.padding - rightReserve
            var xMap: AxisMap?
            if case .continuous(let axis, let extent) = horizontal {
                let xAxis = try Self.fittingHorizontal(axis, extent: extent, length: right - left)
                let lastHalf = TextMetrics.width(xAxis.labels.last ?? "", fontSize: Theme.tickLabelSize) / 2
                if rightReserve == 0 { right = min(right, bounds.maxX - 4 - lastHalf) }
                xMap = AxisMap(axis: xAxis, start: left, end: right)
            }
            let plot = Rect(x: left, y: top, width: max(20, right - left), height: height)
            layout = (plot, xMap, AxisMap(axis: yAxis, start: plot.maxY, end: plot.minY))
            if rotate || categories.isEmpty { break }
            if widestCategory <= plot.width / Double(categories.count) - 6 { break }
            rotate = true
        } while true
        plot = layout.plot
        x = layout.x
        y = layout.y
        rotatesCategoryLabels = rotate
        categoryLabelHeight = rotate ? Self.rotatedHeight(widestCategory) : Theme.tickLabelSize
    }

    /// The x axis with as many ticks as fit without their labels touching.
    private static func fittingHorizontal(_ axis: Axis, extent: ClosedRange<Double>?, length: Double)
        throws(PlotError) -> ResolvedAxis
    {
        var maxTicks = max(3, Int(length / 50))
        while true {
            let resolved = try ResolvedAxis.resolve(axis, extent: extent, maxTicks: maxTicks)
            let widest = resolved.labels.map { TextMetrics.width($0, fontSize: Theme.tickLabelSize) }.max() ?? 0
            let spacing = length / Double(max(1, resolved.ticks.count - 1))
            if widest + 12 <= spacing || maxTicks <= 3 { return resolved }
            maxTicks -= 1
        }
    }

    private static func rotatedHeight(_ width: Double) -> Double {
        let angle = rotation * Double.pi / 180
        return width * sin(angle) + Theme.tickLabelSize * cos(angle)
    }

    /// The centre and width of category `index`'s band.
    func band(_ index: Int) -> (center: Double, width: Double) {
        let width = plot.width / Double(max(1, categories.count))
        return (plot.minX + (Double(index) + 0.5) * width, width)
    }

    /// Grid lines (under the data).
    func drawGrid(into svg: inout SVGWriter) {
        svg.group(["class": "grid", "stroke": Theme.gridLine.description, "stroke-width": "1"]) {
            (svg: inout SVGWriter) in
            for tick in y.axis.ticks {
                let py = y.pixel(tick)
                svg.segment(plot.minX, py, plot.maxX, py)
            }
            if let x {
                for tick in x.axis.ticks {
                    let px = x.pixel(tick)
                    svg.segment(px, plot.minY, px, plot.maxY)
                }
            }
            // Zero gets a darker line when it lies inside a linear axis: it is where signs change.
            if y.axis.scale == .linear, y.axis.domain.lowerBound < 0, y.axis.domain.upperBound > 0 {
                let py = y.pixel(0)
                svg.segment(plot.minX, py, plot.maxX, py, ["stroke": Theme.zeroLine.description])
            }
            if let x, x.axis.scale == .linear, x.axis.domain.lowerBound < 0, x.axis.domain.upperBound > 0 {
                let px = x.pixel(0)
                svg.segment(px, plot.minY, px, plot.maxY, ["stroke": Theme.zeroLine.description])
            }
        }
    }

    /// Axes, ticks, labels, titles, header and footnotes (over the data).
    func drawAxes(into svg: inout SVGWriter) {
        svg.group(["class": "axes"]) { (svg: inout SVGWriter) in
            svg.element("path", [
                "d": "M\(plot.minX.svg) \(plot.minY.svg) L\(plot.minX.svg) \(plot.maxY.svg) L\(plot.maxX.svg) \(plot.maxY.svg)",
                "fill": "none", "stroke": Theme.axisLine.description, "stroke-width": "1",
            ])
            for (tick, label) in zip(y.axis.ticks, y.axis.labels) {
                let py = y.pixel(tick)
                svg.group(["class": "y-tick"]) { (svg: inout SVGWriter) in
                    svg.segment(plot.minX - Theme.tickLength, py, plot.minX, py, ["stroke": Theme.axisLine.description])
                    Shapes.text(
                        label, at: Point(x: plot.minX - Theme.tickLength - 3, y: py + 0.36 * Theme.tickLabelSize),
                        size: Theme.tickLabelSize, anchor: "end", into: &svg)
                }
            }
            let labelTop = plot.maxY + Theme.tickLength + 4
            if let x {
                for (tick, label) in zip(x.axis.ticks, x.axis.labels) {
                    drawXTick(at: x.pixel(tick), label: label, labelTop: labelTop, into: &svg)
                }
            }
            for (i, name) in categories.enumerated() {
                drawXTick(at: band(i).center, label: name, labelTop: labelTop, into: &svg)
            }
            Shapes.text(
                xTitle, at: Point(x: plot.midX, y: labelTop + categoryLabelHeight + 6 + Theme.axisTitleSize * 0.8),
                size: Theme.axisTitleSize, anchor: "middle", className: "axis-title", into: &svg)
            Shapes.text(
                yTitle, at: Point(x: bounds.minX + Theme.padding + Theme.axisTitleSize * 0.8, y: plot.midY),
                size: Theme.axisTitleSize, anchor: "middle", className: "axis-title", rotation: -90,
                into: &svg)
        }
        header.draw(in: bounds, into: &svg)
        Header.drawFootnotes(footnotes, in: bounds, into: &svg)
    }

    private func drawXTick(at px: Double, label: String, labelTop: Double, into svg: inout SVGWriter) {
        svg.group(["class": "x-tick"]) { (svg: inout SVGWriter) in
            svg.segment(px, plot.maxY, px, plot.maxY + Theme.tickLength, ["stroke": Theme.axisLine.description])
            if rotatesCategoryLabels {
                Shapes.text(
                    label, at: Point(x: px + 3, y: labelTop + Theme.tickLabelSize * 0.6),
                    size: Theme.tickLabelSize, anchor: "end", rotation: -Self.rotation, into: &svg)
            } else {
                Shapes.text(
                    label, at: Point(x: px, y: labelTop + Theme.tickLabelSize * 0.8),
                    size: Theme.tickLabelSize, anchor: "middle", into: &svg)
            }
        }
    }

    /// Dashed lines at fixed values, labelled at their end; lines outside the plot (or
    /// vertical ones on a category axis) are skipped.
    func drawReferenceLines(_ lines: [ReferenceLine], into svg: inout SVGWriter) {
        for reference in lines {
            let horizontal = reference.orientation == .horizontal
            guard let map = horizontal ? y : x else { continue }
            let position = reference.value.isFinite ? map.pixel(reference.value) : .nan
            let low = horizontal ? plot.minY : plot.minX, high = horizontal ? plot.maxY : plot.maxX
            guard position >= low - 0.5, position <= high + 0.5 else { continue }
            svg.group(["class": "reference-line"]) { (svg: inout SVGWriter) in
                let (x1, y1, x2, y2) = horizontal
                    ? (plot.minX, position, plot.maxX, position)
                    : (position, plot.minY, position, plot.maxY)
                svg.segment(x1, y1, x2, y2, [
                    "stroke": Theme.mutedText.description, "stroke-width": "1.2", "stroke-dasharray": "5 3",
                ])
                guard !reference.label.isEmpty else { return }
                Shapes.text(
                    reference.label,
                    at: horizontal
                        ? Point(x: plot.maxX - 4, y: position - 4)
                        : Point(x: position + 4, y: plot.minY + Theme.footnoteSize),
                    size: Theme.footnoteSize, anchor: horizontal ? "end" : "start",
                    color: Theme.mutedText, into: &svg)
            }
        }
    }

    /// "no data" in the middle of the plot, for charts with nothing to draw.
    func drawNoData(into svg: inout SVGWriter) {
        Shapes.text(
            "no data", at: Point(x: plot.midX, y: plot.midY), size: Theme.axisTitleSize,
            anchor: "middle", color: Theme.mutedText, className: "no-data", into: &svg)
    }
}
