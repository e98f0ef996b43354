import Foundation
import Plotting
import Runtime
import Testing

@Suite struct HistogramTests {
    private func values(_ count: Int, seed: UInt64, scale: Double = 1) -> [Double] {
        var random = SplitMix64(state: seed)
        return (0..<count).map { _ in Double.random(in: -1...1, using: &random) * scale }
    }

    @Test func automaticBinsAreNiceAndCountEveryFiniteValueOnce() throws {
        let data = [values(500, seed: 1), values(300, seed: 2, scale: 0.5) + [.nan, .infinity]]
        let bins = try HistogramBins(data, binning: .automatic)
        #expect(bins.counts.map { $0.reduce(0, +) } == [500, 300])
        #expect(bins.nonFinite == [0, 2])
        #expect(bins.outside == [0, 0])
        let width = bins.edges[1] - bins.edges[0]
        #expect(zip(bins.edges, bins.edges.dropFirst()).allSatisfy { abs(($1 - $0) - width) < 1e-9 })
        let mantissa = width / pow(10, floor(log10(width)))
        #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "bin width \(width)")
        #expect(bins.edges.first! <= data[0].min()! && bins.edges.last! >= data[0].max()!)
        #expect((5...50).contains(bins.counts[0].count))
    }

    @Test func countsMatchADirectTally() throws {
        let data = values(1000, seed: 3)
        let edges = [-1.0, -0.5, 0, 0.25, 1]
        let bins = try HistogramBins([data + [1.0, 5]], binning: .edges(edges))
        for bin in 0..<4 {
            let tally = data.filter { $0 >= edges[bin] && (bin == 3 ? $0 <= edges[bin + 1] : $0 < edges[bin + 1]) }.count
            #expect(bins.counts[0][bin] == tally + (bin == 3 ? 1 : 0))  // 1.0 falls in the closed last bin
        }
        #expect(bins.outside == [1])
    }

    @Test func countAndWidthBinning() throws {
        let data = [0.0, 0.1, 0.45, 0.9, 1.0]
        let byCount = try HistogramBins([data], binning: .count(2))
        #expect(byCount.counts == [[3, 2]])
        let byWidth = try HistogramBins([data], binning: .width(0.25))
        #expect(byWidth.edges == [0, 0.25, 0.5, 0.75, 1.0])
        #expect(byWidth.counts == [[2, 1, 0, 2]])
    }

    @Test func badBinningIsATypedError() {
        #expect(throws: PlotError.self) { try HistogramBins([[1, 2]], binning: .count(0)) }
        #expect(throws: PlotError.self) { try HistogramBins([[1, 2]], binning: .width(0)) }
        #expect(throws: PlotError.self) { try HistogramBins([[1, 2]], binning: .width(-.infinity)) }
        #expect(throws: PlotError.self) { try HistogramBins([[1, 2]], binning: .edges([0, 0, 1])) }
        #expect(throws: PlotError.self) { try HistogramBins([[1, 2]], binning: .edges([0])) }
        #expect(throws: PlotError.self) { try HistogramBins([[1, 2]], binning: .width(1e-9)) }
    }

    @Test func overlaidSeriesDrawAnOutlineEachWithALegend() throws {
        let chart = Histogram(
            title: "Slopes", xAxis: Axis("slope α"),
            series: [
                HistogramSeries(name: "layer 1", values: values(400, seed: 4)),
                HistogramSeries(name: "layer 2", values: values(400, seed: 5, scale: 0.3) + [.nan]),
                HistogramSeries(name: "layer 3", values: []),
            ],
            normalization: .fraction)
        let root = try parseSVG(try chart.svg())
        #expect(root.all("outline").count == 3)
        #expect(root.all("legend-entry").map(\.text) == ["layer 1", "layer 2", "layer 3"])
        #expect(root.all("footnote").map(\.text) == ["1 NaN or infinite value not shown"])
        #expect(root.all("axis-title").map(\.text).contains("fraction"))
        #expect(Set(root.all("outline").map { $0.attributes["stroke-dasharray"] ?? "solid" }).count == 3)
        #expect(allGeometryIsFinite(root))
    }

    @Test func emptyAndLogarithmicHistograms() throws {
        let empty = Histogram(title: "nothing", xAxis: Axis("x"), series: [HistogramSeries(name: "a", values: [.nan])])
        #expect(try parseSVG(try empty.svg()).all("no-data").count == 1)
        let log = Histogram(title: "log", xAxis: Axis("x", scale: .logarithmic), series: [HistogramSeries(name: "a", values: [1])])
        #expect(throws: PlotError.self) { try log.svg() }
    }
}
