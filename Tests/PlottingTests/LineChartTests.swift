import Foundation
import Plotting
import Testing

@Suite struct LineChartTests {
    private func chart(_ series: [LineSeries], x: Axis = Axis("x"), y: Axis = Axis("y"),
                       markers: MarkerPlacement = .automatic) -> LineChart {
        LineChart(title: "test", xAxis: x, yAxis: y, series: series, markers: markers)
    }

    @Test func oneLineOneLegendEntryAndAMarkerPerPointPerSeries() throws {
        let x = (0..<10).map(Double.init)
        let series = try (0..<3).map { k in
            try LineSeries(name: "s\(k)", x: x, y: x.map { $0 * Double(k + 1) })
        }
        let root = try parseSVG(try chart(series, markers: .everyPoint).svg())
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.all("line").count == 3)
        #expect(root.all("legend-entry").count == 3)
        #expect(root.all("legend-entry").map(\.text) == ["s0", "s1", "s2"])
        #expect(root.all("marker").count == 30)
        #expect(root.all("series").allSatisfy { $0.all("marker").count == 10 })
        #expect(allGeometryIsFinite(root))
    }

    @Test func markerPlacements() throws {
        let x = (0..<200).map(Double.init)
        let series = try (0..<2).map { try LineSeries(name: "s\($0)", x: x, y: x) }
        let none = try parseSVG(try chart(series, markers: .none).svg())
        #expect(none.all("marker").isEmpty)
        #expect(none.all("legend-marker").isEmpty)
        let spaced = try parseSVG(try chart(series, markers: .automatic).svg())
        for group in spaced.all("series") {
            #expect((7...9).contains(group.all("marker").count))
        }
        // Staggered: the two series' markers sit at different x positions.
        let positions = spaced.all("series").map { Set($0.all("marker").compactMap { $0.number("cx") ?? markerCenter($0) }) }
        #expect(positions[0].isDisjoint(with: positions[1]))
    }

    private func markerCenter(_ marker: SVGElement) -> Double? {
        subpaths(marker.attributes["d"] ?? "").first.map { points in
            (points.map(\.x).min()! + points.map(\.x).max()!) / 2
        }
    }

    /// Each series gets its own colour, dash pattern and marker shape.
    @Test func seriesAreDistinctWithoutColour() throws {
        let x = [0.0, 1, 2]
        let series = try (0..<6).map { try LineSeries(name: "s\($0)", x: x, y: x) }
        let root = try parseSVG(try chart(series).svg())
        let lines = root.all("line")
        #expect(Set(lines.compactMap { $0.attributes["stroke"] }).count == 6)
        #expect(Set(lines.map { $0.attributes["stroke-dasharray"] ?? "solid" }).count == 6)
        let firstMarkers = root.all("series").map { $0.all("marker")[0] }
        #expect(Set(firstMarkers.map(shapeSignature)).count == 6)
    }

    /// A marker's shape regardless of where it sits: its outline relative to its centre.
    private func shapeSignature(_ marker: SVGElement) -> String {
        guard marker.name == "path", let d = marker.attributes["d"] else { return marker.name }
        let points = subpaths(d).joined()
        let cx = (points.map(\.x).min()! + points.map(\.x).max()!) / 2
        let cy = (points.map(\.y).min()! + points.map(\.y).max()!) / 2
        return points.map { "\(Int(($0.x - cx).rounded())),\(Int(($0.y - cy).rounded()))" }.joined(separator: " ")
            + (marker.attributes["fill"] == "none" ? " stroked" : "")
    }

    @Test func nanMakesAGapAndIsNotCounted() throws {
        let series = try LineSeries(name: "a", x: [0, 1, 2, 3, 4], y: [1, 2, .nan, 4, 5])
        let root = try parseSVG(try chart([series]).svg())
        let line = try #require(root.all("line").first)
        #expect(subpaths(line.attributes["d"]!).count == 2)
        #expect(root.all("footnote").isEmpty)
    }

    @Test func infiniteValuesMakeAGapAndAFootnote() throws {
        let series = try LineSeries(name: "a", x: [0, 1, 2, 3, 4], y: [1, .infinity, 3, -.infinity, 5])
        let root = try parseSVG(try chart([series]).svg())
        #expect(root.all("footnote").map(\.text) == ["2 points with infinite values not shown"])
        #expect(allGeometryIsFinite(root))
    }

    @Test func logAxisLeavesOutNonPositiveValuesAndSaysSo() throws {
        let series = try LineSeries(name: "a", x: [1, 2, 3, 4, 5], y: [1, 0, -1, 10, 100])
        let root = try parseSVG(try chart([series], y: Axis("y", scale: .logarithmic)).svg())
        let line = try #require(root.all("line").first)
        #expect(subpaths(line.attributes["d"]!).count == 1)  // 10 → 100
        #expect(root.all("point").count == 1)  // the lone y = 1
        #expect(root.all("footnote").map(\.text) == ["2 points with y ≤ 0 not shown on the logarithmic y axis"])
        let labels = root.all("y-tick").map(\.text)
        #expect(labels.contains("1") && labels.contains("100"))
        #expect(allGeometryIsFinite(root))
    }

    @Test func logAxisWithNothingPositiveDrawsAnEmptyFrame() throws {
        let series = try LineSeries(name: "a", x: [1, 2], y: [0, -3])
        let root = try parseSVG(try chart([series], x: Axis("x", scale: .logarithmic), y: Axis("y", scale: .logarithmic)).svg())
        #expect(root.all("no-data").count == 1)
        #expect(allGeometryIsFinite(root))
    }

    @Test func impossibleFixedRangesAreTypedErrors() throws {
        let series = try LineSeries(name: "a", x: [1, 2], y: [1, 2])
        #expect(throws: PlotError.self) {
            try chart([series], y: Axis("loss", scale: .logarithmic, range: 0...1)).svg()
        }
        #expect(throws: PlotError.self) { try chart([series], y: Axis("loss", range: 1...1)).svg() }
        #expect(throws: PlotError.self) { try chart([series], x: Axis("t", range: 0...Double.infinity)).svg() }
        do {
            _ = try chart([series], y: Axis("loss", scale: .logarithmic, range: -1...1)).svg()
        } catch {
            #expect(error.description.contains("loss"))
            #expect(error.description.contains("logarithmic"))
        }
    }

    @Test func mismatchedLengthsAreTypedErrors() {
        #expect(throws: PlotError.lengthMismatch(owner: "series 'relu'", field: "y", expected: 3, actual: 2)) {
            try LineSeries(name: "relu", x: [1, 2, 3], y: [1, 2])
        }
        #expect(throws: PlotError.self) {
            try LineSeries(name: "relu", x: [1, 2], y: [1, 2], band: .init(lower: [0], upper: [3, 4]))
        }
        let message = PlotError.lengthMismatch(owner: "series 'relu'", field: "y", expected: 3, actual: 2).description
        #expect(message == "series 'relu': y has 2 values, expected 3")
    }

    @Test func emptyChartsRender() throws {
        let nothing = try parseSVG(try chart([]).svg())
        #expect(nothing.all("no-data").count == 1)
        let emptySeries = try parseSVG(try chart([try LineSeries(name: "a", x: [], y: [])]).svg())
        #expect(emptySeries.all("legend-entry").count == 1)
        #expect(emptySeries.all("no-data").count == 1)
    }

    /// A point lands exactly where the axes' ticks for its coordinates are.
    @Test func pointsLandOnTheirTicks() throws {
        let series = try LineSeries(name: "a", x: [2, 8], y: [10, 40])
        let root = try parseSVG(try chart(
            [series], x: Axis("x", range: 0...10), y: Axis("y", range: 0...50), markers: .none).svg())
        func tickPosition(_ kind: String, _ label: String, _ attribute: String) -> Double? {
            root.all(kind).first { $0.text == label }?.tagged("line").first?.number(attribute)
        }
        let points = subpaths(root.all("line")[0].attributes["d"]!)[0]
        #expect(abs(points[0].x - tickPosition("x-tick", "2", "x1")!) < 0.02)
        #expect(abs(points[1].x - tickPosition("x-tick", "8", "x1")!) < 0.02)
        #expect(abs(points[0].y - tickPosition("y-tick", "10", "y1")!) < 0.02)
        #expect(abs(points[1].y - tickPosition("y-tick", "40", "y1")!) < 0.02)
    }

    /// With a fixed range smaller than the data, every drawn coordinate stays in the plot.
    @Test func linesAreClippedToThePlot() throws {
        let x = (0...100).map { Double($0) / 10 }
        let series = try LineSeries(name: "a", x: x, y: x.map { $0 * $0 })
        let root = try parseSVG(try chart([series], y: Axis("y", range: 0...10), markers: .none).svg())
        let axes = subpaths(root.all("axes")[0].tagged("path")[0].attributes["d"]!)[0]
        let left = axes[0].x, top = axes[0].y, bottom = axes[1].y, right = axes[2].x
        for point in subpaths(root.all("line")[0].attributes["d"]!).joined() {
            #expect(point.x >= left - 1.01 && point.x <= right + 1.01)
            #expect(point.y >= top - 1.01 && point.y <= bottom + 1.01)
        }
    }

    @Test func straightRunsAreThinnedButKinksKept() throws {
        let x = (0...800).map { -4 + Double($0) / 100 }
        let relu = try LineSeries(name: "relu", x: x, y: x.map { max(0, $0) })
        let root = try parseSVG(try chart([relu], markers: .none).svg())
        let points = subpaths(root.all("line")[0].attributes["d"]!)[0]
        #expect(points.count == 3)
    }

    @Test func tickLabelsUseMinusSignsAndPowersOfTen() throws {
        let negative = try LineSeries(name: "a", x: [0, 1], y: [-3, -1])
        let labels = try parseSVG(try chart([negative]).svg()).all("y-tick").map(\.text)
        #expect(labels.contains("\u{2212}2.0"))
        #expect(!labels.contains { $0.contains("-") })

        let large = try LineSeries(name: "a", x: [0, 1], y: [0, 3e7])
        let largeLabels = try parseSVG(try chart([large]).svg()).all("y-tick").map(\.text)
        #expect(largeLabels.contains("1×10⁷") && largeLabels.contains("2×10⁷"))

        let small = try LineSeries(name: "a", x: [0, 1], y: [0, 3e-6])
        let smallLabels = try parseSVG(try chart([small]).svg()).all("y-tick").map(\.text)
        #expect(smallLabels.contains("1×10⁻⁶"))

        let decimals = try LineSeries(name: "a", x: [0, 1], y: [0, 1])
        let decimalLabels = try parseSVG(try chart([decimals]).svg()).all("y-tick").map(\.text)
        #expect(decimalLabels.contains("0.2") && decimalLabels.contains("1.0"))
    }

    @Test func bandsReferenceLinesAndDirectLabels() throws {
        let x = [1.0, 2, 3, 4]
        var chart = chart([
            try LineSeries(name: "mean", x: x, y: [4, 3, 2, 1], band: .init(lower: [3, 2, 1, 0.5], upper: [5, 4, 3, 2])),
            try LineSeries(name: "other", x: x, y: [4.1, 3.1, 2.1, 1.1]),
        ])
        chart.referenceLines = [ReferenceLine(.horizontal, at: 2.5, label: "target")]
        chart.directLabels = true
        let root = try parseSVG(try chart.svg())
        #expect(root.all("band").count == 1)
        #expect(root.all("reference-line").map(\.text) == ["target"])
        let labels = root.all("direct-label")
        #expect(labels.map(\.text).sorted() == ["mean", "other"])
        // Lines ending 0.1 apart get labels nudged apart so they do not overlap.
        let ys = labels.compactMap { $0.number("y") }
        #expect(abs(ys[0] - ys[1]) >= 12)
    }
}
