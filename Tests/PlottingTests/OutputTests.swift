import Foundation
import Plotting
import Testing

@Suite struct OutputTests {
    private func sampleChart(title: String = "Training error", name: String = "ReLU") throws -> LineChart {
        let x = (0..<50).map { Double($0) / 7 }
        return LineChart(
            title: title, subtitle: "mean of 3 seeds", xAxis: Axis("time", unit: "s"),
            yAxis: Axis("error", unit: "%", scale: .logarithmic),
            series: [try LineSeries(name: name, x: x, y: x.map { 50 * exp(-$0) + 0.1 }),
                     try LineSeries(name: "tanh", x: x, y: x.map { 60 * exp(-$0 / 3) + 1 })],
            directLabels: true)
    }

    @Test func textIsEscapedAndReadsBackUnchanged() throws {
        let title = "a < b & \"c\" > 'd'"
        let name = "<relu> & </svg>"
        let root = try parseSVG(try sampleChart(title: title, name: name).svg())
        #expect(root.tagged("title").first?.text == title)
        #expect(root.attributes["aria-label"] == title)
        #expect(root.all("title").first?.text == title)
        #expect(root.all("legend-entry").first?.text == name)
        #expect(root.all("direct-label").map(\.text).contains(name))
    }

    @Test func charactersXMLForbidsAreReplaced() throws {
        let root = try parseSVG(try sampleChart(title: "bell\u{7} tab\there", name: "nul\u{0}").svg())
        #expect(root.all("title").first?.text == "bell\u{FFFD} tab\there")
        #expect(root.all("legend-entry").first?.text == "nul\u{FFFD}")
    }

    @Test func sameInputSameBytes() throws {
        let first = try sampleChart().svg()
        let second = try sampleChart().svg()
        #expect(first == second)
        let third = try sampleChart(name: "ReLU ").svg()
        #expect(first != third)
    }

    @Test func standaloneNoScriptsNoExternalReferences() throws {
        let text = try sampleChart().svg()
        let root = try parseSVG(text)
        let tags = Set(root.descendants.map(\.name))
        #expect(tags.isSubset(of: ["svg", "title", "rect", "g", "path", "line", "circle", "text"]))
        #expect(!text.contains("href"))
        #expect(!text.contains("url("))
        #expect(!text.contains("@import"))
        #expect(root.descendants.allSatisfy { $0.attributes["id"] == nil })
        #expect(!text.hasPrefix("<?xml"))
    }

    @Test func writesTheFileAtomically() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("plotting-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/chart.svg"
        try "old contents".write(toFile: path, atomically: false, encoding: .utf8)

        let chart = try sampleChart()
        try chart.write(toFile: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == (try chart.svg()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["chart.svg"])
    }

    @Test func unwritablePathsAreTypedErrorsAndLeaveNothing() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("plotting-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chart = try sampleChart()

        let missing = directory + "/no/such/dir/chart.svg"
        #expect(throws: PlotError.self) { try chart.write(toFile: missing) }
        do {
            try chart.write(toFile: missing)
        } catch {
            #expect(error.description.hasPrefix("cannot write '\(missing)'"))
        }
        #expect(throws: PlotError.self) { try chart.write(toFile: directory + "/sub") }
        #expect(throws: PlotError.self) { try chart.write(toFile: directory + "/") }
        #expect(throws: PlotError.self) { try chart.write(toFile: "") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["sub"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/sub").isEmpty)
    }

    @Test func tooSmallSizesAreTypedErrors() throws {
        var chart = try sampleChart()
        chart.size = ChartSize(width: 100, height: 80)
        #expect(throws: PlotError.self) { try chart.svg() }
        chart.size = ChartSize(width: .nan, height: 400)
        #expect(throws: PlotError.self) { try chart.svg() }
    }
}
