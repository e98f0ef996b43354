/// One legend entry: a sample of the series' look beside its name.
struct LegendEntry {
    enum Sample {
        /// A stroke in the series' dash pattern, with its marker when the chart shows markers.
        case line(showsMarker: Bool)
        /// A swatch in the series' fill pattern (bars).
        case bar
        /// A pale swatch outlined in the series' dash pattern (histogram outlines).
        case area
    }

    let name: String
    let style: SeriesStyle
    let sample: Sample
}

/// Legend entries flowed into rows across the available width, above the plot where they
/// never cover data.
struct Legend {
    let rows: [[(entry: LegendEntry, x: Double)]]

    private static let gap = 18.0, sampleGap = 6.0

    init(_ entries: [LegendEntry], width: Double) {
        var rows: [[(entry: LegendEntry, x: Double)]] = []
        var row: [(entry: LegendEntry, x: Double)] = []
        var x = 0.0
        for entry in entries {
            let entryWidth = Theme.legendSampleWidth + Self.sampleGap
                + TextMetrics.width(entry.name, fontSize: Theme.legendSize)
            if !row.isEmpty && x + entryWidth > width {
                rows.append(row)
                row = []
                x = 0
            }
            row.append((entry, x))
            x += entryWidth + Self.gap
        }
        if !row.isEmpty { rows.append(row) }
        self.rows = rows
    }

    var height: Double { Double(rows.count) * Theme.legendRowHeight }

    func draw(at origin: Point, into svg: inout SVGWriter) {
        guard !rows.isEmpty else { return }
        svg.group(["class": "legend"]) { (svg: inout SVGWriter) in
            for (rowIndex, row) in rows.enumerated() {
                let middle = origin.y + (Double(rowIndex) + 0.5) * Theme.legendRowHeight
                for (entry, x) in row {
                    svg.group(["class": "legend-entry"]) { (svg: inout SVGWriter) in
                        let left = origin.x + x
                        Self.drawSample(entry, left: left, middle: middle, into: &svg)
                        Shapes.text(
                            entry.name,
                            at: Point(x: left + Theme.legendSampleWidth + Self.sampleGap,
                                      y: middle + 0.36 * Theme.legendSize),
                            size: Theme.legendSize, into: &svg)
                    }
                }
            }
        }
    }

    private static func drawSample(
        _ entry: LegendEntry, left: Double, middle: Double, into svg: inout SVGWriter
    ) {
        let style = entry.style
        let width = Theme.legendSampleWidth
        switch entry.sample {
        case .line(let showsMarker):
            var attributes: Attributes = ["stroke": style.color.description, "stroke-width": Theme.lineWidth.svg]
            attributes.add("stroke-dasharray", style.dash.svgValue)
            svg.segment(left, middle, left + width, middle, attributes)
            if showsMarker {
                Shapes.marker(
                    style.marker, at: Point(x: left + width / 2, y: middle),
                    radius: Theme.markerRadius, color: style.color, into: &svg,
                    className: "legend-marker")
            }
        case .bar:
            Shapes.patternedRect(
                Rect(x: left + 4, y: middle - 6.5, width: width - 8, height: 13), style: style,
                className: "legend-swatch", into: &svg)
        case .area:
            var attributes: Attributes = [
                "class": "legend-swatch", "x": (left + 4).svg, "y": (middle - 6.5).svg,
                "width": (width - 8).svg, "height": "13",
                "fill": style.color.mixed(with: .white, fraction: 0.8).description,
                "stroke": style.color.description, "stroke-width": Theme.lineWidth.svg,
            ]
            attributes.add("stroke-dasharray", style.dash.svgValue)
            svg.element("rect", attributes)
        }
    }
}
