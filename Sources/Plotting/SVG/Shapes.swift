/// The small drawn pieces every chart shares: markers, hatched rectangles, text.
enum Shapes {
    /// A marker centred on `center`. Filled shapes get a thin white outline so they stay
    /// visible where lines cross; the cross and plus are drawn as strokes.
    static func marker(
        _ shape: MarkerShape, at center: Point, radius r: Double, color: Color,
        into svg: inout SVGWriter, className: String = "marker"
    ) {
        let x = center.x, y = center.y
        func path(_ corners: [(Double, Double)]) -> String {
            corners.enumerated().map { i, corner in
                (i == 0 ? "M" : "L") + (x + corner.0 * r).svg + " " + (y + corner.1 * r).svg
            }.joined(separator: " ") + " Z"
        }
        let outline: String
        switch shape {
        case .circle:
            svg.element("circle", [
                "class": className, "cx": x.svg, "cy": y.svg, "r": r.svg,
                "fill": color.description, "stroke": "#ffffff", "stroke-width": "0.8",
            ])
            return
        case .square:
            outline = path([(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)])
        case .triangleUp:
            outline = path([(0, -1.3), (1.15, 0.75), (-1.15, 0.75)])
        case .triangleDown:
            outline = path([(0, 1.3), (1.15, -0.75), (-1.15, -0.75)])
        case .diamond:
            outline = path([(0, -1.3), (1.05, 0), (0, 1.3), (-1.05, 0)])
        case .cross, .plus:
            let k = shape == .cross ? 1.0 : 1.3
            let arms: [((Double, Double), (Double, Double))] = shape == .cross
                ? [((-k, -k), (k, k)), ((-k, k), (k, -k))]
                : [((-k, 0), (k, 0)), ((0, -k), (0, k))]
            let d = arms.map { a, b in
                "M" + (x + a.0 * r).svg + " " + (y + a.1 * r).svg
                    + " L" + (x + b.0 * r).svg + " " + (y + b.1 * r).svg
            }.joined(separator: " ")
            svg.element("path", [
                "class": className, "d": d, "fill": "none", "stroke": color.description,
                "stroke-width": "1.8", "stroke-linecap": "round",
            ])
            return
        }
        svg.element("path", [
            "class": className, "d": outline, "fill": color.description,
            "stroke": "#ffffff", "stroke-width": "0.8", "stroke-linejoin": "round",
        ])
    }

    /// A rectangle in `style`'s fill: solid colour, or a pale tint hatched in the full
    /// colour; outlined in the colour either way.
    static func patternedRect(
        _ rect: Rect, style: SeriesStyle, className: String, into svg: inout SVGWriter
    ) {
        guard rect.width > 0, rect.height > 0 else { return }
        let solid = style.fill == .solid
        let fill = solid ? style.color : style.color.mixed(with: .white, fraction: 0.78)
        svg.element("rect", [
            "class": className, "x": rect.x.svg, "y": rect.y.svg, "width": rect.width.svg,
            "height": rect.height.svg, "fill": fill.description, "stroke": style.color.description,
            "stroke-width": "1",
        ])
        let hatch = hatchPath(style.fill, in: rect.insetBy(0.5))
        if !hatch.isEmpty {
            svg.element("path", [
                "d": hatch, "fill": "none", "stroke": style.color.description, "stroke-width": "1.1",
            ])
        }
    }

    /// Hatch lines clipped to `rect`, on a lattice fixed to the page so neighbouring bars'
    /// hatching lines up.
    static func hatchPath(_ pattern: FillPattern, in rect: Rect) -> String {
        guard rect.width > 0, rect.height > 0 else { return "" }
        var segments: [(Point, Point)] = []
        func lines(spacing: Double, diagonal: Int) {
            switch diagonal {
            case 1:  // "/": x + y = c
                var c = ((rect.minX + rect.minY) / spacing).rounded(.up) * spacing
                while c < rect.maxX + rect.maxY {
                    let x0 = max(rect.minX, c - rect.maxY), x1 = min(rect.maxX, c - rect.minY)
                    if x0 < x1 { segments.append((Point(x: x0, y: c - x0), Point(x: x1, y: c - x1))) }
                    c += spacing
                }
            case -1:  // "\": x − y = c
                var c = ((rect.minX - rect.maxY) / spacing).rounded(.up) * spacing
                while c < rect.maxX - rect.minY {
                    let x0 = max(rect.minX, c + rect.minY), x1 = min(rect.maxX, c + rect.maxY)
                    if x0 < x1 { segments.append((Point(x: x0, y: x0 - c), Point(x: x1, y: x1 - c))) }
                    c += spacing
                }
            case 2:  // horizontal
                var y = (rect.minY / spacing).rounded(.up) * spacing
                while y < rect.maxY {
                    segments.append((Point(x: rect.minX, y: y), Point(x: rect.maxX, y: y)))
                    y += spacing
                }
            default:  // vertical
                var x = (rect.minX / spacing).rounded(.up) * spacing
                while x < rect.maxX {
                    segments.append((Point(x: x, y: rect.minY), Point(x: x, y: rect.maxY)))
                    x += spacing
                }
            }
        }
        switch pattern {
        case .solid: return ""
        case .diagonal: lines(spacing: 7, diagonal: 1)
        case .antiDiagonal: lines(spacing: 7, diagonal: -1)
        case .crossHatch: lines(spacing: 8, diagonal: 1); lines(spacing: 8, diagonal: -1)
        case .horizontal: lines(spacing: 5, diagonal: 2)
        case .vertical: lines(spacing: 5, diagonal: 0)
        case .grid: lines(spacing: 6, diagonal: 2); lines(spacing: 6, diagonal: 0)
        case .denseDiagonal: lines(spacing: 4, diagonal: 1)
        }
        return segments.map { a, b in
            "M" + a.x.svg + " " + a.y.svg + " L" + b.x.svg + " " + b.y.svg
        }.joined(separator: " ")
    }

    /// A text element in the charts' font.
    static func text(
        _ content: String, at point: Point, size: Double, anchor: String = "start",
        color: Color = Theme.text, bold: Bool = false, className: String? = nil,
        rotation: Double? = nil, into svg: inout SVGWriter
    ) {
        var attributes: Attributes = [:]
        attributes.add("class", className)
        attributes.add("x", point.x.svg)
        attributes.add("y", point.y.svg)
        attributes.add("font-size", size.svg)
        attributes.add("text-anchor", anchor == "start" ? nil : anchor)
        attributes.add("fill", color == Theme.text ? nil : color.description)
        attributes.add("font-weight", bold ? "bold" : nil)
        attributes.add("transform", rotation.map { "rotate(\($0.svg) \(point.x.svg) \(point.y.svg))" })
        svg.element("text", attributes, text: content)
    }
}
