/// A point in SVG pixels (y grows downwards).
struct Point: Hashable {
    var x: Double
    var y: Double
}

/// An axis-aligned rectangle in SVG pixels.
struct Rect: Hashable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var minX: Double { x }
    var maxX: Double { x + width }
    var minY: Double { y }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }

    func contains(_ point: Point) -> Bool {
        point.x >= minX && point.x <= maxX && point.y >= minY && point.y <= maxY
    }

    func insetBy(_ amount: Double) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }
}

/// Polylines clipped to a rectangle and thinned to what is visible.
///
/// Clipping is done on the geometry rather than with an SVG `clipPath`, which would need an
/// element id, and ids collide when several charts are inlined in one page.
enum Polyline {
    /// Clips each run of points to `rect` (Liang–Barsky per segment), splitting a run where
    /// it leaves the rectangle. Points must be finite.
    static func clip(_ run: [Point], to rect: Rect) -> [[Point]] {
        guard run.count > 1 else { return run.filter(rect.contains).map { [$0] } }
        var pieces: [[Point]] = []
        var current: [Point] = []
        for (start, end) in zip(run, run.dropFirst()) {
            guard let (a, b) = clipSegment(start, end, to: rect) else {
                if !current.isEmpty { pieces.append(current) }
                current = []
                continue
            }
            if current.last != a {
                if !current.isEmpty { pieces.append(current) }
                current = [a]
            }
            current.append(b)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    private static func clipSegment(_ a: Point, _ b: Point, to rect: Rect) -> (Point, Point)? {
        let dx = b.x - a.x, dy = b.y - a.y
        var enter = 0.0, leave = 1.0
        // Each pair (p, q): the segment is inside where p·t ≤ q.
        let constraints = [
            (-dx, a.x - rect.minX), (dx, rect.maxX - a.x),
            (-dy, a.y - rect.minY), (dy, rect.maxY - a.y),
        ]
        for (p, q) in constraints {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { enter = max(enter, t) } else { leave = min(leave, t) }
            }
        }
        guard enter <= leave else { return nil }
        let start = enter == 0 ? a : Point(x: a.x + enter * dx, y: a.y + enter * dy)
        let end = leave == 1 ? b : Point(x: a.x + leave * dx, y: a.y + leave * dy)
        return (start, end)
    }

    /// Ramer–Douglas–Peucker: drops points closer than `tolerance` pixels to the line through
    /// their kept neighbours. Straight stretches (most of a ReLU) shrink to their two ends;
    /// kinks and jumps stay. Deterministic; O(n log n) typical, O(n²) worst case.
    static func simplify(_ points: [Point], tolerance: Double = 0.05) -> [Point] {
        guard points.count > 2 else { return points }
        var keep = [Bool](repeating: false, count: points.count)
        keep[0] = true
        keep[points.count - 1] = true
        var stack = [(0, points.count - 1)]
        while let (first, last) = stack.popLast() {
            guard last > first + 1 else { continue }
            var farthest = first, distance = -1.0
            for i in (first + 1)..<last {
                let d = distanceToSegment(points[i], points[first], points[last])
                if d > distance {
                    distance = d
                    farthest = i
                }
            }
            if distance > tolerance {
                keep[farthest] = true
                stack.append((first, farthest))
                stack.append((farthest, last))
            }
        }
        return points.indices.filter { keep[$0] }.map { points[$0] }
    }

    /// Distance from `p` to the segment a–b (not the infinite line, so a polyline that doubles
    /// back keeps its turning point).
    private static func distanceToSegment(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared == 0 ? 0 : min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared))
        let ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy)
        return (ex * ex + ey * ey).squareRoot()
    }

    /// SVG path data: `M x y L x y …` for each piece.
    static func pathData(_ pieces: [[Point]]) -> String {
        var data = ""
        for piece in pieces where piece.count > 1 {
            for (i, point) in piece.enumerated() {
                if !data.isEmpty { data += " " }
                data += (i == 0 ? "M" : "L") + point.x.svg + " " + point.y.svg
            }
        }
        return data
    }
}

/// Polygons clipped to a rectangle.
enum Polygon {
    /// Sutherland–Hodgman against each edge of `rect`; the result may be empty.
    static func clip(_ polygon: [Point], to rect: Rect) -> [Point] {
        var points = polygon
        let edges: [(inside: (Point) -> Bool, cross: (Point, Point) -> Point)] = [
            ({ $0.x >= rect.minX }, { a, b in at(x: rect.minX, a, b) }),
            ({ $0.x <= rect.maxX }, { a, b in at(x: rect.maxX, a, b) }),
            ({ $0.y >= rect.minY }, { a, b in at(y: rect.minY, a, b) }),
            ({ $0.y <= rect.maxY }, { a, b in at(y: rect.maxY, a, b) }),
        ]
        for edge in edges {
            guard let last = points.last else { return [] }
            var result: [Point] = []
            var previous = last
            for point in points {
                switch (edge.inside(previous), edge.inside(point)) {
                case (true, true): result.append(point)
                case (true, false): result.append(edge.cross(previous, point))
                case (false, true): result += [edge.cross(previous, point), point]
                case (false, false): break
                }
                previous = point
            }
            points = result
        }
        return points
    }

    private static func at(x: Double, _ a: Point, _ b: Point) -> Point {
        Point(x: x, y: a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x))
    }

    private static func at(y: Double, _ a: Point, _ b: Point) -> Point {
        Point(x: a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y), y: y)
    }

    static func pathData(_ points: [Point]) -> String {
        guard points.count > 2 else { return "" }
        return points.enumerated().map { i, p in (i == 0 ? "M" : "L") + p.x.svg + " " + p.y.svg }
            .joined(separator: " ") + " Z"
    }
}
