/// The `<svg>` root every chart is drawn in: size, accessible name, font, white background.
enum Document {
    static func render(
        size: ChartSize, title: String,
        _ body: (inout SVGWriter, Rect) throws(PlotError) -> Void
    ) throws(PlotError) -> String {
        let size = try size.validated()
        var svg = SVGWriter()
        svg.open("svg", [
            "xmlns": "http://www.w3.org/2000/svg", "width": size.width.svg,
            "height": size.height.svg, "viewBox": "0 0 \(size.width.svg) \(size.height.svg)",
            "role": "img", "aria-label": title, "font-family": Theme.fontFamily,
        ])
        svg.element("title", [:], text: title)
        svg.element("rect", [
            "class": "background", "width": size.width.svg, "height": size.height.svg,
            "fill": Theme.background.description,
        ])
        try body(&svg, Rect(x: 0, y: 0, width: size.width, height: size.height))
        svg.close("svg")
        return svg.text
    }
}

/// A series of a ``SeriesChart``: a name for the legend and an optional fixed look.
protocol StyledSeries {
    var name: String { get }
    var style: SeriesStyle? { get }
}

/// A chart of series (lines, bars, histograms) that draws alone or as one panel of
/// ``SmallMultiples``.
protocol SeriesChart {
    associatedtype Series: StyledSeries
    var title: String { get }
    var size: ChartSize { get }
    var series: [Series] { get }
    func draw(in bounds: Rect, into svg: inout SVGWriter, isPanel: Bool, showsLegend: Bool) throws(PlotError)
}

extension SeriesChart {
    /// The chart alone in its document, with its legend.
    func render() throws(PlotError) -> String {
        try Document.render(size: size, title: title) { (svg: inout SVGWriter, bounds: Rect) throws(PlotError) in
            try draw(in: bounds, into: &svg, isPanel: false, showsLegend: true)
        }
    }

    /// Each series' look: its own, else the automatic one of its position.
    var styles: [SeriesStyle] { series.indices.map { series[$0].style ?? .automatic($0) } }
}
