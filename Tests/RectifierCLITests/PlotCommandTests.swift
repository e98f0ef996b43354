import Activations
import Foundation
import Experiments
import Plotting
import RectifierCLI
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct PlotCommandTests {
    /// How many elements of each class the SVG holds; fails on malformed XML.
    private func classCounts(_ svg: String) throws -> [String: Int] {
        final class Counter: NSObject, XMLParserDelegate {
            var counts: [String: Int] = [:]
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                if let name = attributes["class"] { counts[name, default: 0] += 1 }
            }
        }
        let counter = Counter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        try #require(parser.parse(), "not well-formed XML: \(String(describing: parser.parserError))")
        return counter.counts
    }

    private func lines(_ panel: SmallMultiples.Panel) throws -> [LineSeries] {
        guard case .line(let chart) = panel else {
            Issue.record("expected a line chart panel")
            return []
        }
        return chart.series
    }

    @Test func samplesIncludeEveryKinkAndItsNeighbours() throws {
        let softplus = try Activation(parsing: "softplus:beta=2,threshold=4")
        let x = ActivationPlot.samplePoints(for: [.relu, softplus], range: -4...4, samples: 801)
        #expect(x.first == -4 && x.last == 4)
        #expect(zip(x, x.dropFirst()).allSatisfy { $0 < $1 })
        for kink in [0.0, 2.0] {
            #expect(x.contains(kink) && x.contains(kink.nextDown) && x.contains(kink.nextUp))
        }
        #expect(x.count == 801 + 4)  // 0 and 2 are grid points already; their neighbours are not
        #expect(ActivationPlot.kinks(of: .sigmoid).isEmpty)
    }

    /// The curves are the functions themselves: checked against independent formulas, and the
    /// derivative's jump sits exactly at the kink.
    @Test func curvesComeFromTheDefinitions() throws {
        let chart = try ActivationPlot.chart([.relu, .tanh, try .leakyReLU(negativeSlope: 0.1)])
        #expect(chart.panels.count == 2)
        let values = try lines(chart.panels[0]), derivatives = try lines(chart.panels[1])
        #expect(values.map(\.name) == ["ReLU", "tanh", "leaky ReLU (α=0.1)"])
        for (i, x) in values[1].x.enumerated() {
            #expect(abs(values[1].y[i] - Foundation.tanh(x)) <= 1e-15)
            #expect(values[0].y[i] == max(0, x))
            #expect(values[2].y[i] == (x < 0 ? 0.1 * x : x))
        }
        let x = derivatives[0].x
        let zero = try #require(x.firstIndex(of: 0))
        #expect(derivatives[0].y[zero - 1] == 0 && derivatives[0].y[zero] == 0 && derivatives[0].y[zero + 1] == 1)
        #expect(derivatives[2].y[zero - 1] == 0.1 && derivatives[2].y[zero + 1] == 1)
    }

    @Test func theSVGHasAPanelPerQuantityAndALinePerActivation() throws {
        let counts = try classCounts(try ActivationPlot.chart([.relu, .sigmoid]).svg())
        #expect(counts["panel"] == 2)
        #expect(counts["line"] == 4)
        #expect(counts["legend-entry"] == 2)
        let single = try classCounts(try ActivationPlot.chart([.relu, .sigmoid, .tanh], derivatives: false).svg())
        #expect(single["panel"] == 1)
        #expect(single["line"] == 3)
    }

    @Test func badSamplesOrRangesAreTypedErrors() {
        #expect(throws: PlotError.self) { try ActivationPlot.chart([.relu], samples: 1) }
        #expect(throws: PlotError.self) { try ActivationPlot.chart([.relu], range: 1...1) }
    }

    @Test func theCommandWritesTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/activations.svg"
        var command = try RectifierCommand.parseAsRoot(
            ["plot", "relu", "leaky:0.1", "abs", "softplus:beta=2", "sigmoid", "tanh", "-o", path, "--range", "-6:6"])
        try command.run()
        let counts = try classCounts(try String(contentsOfFile: path, encoding: .utf8))
        #expect(counts["line"] == 12)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["activations.svg"])
    }

    @Test func usageErrorsExitWith64AndOneLine() {
        for arguments in [["plot", "swish"], ["plot", "relu", "--range", "4:-4"], ["plot", "leaky:nan"],
                          ["plot", "relu", "--range", "-1:1", "--from", "0"], ["plot"]] {
            do {
                var command = try RectifierCommand.parseAsRoot(arguments)
                try command.run()
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect(RectifierCommand.exitCode(for: error).rawValue == 64, "\(arguments)")
                #expect(!RectifierCommand.message(for: error).isEmpty)
            }
        }
        do {
            _ = try RectifierCommand.parseAsRoot(["plot", "swish"])
        } catch {
            #expect(RectifierCommand.message(for: error).hasPrefix("unknown activation 'swish'"))
        }
    }

    @Test func anUnwritablePathFailsWithoutAFile() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/no-such-dir-\(UUID().uuidString)"
        let path = directory + "/a.svg"
        let error = try #require(failureOfRectifier(["plot", "relu", "-o", path]))
        #expect(RectifierCommand.exitCode(for: error).rawValue == 1)
        #expect(RectifierCommand.message(for: error) == "--output \(path): the directory \(directory) does not exist")
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
