import Datasets
import Foundation
import Interchange
import Networks
import Testing

/// The README's second library example (a saved model predicting on an array), compiled and
/// run here on a model `rectifier train` saved; a second test checks that the README shows
/// exactly these lines.
@Suite struct ReadmeModelExampleTests {
    @Test func exampleLoadsASavedModelAndPredicts() throws {
        let files = try DataFiles()
        let training = try files.write(DataFiles.csv(DataFiles.clusters(perClass: 40)), to: "train.csv")
        let path = files.file("model.safetensors")
        try runRectifier(["train", "--data", training, "--save", path] + OwnDataCommandTests.small)

        // README-BEGIN
        // A model saved by `rectifier train --save`: its class names and input scaling are
        // in the file's metadata (key "data", JSON).
        func predict(_ rows: [[Float]], with path: String) throws -> [String] {
            struct Saved: Decodable { let classes: [String]; let preprocessing: Preprocessing }
            let checkpoint = try ModelFile.load(path)
            let saved = try JSONDecoder().decode(Saved.self, from: Data(checkpoint.metadata["data"]!.utf8))
            var inputs = rows.flatMap { $0 }                  // raw values, as in the training file
            try saved.preprocessing.apply(to: &inputs, featureCount: checkpoint.model.inputSize)
            let features = try Matrix(rows: rows.count, columns: checkpoint.model.inputSize, scalars: inputs)
            return try checkpoint.model.predictClasses(features).map { saved.classes[$0] }
        }
        let names = try predict([[0.1, 10.2], [8.3, 1.9]], with: path)   // ["ant", "cat"]
        // README-END
        #expect(names == ["ant", "cat"])
    }

    @Test func readmeShowsThisExample() throws {
        let testFile = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readme = try String(
            contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md").path,
            encoding: .utf8)
        let all = testFile.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = try #require(all.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "// README-BEGIN" })
        let last = try #require(all[first...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "// README-END" })
        let body = all[(first + 1)..<last]
        let indentation = body.map { $0.prefix { $0 == " " }.count }.filter { $0 > 0 }.min() ?? 0
        let example = body.map { String($0.dropFirst(min(indentation, $0.prefix { $0 == " " }.count))) }
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: example[0]))
        #expect(Array(lines[start..<Swift.min(start + example.count, lines.count)]) == example)
    }
}
