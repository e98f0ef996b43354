import Foundation
import Plotting
import Testing

/// Runs a series names as diverged are triangles at the top edge with a footnote, and leave
/// the y axis to the finite data.
@Suite struct DivergedRunsTests {
    private let x = [50.0, 100, 200, 400]
    private let y = [0.05, 0.08, 0.12, 0.17]

    private func chart(_ series: [LineSeries], logarithmic: Bool = true) -> LineChart {
        LineChart(
            title: "MSE by length", xAxis: Axis("T", scale: .logarithmic),
            yAxis: Axis("MSE", scale: logarithmic ? .logarithmic : .linear), series: series)
    }

    /// The plot's left, top, right and bottom edges, from the axes' path.
    private func plotEdges(_ root: SVGElement) -> (left: Double, top: Double, right: Double, bottom: Double) {
        let axes = subpaths(root.all("axes")[0].tagged("path")[0].attributes["d"]!)[0]
        return (axes[0].x, axes[0].y, axes[2].x, axes[1].y)
    }

    @Test func divergedRunsAreTrianglesAtTheTopEdgeAndKeepTheAxis() throws {
        let plain = try LineSeries(name: "plain", x: x, y: y)
        let marked = try LineSeries(name: "plain", x: x, y: y, divergedAt: [400, 400, 100])
        let clean = try parseSVG(try chart([plain]).svg())
        let root = try parseSVG(try chart([marked]).svg())

        // Two distinct x: two triangles, the one with two runs labelled "×2".
        let triangles = root.all("diverged")
        #expect(triangles.count == 2)
        #expect(root.all("diverged-count").map(\.text) == ["×2"])
        #expect(root.all("footnote").map(\.text) == ["▲ at the top edge: 3 runs that diverged (off the scale)"])
        #expect(clean.all("diverged").isEmpty && clean.all("footnote").isEmpty)

        // The axis is chosen from the finite data alone: the same range with or without them
        // (the footnote takes a line, so there may be fewer ticks between).
        let ticks = root.all("y-tick").map(\.text), cleanTicks = clean.all("y-tick").map(\.text)
        #expect(ticks.first == cleanTicks.first && ticks.last == cleanTicks.last)
        #expect(root.all("x-tick").map(\.text) == clean.all("x-tick").map(\.text))

        // Each triangle points up with its apex on the top edge, above x = 100 and x = 400.
        let edges = plotEdges(root)
        func tick(_ label: String) -> Double? {
            root.all("x-tick").first { $0.text == label }?.tagged("line").first?.number("x1")
        }
        let centres = triangles.map { triangle -> (x: Double, apex: Double, base: Double) in
            let points = subpaths(triangle.attributes["d"]!)[0]
            return ((points.map(\.x).min()! + points.map(\.x).max()!) / 2, points.map(\.y).min()!, points.map(\.y).max()!)
        }.sorted { $0.x < $1.x }
        for centre in centres {
            #expect(abs(centre.apex - edges.top) < 0.01)
            #expect(centre.base > centre.apex && centre.base < edges.bottom)
        }
        if let hundred = tick("100") { #expect(abs(centres[0].x - hundred) < 0.5) }
        #expect(centres[0].x > edges.left && centres[1].x <= edges.right + 0.5)
        #expect(allGeometryIsFinite(root))
    }

    /// The same exploded run given as a value instead stretches the axis to 10⁶⁰ (what the
    /// leaky-units figure showed, every other curve a flat line): why the chart must be told
    /// which runs diverged.
    @Test func anExplodedValueInTheDataWouldStretchTheAxis() throws {
        let exploded = try LineSeries(
            name: "learned", x: x, y: y, band: .init(lower: y, upper: [0.05, 0.08, 0.12, 2.5e57]))
        let stretched = try parseSVG(try chart([exploded]).svg()).all("y-tick").map(\.text)
        #expect(stretched.last == "10⁶⁰", "\(stretched)")
        let marked = try LineSeries(name: "learned", x: x, y: y, band: .init(lower: y, upper: y), divergedAt: [400])
        let kept = try parseSVG(try chart([marked]).svg()).all("y-tick").map(\.text)
        #expect(!kept.contains { $0.contains("10") } && kept.last == "0.2", "\(kept)")
    }

    @Test func seriesSharingAnXSitSideBySideInTheirColours() throws {
        let a = try LineSeries(name: "a", x: x, y: y, divergedAt: [400])
        let b = try LineSeries(name: "b", x: x, y: y.map { $0 * 2 }, divergedAt: [400])
        let root = try parseSVG(try chart([a, b], logarithmic: false).svg())
        let triangles = root.all("diverged")
        #expect(triangles.count == 2)
        let colours = Set(triangles.compactMap { $0.attributes["fill"] })
        let lines = Set(root.all("line").compactMap { $0.attributes["stroke"] })
        #expect(colours.count == 2 && colours == lines)
        let xs = triangles.map { subpaths($0.attributes["d"]!)[0].map(\.x).min()! }
        #expect(abs(xs[0] - xs[1]) > 5)
        #expect(root.all("diverged-runs").map { $0.attributes["aria-label"] ?? "" } == ["a: 1 diverged", "b: 1 diverged"])
    }

    /// Only diverged runs at an x (no finite value anywhere): the frame is drawn with the
    /// triangles, not "no data"; x the axis cannot place are counted but not drawn.
    @Test func onlyDivergedRunsAndUnplaceableX() throws {
        let allDiverged = try LineSeries(name: "a", x: [50, 100], y: [.nan, .nan], divergedAt: [50, 100, -1, .nan])
        let root = try parseSVG(try chart([allDiverged]).svg())
        #expect(root.all("diverged").count == 2)
        #expect(root.all("no-data").isEmpty)
        #expect(root.all("footnote").map(\.text) == ["▲ at the top edge: 4 runs that diverged (off the scale)"])
        #expect(allGeometryIsFinite(root))
    }
}
