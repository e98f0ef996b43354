import Plotting
import Testing

@Suite struct BarChartTests {
    private let categories = ["ReLU", "sigmoid", "tanh"]

    private func chart(_ series: [BarSeries], axis: Axis = Axis("epochs")) -> BarChart {
        BarChart(
            title: "Epochs to target", categories: categories, categoryAxisLabel: "activation",
            valueAxis: axis, series: series, valueLabels: .automatic)
    }

    @Test func aBarPerFiniteValueAndErrorBarsAndNotApplicable() throws {
        let sgd = try BarSeries(name: "SGD", values: [5, .nan, 31], errors: .symmetric([0.5, 1, 3.2]))
        let adam = try BarSeries(name: "Adam", values: [3, 12.5, 8.3], errors: .interval(lower: [2.5, 11, 8], upper: [3.5, 14, 9]))
        let root = try parseSVG(try chart([sgd, adam]).svg())
        #expect(root.all("bar").count == 5)
        #expect(root.all("error-bar").count == 5)
        #expect(root.all("missing").map(\.text) == ["n/a"])
        #expect(root.all("legend-entry").map(\.text) == ["SGD", "Adam"])
        #expect(root.all("x-tick").map(\.text) == categories)
        // One number of decimals for every label.
        #expect(root.all("value-label").map(\.text) == ["5.0", "31.0", "3.0", "12.5", "8.3"])
        #expect(allGeometryIsFinite(root))
    }

    @Test func barsStartAtZeroAndTallerValuesMakeTallerBars() throws {
        let series = try BarSeries(name: "", values: [1, 4, 2])
        let root = try parseSVG(try chart([series]).svg())
        let bars = root.all("bar")
        let heights = bars.compactMap { $0.number("height") }
        #expect(heights[1] > heights[2] && heights[2] > heights[0])
        #expect(abs(heights[1] / heights[0] - 4) < 0.02)
        let bottoms = bars.map { $0.number("y")! + $0.number("height")! }
        #expect(bottoms.allSatisfy { abs($0 - bottoms[0]) < 0.01 })
        #expect(root.all("legend").isEmpty)  // a single unnamed series needs no legend
    }

    @Test func seriesDifferInFillPatternNotOnlyColour() throws {
        let series = try (0..<3).map { try BarSeries(name: "s\($0)", values: [1, 2, 3]) }
        let root = try parseSVG(try chart(series).svg())
        let fills = root.all("series").map { $0.all("bar")[0].attributes["fill"] ?? "" }
        #expect(Set(fills).count == 3)
        // The first is solid, the others hatched (a path of hatch lines after each bar).
        let hatches = root.all("series").map { $0.tagged("path").filter { !$0.hasClass("error-bar") }.count }
        #expect(hatches == [0, 3, 3])
    }

    @Test func negativeValuesGoDownFromZero() throws {
        let series = try BarSeries(name: "change", values: [-2, 3, -1])
        let root = try parseSVG(try chart([series]).svg())
        let bars = root.all("bar")
        let tops = bars.map { $0.number("y")! }
        #expect(tops[0] > tops[1])  // the negative bar starts lower, at zero
        #expect(root.all("y-tick").map(\.text).contains { $0.hasPrefix("\u{2212}") })
    }

    @Test func logAxisDropsNonPositiveBarsWithAFootnote() throws {
        let series = try BarSeries(name: "ns", values: [0.3, 0, 12])
        let root = try parseSVG(try chart([series], axis: Axis("time", unit: "ns", scale: .logarithmic)).svg())
        #expect(root.all("bar").count == 2)
        #expect(root.all("footnote").map(\.text) == ["1 bar with y ≤ 0 not shown on the logarithmic y axis"])
        #expect(root.all("axis-title").map(\.text).contains("time (ns)"))
    }

    @Test func mismatchedLengthsAreTypedErrors() {
        #expect(throws: PlotError.lengthMismatch(owner: "bar series 'SGD'", field: "values", expected: 3, actual: 2)) {
            try chart([try BarSeries(name: "SGD", values: [1, 2])]).svg()
        }
        #expect(throws: PlotError.self) { try BarSeries(name: "a", values: [1, 2], errors: .symmetric([1])) }
        #expect(throws: PlotError.self) {
            try BarSeries(name: "a", values: [1, 2], errors: .interval(lower: [0, 1], upper: [2]))
        }
    }
}
