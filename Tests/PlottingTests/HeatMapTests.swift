import Foundation
import Plotting
import Testing

@Suite struct HeatMapTests {
    private func heatMap(_ values: [[Double]], rows: [String] = ["ReLU", "tanh"],
                         columns: [String] = ["2", "4", "8"]) -> HeatMap {
        HeatMap(
            title: "Loss", rowLabels: rows, columnLabels: columns, values: values,
            rowAxisLabel: "activation", columnAxisLabel: "depth", scaleLabel: "loss")
    }

    private func luminance(_ hex: String) -> Double {
        let value = UInt32(hex.dropFirst(), radix: 16)!
        return Color(hex: value).luminance
    }

    @Test func aCellAndANumberPerValue() throws {
        let root = try parseSVG(try heatMap([[0.31, 0.29, 0.3], [0.35, 0.41, 2.3]]).svg())
        #expect(root.all("cell").count == 6)
        #expect(root.all("cell-value").map(\.text) == ["0.31", "0.29", "0.30", "0.35", "0.41", "2.30"])
        #expect(root.all("color-bar").count == 1)
        #expect(Set(root.all("axis-title").map(\.text)) == ["activation", "depth", "loss"])
        #expect(allGeometryIsFinite(root))
    }

    /// Viridis gets lighter as values grow, so the colours order like the numbers.
    @Test func coloursFollowTheValues() throws {
        let values = [[1.0, 5, 3], [2, 6, 4]]
        let root = try parseSVG(try heatMap(values).svg())
        let lightness = root.all("cell").map { luminance($0.attributes["fill"]!) }
        let flat = values.flatMap { $0 }
        for i in flat.indices {
            for j in flat.indices where flat[i] < flat[j] {
                #expect(lightness[i] < lightness[j])
            }
        }
    }

    @Test func missingValuesAreGreyAndSaySo() throws {
        let root = try parseSVG(try heatMap([[1, .nan, 3], [.infinity, 5, 6]]).svg())
        let cells = root.all("cell-value").map(\.text)
        #expect(cells[1] == "NaN" && cells[3] == "∞")
        let fills = root.all("cell").map { $0.attributes["fill"]! }
        #expect(fills[1] == fills[3])
        #expect(fills[1] != fills[0])
    }

    @Test func logarithmicAndDivergingScales() throws {
        var log = heatMap([[1e-4, 1e-2, 1], [0, 10, 1e3]])
        log.colorScale = .logarithmic
        let logRoot = try parseSVG(try log.svg())
        let logFills = logRoot.all("cell").map { $0.attributes["fill"]! }
        #expect(Set(logFills).count == 6)
        let scaleLabels = logRoot.all("color-bar")[0].tagged("text").map(\.text)
        #expect(scaleLabels.contains("10⁰") && scaleLabels.contains("10⁻⁴"))

        var diverging = heatMap([[-1, 0, 1], [-0.5, 0.5, 0]])
        diverging.colorScale = .diverging(center: 0)
        let fills = try parseSVG(try diverging.svg()).all("cell").map { $0.attributes["fill"]! }
        #expect(fills[1] == fills[5])  // both 0: the centre colour
        #expect(luminance(fills[1]) > luminance(fills[0]) && luminance(fills[1]) > luminance(fills[2]))
    }

    @Test func cellsTooSmallForNumbersGetAFootnote() throws {
        let size = 40
        var chart = heatMap(
            Array(repeating: (0..<size).map { Double($0) * 1.2345 }, count: size),
            rows: (0..<size).map { "r\($0)" }, columns: (0..<size).map { "c\($0)" })
        chart.size = ChartSize(width: 300, height: 240)
        let root = try parseSVG(try chart.svg())
        #expect(root.all("cell").count == size * size)
        #expect(root.all("cell-value").isEmpty)
        #expect(root.all("footnote").count == 1)
    }

    @Test func raggedOrMislabelledMatricesAreTypedErrors() {
        #expect(throws: PlotError.self) { try heatMap([[1, 2, 3], [4, 5]]).svg() }
        #expect(throws: PlotError.self) { try heatMap([[1, 2, 3]]).svg() }
        #expect(throws: PlotError.self) { try heatMap([[1, 2, 3], [4, 5, 6]], columns: ["a", "b"]).svg() }
    }
}
