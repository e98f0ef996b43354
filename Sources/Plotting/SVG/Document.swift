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
