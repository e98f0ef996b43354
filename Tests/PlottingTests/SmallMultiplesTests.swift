import Plotting
import Testing

@Suite struct SmallMultiplesTests {
    private func panel(_ scale: Double) throws -> LineChart {
        let x = (1...10).map(Double.init)
        return LineChart(
            title: "rate \(scale)", xAxis: Axis("epoch"), yAxis: Axis("dead units", unit: "%"),
            series: [try LineSeries(name: "ReLU", x: x, y: x.map { $0 * scale }),
                     try LineSeries(name: "leaky ReLU", x: x, y: x.map { $0 * scale / 10 })])
    }

    @Test func panelsShareOneLegendAndOptionallyOneYRange() throws {
        let grid = SmallMultiples(
            title: "Dead units", panels: try [1.0, 3, 10].map { .line(try panel($0)) }, columns: 2,
            sharesYRange: true)
        let root = try parseSVG(try grid.svg())
        #expect(root.all("panel").count == 3)
        #expect(root.all("legend").count == 1)
        #expect(root.all("legend-entry").map(\.text) == ["ReLU", "leaky ReLU"])
        #expect(root.all("line").count == 6)
        let yLabels = root.all("panel").map { $0.all("y-tick").map(\.text) }
        #expect(yLabels[0] == yLabels[1] && yLabels[1] == yLabels[2])
        #expect(root.number("width") == 840)
        #expect(allGeometryIsFinite(root))
    }

    @Test func mixedPanelsAndOwnLegends() throws {
        let heat = HeatMap(
            title: "heat", rowLabels: ["a"], columnLabels: ["1", "2"], values: [[1, 2]],
            rowAxisLabel: "r", columnAxisLabel: "c", scaleLabel: "v")
        let bars = BarChart(
            title: "bars", categories: ["a", "b"], categoryAxisLabel: "c", valueAxis: Axis("v"),
            series: [try BarSeries(name: "x", values: [1, 2]), try BarSeries(name: "y", values: [2, 1])])
        let grid = SmallMultiples(
            title: "mixed", panels: [.line(try panel(1)), .heatMap(heat), .bar(bars)], columns: 3,
            sharedLegend: false)
        let root = try parseSVG(try grid.svg())
        #expect(root.all("panel").count == 3)
        #expect(root.all("legend").count == 2)  // the line and bar panels; heat maps use a colour bar
    }

    @Test func badLayoutIsATypedError() throws {
        let noColumns = SmallMultiples(title: "t", panels: [.line(try panel(1))], columns: 0)
        #expect(throws: PlotError.self) { try noColumns.svg() }
        let tiny = SmallMultiples(title: "t", panels: [.line(try panel(1))], panelSize: ChartSize(width: 50, height: 50))
        #expect(throws: PlotError.self) { try tiny.svg() }
    }
}
