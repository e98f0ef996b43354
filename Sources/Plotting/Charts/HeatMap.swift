import Foundation

/// A matrix of values as coloured cells with the numbers printed in them: loss by depth ×
/// activation, accuracy by init scale × activation.
///
/// ```swift
/// let chart = HeatMap(
///     title: "Loss after 5 epochs", rowLabels: ["ReLU", "tanh"], columnLabels: ["2", "4", "8"],
///     values: [[0.31, 0.29, 0.30], [0.35, 0.41, 0.88]],
///     rowAxisLabel: "activation", columnAxisLabel: "depth (layers)", scaleLabel: "loss")
/// ```
///
/// `values[row][column]`; the first row is drawn at the top, as in a table. The colour bar
/// at the right is the legend; the printed numbers make the chart readable without colour.
/// NaN and ±∞ cells are grey with "NaN" / "∞" printed. Rendering is O(rows × columns).
public struct HeatMap: Chart {
    /// The heading, also the SVG's accessible name.
    public var title: String
    /// A line under the title; nil for none.
    public var subtitle: String?
    /// One label per row, top to bottom, written left of the cells.
    public var rowLabels: [String]
    /// One label per column, left to right, written under the cells.
    public var columnLabels: [String]
    /// One array per row, each with one value per column.
    public var values: [[Double]]
    /// The title of the rows (left, turned).
    public var rowAxisLabel: String
    /// The title of the columns (below).
    public var columnAxisLabel: String
    /// The colour bar's title, with its unit ("loss", "accuracy (%)").
    public var scaleLabel: String
    /// How values map to colours (viridis by default).
    public var colorScale: ColorScale
    /// A fixed colour range (values outside take the end colours); nil uses the data's range.
    public var colorRange: ClosedRange<Double>?
    /// How the numbers in the cells are printed.
    public var valueFormat: ValueFormat
    /// The SVG's size.
    public var size: ChartSize

    /// A heat map; the arguments are the properties of the same names.
    public init(
        title: String, subtitle: String? = nil, rowLabels: [String], columnLabels: [String],
        values: [[Double]], rowAxisLabel: String, columnAxisLabel: String, scaleLabel: String,
        colorScale: ColorScale = .sequential, colorRange: ClosedRange<Double>? = nil,
        valueFormat: ValueFormat = .automatic, size: ChartSize = .standard
    ) {
        self.title = title
        self.subtitle = subtitle
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.rowAxisLabel = rowAxisLabel
        self.columnAxisLabel = columnAxisLabel
        self.scaleLabel = scaleLabel
        self.colorScale = colorScale
        self.colorRange = colorRange
        self.valueFormat = valueFormat
        self.size = size
    }

    /// - Throws: ``PlotError/lengthMismatch(owner:field:expected:actual:)`` when the matrix
    ///   does not have one row per row label and one value per column label in each row,
    ///   ``PlotError/invalidAxisRange(axis:lower:upper:allowed:)`` for a bad `colorRange`,
    ///   ``PlotError/invalidParameter(name:value:allowed:)`` for a size under 160×120.
    public func svg() throws(PlotError) -> String {
        try Document.render(size: size, title: title) { (svg: inout SVGWriter, bounds: Rect) throws(PlotError) in
            try draw(in: bounds, into: &svg, isPanel: false)
        }
    }

    private func validate() throws(PlotError) {
        guard values.count == rowLabels.count else {
            throw .lengthMismatch(owner: "heat map '\(title)'", field: "values (rows)",
                                  expected: rowLabels.count, actual: values.count)
        }
        for (row, cells) in values.enumerated() where cells.count != columnLabels.count {
            throw .lengthMismatch(owner: "heat map '\(title)'", field: "values[\(row)]",
                                  expected: columnLabels.count, actual: cells.count)
        }
    }

    func draw(in bounds: Rect, into svg: inout SVGWriter, isPanel: Bool) throws(PlotError) {
        try validate()
        let colorable = values.joined().filter { $0.isFinite && (colorScale != .logarithmic || $0 > 0) }
        let domain = colorRange ?? colorScale.domain(for: colorable)
        let scaleAxis = try ResolvedAxis.resolve(
            Axis(scaleLabel, scale: colorScale.axisScale, range: domain), extent: nil, maxTicks: 6)

        let header = Header(title: title, subtitle: subtitle, legend: [], width: bounds.width, isPanel: isPanel)
        let labelSize = Theme.tickLabelSize
        let scaleLabelWidth = scaleAxis.labels.map { TextMetrics.width($0, fontSize: labelSize) }.max() ?? 0
        let barWidth = 14.0
        let right = bounds.maxX - Theme.padding - Theme.axisTitleSize - 8 - scaleLabelWidth - 8 - barWidth - 14
        let rowLabelWidth = rowLabels.map { TextMetrics.width($0, fontSize: labelSize) }.max() ?? 0
        let left = bounds.minX + Theme.padding + Theme.axisTitleSize + 8 + rowLabelWidth + 6
        let top = bounds.minY + header.height + 6
        let cellWidth = max(1, (right - left) / Double(max(1, columnLabels.count)))
        let columnLabelWidth = columnLabels.map { TextMetrics.width($0, fontSize: labelSize) }.max() ?? 0
        let rotate = columnLabelWidth > cellWidth - 6
        let columnLabelHeight = rotate ? columnLabelWidth * 0.574 + labelSize * 0.82 : labelSize
        var notes: [String] = []
        let bottomReserve = Theme.padding + Theme.axisTitleSize + 8 + columnLabelHeight + 8
        // The footnote about cells too small for numbers is known only after the layout, so
        // room for one note is kept whenever the cells are small.
        let roughCellHeight = (bounds.maxY - bottomReserve - top) / Double(max(1, rowLabels.count))
        let noteRoom = roughCellHeight < 12 || cellWidth < 24 ? Header.footnoteHeight(1) + 4 : 0
        let grid = Rect(
            x: left, y: top, width: right - left,
            height: max(10, bounds.maxY - bottomReserve - noteRoom - top))
        let cellHeight = grid.height / Double(max(1, rowLabels.count))

        let flat = valueFormat.strings(Array(values.joined()))
        let texts = values.indices.map { row in
            Array(flat[(row * columnLabels.count)..<((row + 1) * columnLabels.count)])
        }
        let fontSize = Self.cellFontSize(texts, width: cellWidth, height: cellHeight)
        if fontSize == nil && !rowLabels.isEmpty && !columnLabels.isEmpty {
            notes.append("cells too small to print their values; enlarge the chart to show them")
        }

        svg.group(["class": "cells"]) { (svg: inout SVGWriter) in
            for (row, cells) in values.enumerated() {
                for (column, value) in cells.enumerated() {
                    let cell = Rect(
                        x: grid.minX + Double(column) * cellWidth, y: grid.minY + Double(row) * cellHeight,
                        width: cellWidth, height: cellHeight)
                    let fill = colorScale.color(value, domain: domain) ?? Theme.missing
                    svg.element("rect", [
                        "class": "cell", "x": cell.x.svg, "y": cell.y.svg, "width": cell.width.svg,
                        "height": cell.height.svg, "fill": fill.description, "stroke": "#ffffff",
                        "stroke-width": "1",
                    ])
                    guard let fontSize else { continue }
                    Shapes.text(
                        texts[row][column], at: Point(x: cell.midX, y: cell.midY + 0.36 * fontSize),
                        size: fontSize, anchor: "middle",
                        color: fill.luminance > 0.3 ? Theme.text : .white, className: "cell-value",
                        into: &svg)
                }
            }
        }
        svg.group(["class": "axes"]) { (svg: inout SVGWriter) in
            for (row, label) in rowLabels.enumerated() {
                Shapes.text(
                    label, at: Point(x: grid.minX - 6, y: grid.minY + (Double(row) + 0.5) * cellHeight + 0.36 * labelSize),
                    size: labelSize, anchor: "end", into: &svg)
            }
            for (column, label) in columnLabels.enumerated() {
                let x = grid.minX + (Double(column) + 0.5) * cellWidth
                if rotate {
                    Shapes.text(label, at: Point(x: x + 3, y: grid.maxY + 6 + labelSize * 0.6), size: labelSize,
                                anchor: "end", rotation: -35, into: &svg)
                } else {
                    Shapes.text(label, at: Point(x: x, y: grid.maxY + 6 + labelSize * 0.8), size: labelSize,
                                anchor: "middle", into: &svg)
                }
            }
            Shapes.text(
                columnAxisLabel, at: Point(x: grid.midX, y: grid.maxY + 6 + columnLabelHeight + 6 + Theme.axisTitleSize * 0.8),
                size: Theme.axisTitleSize, anchor: "middle", className: "axis-title", into: &svg)
            Shapes.text(
                rowAxisLabel, at: Point(x: bounds.minX + Theme.padding + Theme.axisTitleSize * 0.8, y: grid.midY),
                size: Theme.axisTitleSize, anchor: "middle", className: "axis-title", rotation: -90, into: &svg)
        }
        drawColorBar(
            Rect(x: right + 14, y: grid.minY, width: barWidth, height: grid.height), axis: scaleAxis,
            domain: domain, into: &svg)
        header.draw(in: bounds, into: &svg)
        Header.drawFootnotes(notes, in: bounds, into: &svg)
    }

    /// The largest font (11 px down to 7 px) at which every printed value fits its cell, or nil.
    private static func cellFontSize(_ texts: [[String]], width: Double, height: Double) -> Double? {
        let widest = texts.joined().max { TextMetrics.width($0, fontSize: 1) < TextMetrics.width($1, fontSize: 1) }
        let emWidth = widest.map { TextMetrics.width($0, fontSize: 1) } ?? 0
        for size in stride(from: Theme.tickLabelSize, through: 7, by: -0.5)
        where emWidth * size <= width - 4 && size <= height - 3 {
            return size
        }
        return nil
    }

    private func drawColorBar(
        _ bar: Rect, axis: ResolvedAxis, domain: ClosedRange<Double>, into svg: inout SVGWriter
    ) {
        let map = AxisMap(axis: axis, start: bar.maxY, end: bar.minY)
        svg.group(["class": "color-bar"]) { (svg: inout SVGWriter) in
            let steps = 64
            for step in 0..<steps {
                let fraction = (Double(step) + 0.5) / Double(steps)
                let value = colorScale == .logarithmic
                    ? domain.lowerBound * pow(domain.upperBound / domain.lowerBound, fraction)
                    : domain.lowerBound + (domain.upperBound - domain.lowerBound) * fraction
                let y0 = bar.maxY - bar.height * Double(step + 1) / Double(steps)
                svg.element("rect", [
                    "x": bar.x.svg, "y": y0.svg, "width": bar.width.svg,
                    "height": (bar.height / Double(steps) + 0.3).svg,
                    "fill": (colorScale.color(value, domain: domain) ?? Theme.missing).description,
                ])
            }
            svg.element("rect", [
                "x": bar.x.svg, "y": bar.y.svg, "width": bar.width.svg, "height": bar.height.svg,
                "fill": "none", "stroke": Theme.axisLine.description, "stroke-width": "0.8",
            ])
            var labelRight = bar.maxX
            for (tick, label) in zip(axis.ticks, axis.labels) {
                let y = map.pixel(tick)
                svg.segment(bar.maxX, y, bar.maxX + 4, y, ["stroke": Theme.axisLine.description])
                Shapes.text(label, at: Point(x: bar.maxX + 7, y: y + 0.36 * Theme.tickLabelSize),
                            size: Theme.tickLabelSize, into: &svg)
                labelRight = max(labelRight, bar.maxX + 7 + TextMetrics.width(label, fontSize: Theme.tickLabelSize))
            }
            Shapes.text(
                scaleLabel, at: Point(x: labelRight + 8 + Theme.axisTitleSize * 0.2, y: bar.midY),
                size: Theme.axisTitleSize, anchor: "middle", className: "axis-title", rotation: 90,
                into: &svg)
        }
    }
}
