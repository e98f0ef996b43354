import Experiments
import Foundation
import Plotting
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct ReportTests {
    struct Numbers: Codable, Sendable {
        var value: Double
    }

    /// Element names and the text of the page, from Foundation's XML parser; fails on
    /// malformed markup.
    private func parse(_ html: String) throws -> (elements: [String], text: String) {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String] = []
            var text = ""
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) {
                elements.append(elementName)
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        }
        let collector = Collector()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = collector
        try #require(parser.parse(), "index.html is not well-formed: \(String(describing: parser.parserError))")
        return (collector.elements, collector.text)
    }

    private func writeSamples(to directory: String) throws -> [Claim] {
        let output = try ExperimentOutput(directory: directory)
        let chart = LineChart(
            title: "Curve", xAxis: Axis("epoch"), yAxis: Axis("error"),
            series: [try LineSeries(name: "relu", y: [0.5, 0.25, 0.125])])
        try output.write(text: try chart.svg(), to: "alpha-curve.svg")
        let alphaClaims = [
            Claim(claim: "Alpha is faster than <beta> & gamma", measured: "3.1× (mean of 3 seeds)", verdict: .supported),
            Claim(claim: "Alpha is cheaper", measured: "0.8×", verdict: .notSupported),
        ]
        let betaClaims = [Claim(claim: "Beta \"quotes\" hold", measured: "yes", verdict: .supported)]
        try output.write(ExperimentDocument(
            experiment: "alpha", title: "Alpha", summary: "The first sample.", settings: ["seeds": "3"],
            claims: alphaClaims, figures: [FigureReference(file: "alpha-curve.svg", caption: "The curve.")],
            tables: [ResultTable(title: "Alpha table", columns: ["a", "b"], rows: [["1", "2"]])],
            wallSeconds: 2, results: Numbers(value: 1)))
        try output.write(ExperimentDocument(
            experiment: "beta", title: "Beta", summary: "The second sample.", settings: [:], claims: betaClaims,
            figures: [FigureReference(file: "missing.svg", caption: "Never written.")], tables: [],
            wallSeconds: 1, results: [1.0, 2.0]))
        try output.write(text: "{\"not\": \"an experiment\"}\n", to: "other.json")
        return alphaClaims + betaClaims
    }

    @Test func reportIsWellFormedSelfContainedAndHoldsEveryClaim() throws {
        let directory = SyntheticData.temporaryDirectory("report")
        let claims = try writeSamples(to: directory)
        let paths = try Report.write(directory: directory)
        let html = try String(contentsOfFile: paths.html, encoding: .utf8)
        let (elements, text) = try parse(html)
        for claim in claims {
            #expect(text.contains(claim.claim))
            #expect(text.contains(claim.measured))
        }
        #expect(text.components(separatedBy: "✗").count - 1 == 2, "the one refuted claim, in the headline and its section")
        #expect(elements.filter { $0 == "svg" }.count == 1, "the one figure that exists is inlined")
        #expect(text.contains("missing.svg"))
        #expect(text.contains("other.json"))
        #expect(!elements.contains("script"))
        #expect(!html.contains("src="))
        #expect(!html.contains("href=\"http"))
        #expect(!html.contains("url("))
        let markdown = try String(contentsOfFile: paths.markdown, encoding: .utf8)
        for claim in claims {
            #expect(markdown.contains(claim.claim.replacingOccurrences(of: "|", with: "\\|")))
        }
        #expect(markdown.contains("✗ not supported"))
    }

    @Test func readingFindsEnvelopesAndSkipsOtherJSON() throws {
        let directory = SyntheticData.temporaryDirectory("read")
        _ = try writeSamples(to: directory)
        let contents = try Report.read(directory: directory)
        #expect(contents.experiments.map(\.experiment) == ["alpha", "beta"])
        #expect(contents.skipped.count == 1)
        #expect(contents.figures.keys.sorted() == ["alpha-curve.svg"])
    }

    @Test func emptyDirectoryGivesAPageThatSaysSo() throws {
        let directory = SyntheticData.temporaryDirectory("empty")
        let paths = try Report.write(directory: directory)
        let (_, text) = try parse(try String(contentsOfFile: paths.html, encoding: .utf8))
        #expect(text.contains("rectifier run"))
    }
}
