import Foundation
import Interchange
import RectifierCLI
import Testing

/// `train`, `evaluate` and `predict` on small constructed files in every form `--data`
/// reads: the classes are the data's own, the model file carries them with the input shape
/// and scaling, and the predictions are right where the answer is known by construction.
@Suite struct OwnDataCommandTests {
    static let small = ["--hidden", "16", "--batch-size", "16", "--threads", "1", "--epochs", "40", "--lr", "0.01"]

    /// The model file's data description.
    static func modelData(_ path: String) throws -> [String: Any] {
        let text = try #require(try ModelFile.load(path).metadata["data"])
        return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The standard output lines of `rectifier ARGUMENTS…` run as its own process (other
    /// tests capturing this process's output cannot take them).
    static func outputLines(_ arguments: [String]) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rectifier-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (status, output) = try ToolProcess.run(arguments, directory: directory)
        try #require(status == 0, "\(arguments) exited with \(status)")
        return output.split(separator: "\n").map(String.init)
    }

    static func json(_ arguments: [String], marker: String) throws -> [String: Any] {
        let line = try #require(try outputLines(arguments).first { $0.contains(marker) })
        return try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static func csvRows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func aCSVWithStringLabelsTrainsEvaluatesAndPredictsItsOwnClasses() throws {
        let files = try DataFiles()
        let training = try files.write(DataFiles.csv(DataFiles.clusters(perClass: 40)), to: "train.csv")
        let evaluation = DataFiles.clusters(perClass: 5, offset: 1000)
        let evaluationPath = try files.write(DataFiles.csv(evaluation), to: "eval.csv")
        // The columns in another order and no target: predict picks the model's by name.
        let inputs = "b,a\n" + evaluation.map { "\($0.x[1]),\($0.x[0])" }.joined(separator: "\n") + "\n"
        let inputsPath = try files.write(inputs, to: "new.csv")
        let model = files.file("model.safetensors")
        try runRectifier(["train", "--data", training, "--save", model] + Self.small)

        let description = try Self.modelData(model)
        #expect(description["classes"] as? [String] == ["ant", "bee", "cat"])
        #expect(description["input_shape"] as? [Int] == [2])
        #expect(description["feature_names"] as? [String] == ["a", "b"])
        #expect((description["preprocessing"] as? [String: Any])?["kind"] as? String == "standardize")
        #expect(try ModelFile.load(model).architecture.outputSize == 3)

        let report = try Self.json(["evaluate", model, "--data", evaluationPath, "--json", "--threads", "1"], marker: "macro_f1")
        #expect(report["classes"] as? [String] == ["ant", "bee", "cat"])
        #expect(report["class_names"] as? [String] == ["ant", "bee", "cat"])
        #expect(report["test_accuracy"] as? Double == 1)
        #expect(report["macro_f1"] as? Double == 1)
        #expect(report["test_count"] as? Int == 15)
        let loss = try #require(report["loss"] as? Double)
        #expect(loss > 0 && loss < 0.5, "\(loss)")
        let perClass = try #require(report["per_class"] as? [[String: Any]])
        #expect(perClass.map { $0["class"] as? String } == ["ant", "bee", "cat"])
        #expect(perClass.allSatisfy { $0["support"] as? Int == 5 && $0["precision"] as? Double == 1 && $0["recall"] as? Double == 1 && $0["f1"] as? Double == 1 })

        let output = files.file("predictions.csv")
        try runRectifier(["predict", model, "--data", inputsPath, "-o", output, "--batch-size", "4", "--threads", "1"])
        let rows = try Self.csvRows(output)
        #expect(rows.first == ["index", "predicted", "p_ant", "p_bee", "p_cat"])
        #expect(rows.count == 16)
        for (index, row) in rows.dropFirst().enumerated() {
            #expect(row[0] == String(index))
            #expect(row[1] == evaluation[index].label, "\(row)")
            let probabilities = row[2...].compactMap(Double.init)
            #expect(probabilities.count == 3 && abs(probabilities.reduce(0, +) - 1) < 1e-5, "\(row)")
        }

        let jsonl = files.file("top.jsonl")
        try runRectifier(["predict", model, "--data", inputsPath, "-o", jsonl, "--top-k", "2", "--format", "jsonl", "--threads", "1"])
        let objects = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 15)
        for (index, object) in objects.enumerated() {
            #expect(Set(object.keys) == ["index", "predicted", "top1", "top2"])
            #expect(object["index"] as? Int == index)
            #expect(object["top1"] as? String == evaluation[index].label && object["predicted"] as? String == evaluation[index].label)
            #expect(object["top2"] as? String != object["top1"] as? String)
        }
    }

    @Test func integerLabelsInAChosenColumnSubsetsAndTheSplitsAreCountedAsAsked() throws {
        let files = try DataFiles()
        let rows = DataFiles.clusters(perClass: 40, names: ["10", "-1", "9"])
        let text = "label,a,b\n" + rows.map { "\($0.label),\($0.x[0]),\($0.x[1])" }.joined(separator: "\n") + "\n"
        let data = try files.write(text, to: "numbers.csv")
        let model = files.file("model.safetensors")
        let lines = try Self.outputLines(["train", "--data", data, "--target", "label", "--test-fraction", "0.25", "--train-samples", "60",
                                          "--normalize", "none", "--save", model] + Self.small)
        // 120 rows: 30 held out for testing, 60 of the other 90 kept, 5 of those (a twelfth) for validation.
        #expect(lines.contains { $0.hasPrefix("train: 2-16-3 relu") && $0.hasSuffix("55 training, 5 validation, 30 test examples") }, "\(lines)")
        let description = try Self.modelData(model)
        #expect(description["classes"] as? [String] == ["-1", "9", "10"])
        #expect(description["target"] as? String == "label")
        #expect((description["preprocessing"] as? [String: Any])?["kind"] as? String == "none")
        let report = try Self.json(["evaluate", model, "--data", data, "--json", "--threads", "1"], marker: "macro_f1")
        #expect(report["classes"] as? [String] == ["-1", "9", "10"])
        #expect(report["test_count"] as? Int == 120)
    }

    @Test func anNPZWithStringLabelsAndAnNPYToPredictOn() throws {
        let files = try DataFiles()
        let rows = DataFiles.clusters(perClass: 30, names: ["north", "south", "east"])
        let x = npyFloats(rows.flatMap(\.x), shape: [rows.count, 2])
        let data = try files.write(storedZip([("x.npy", x), ("y.npy", npyStrings(rows.map(\.label)))]), to: "data.npz")
        let model = files.file("model.safetensors")
        try runRectifier(["train", "--data", data, "--save", model] + Self.small)
        #expect(try Self.modelData(model)["classes"] as? [String] == ["east", "north", "south"])
        let inputs = try files.write(x, to: "x.npy")
        let output = files.file("p.csv")
        try runRectifier(["predict", model, "--data", inputs, "-o", output, "--threads", "1"])
        let predicted = try Self.csvRows(output).dropFirst().map { $0[1] }
        #expect(predicted == rows.map(\.label))
        // The archive's x read 7 rows at a time (a last batch of 6), and as JSON lines with
        // the top two: the same rows, numbered on across the batches.
        let whole = try String(contentsOfFile: output, encoding: .utf8)
        let batched = files.file("batched.csv")
        try runRectifier(["predict", model, "--data", data, "-o", batched, "--batch-size", "7", "--threads", "1"])
        #expect(try String(contentsOfFile: batched, encoding: .utf8) == whole)
        let lines = files.file("top.jsonl")
        try runRectifier(["predict", model, "--data", data, "-o", lines, "--batch-size", "7", "--top-k", "2", "--format", "jsonl", "--threads", "1"])
        let objects = try String(contentsOfFile: lines, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(objects.map { $0["index"] as? Int } == Array(0..<rows.count))
        #expect(objects.map { $0["predicted"] as? String } == predicted && objects.allSatisfy { $0["top1"] as? String == $0["predicted"] as? String })
        #expect(objects.allSatisfy { object in
            ["east", "north", "south"].contains(object["top2"] as? String ?? "") && object["top2"] as? String != object["top1"] as? String
        })
    }

    /// Class k of `classes` lights row k of a 4 × 4 image.
    static func writeImages(_ files: DataFiles, classes: [String], perClass: Int, folder: String, flat: Bool = false) throws -> [String] {
        var labels: [String] = []
        for image in 0..<perClass {
            for (index, name) in classes.enumerated() {
                let pixels = (0..<16).map { UInt8($0 / 4 == index ? 200 + image : 10 + (image * 3 + $0) % 20) }
                let file = flat ? "\(folder)/\(name)-\(image).png" : "\(folder)/\(name)/\(image).png"
                try files.write(greyPNG(width: 4, height: 4, pixels: pixels), to: file)
                labels.append(name)
            }
        }
        return labels
    }

    @Test func aFolderOfPNGClassFoldersIsScaledBy255AndPredictsAFlatFolder() throws {
        let files = try DataFiles()
        _ = try Self.writeImages(files, classes: ["circle", "line", "square"], perClass: 12, folder: "images")
        let model = files.file("model.safetensors")
        try runRectifier(["train", "--data", files.file("images"), "--save", model] + Self.small)
        let description = try Self.modelData(model)
        #expect(description["classes"] as? [String] == ["circle", "line", "square"])
        #expect(description["input_shape"] as? [Int] == [1, 4, 4])
        #expect((description["preprocessing"] as? [String: Any])?["kind"] as? String == "scale255")
        _ = try Self.writeImages(files, classes: ["circle", "line", "square"], perClass: 2, folder: "new", flat: true)
        let output = files.file("p.csv")
        try runRectifier(["predict", model, "--data", files.file("new"), "-o", output, "--threads", "1"])
        // Sorted names: circle-0, circle-1, line-0, line-1, square-0, square-1.
        #expect(try Self.csvRows(output).dropFirst().map { $0[1] } == ["circle", "circle", "line", "line", "square", "square"])
        // Decoded an image at a time into batches of 4: the same rows.
        let batched = files.file("batched.csv")
        try runRectifier(["predict", model, "--data", files.file("new"), "-o", batched, "--batch-size", "4", "--threads", "1"])
        #expect(try String(contentsOfFile: batched, encoding: .utf8) == String(contentsOfFile: output, encoding: .utf8))
    }

    @Test func evaluateNeedsOnlyTheTestFilesOfAnMNISTDirectory() throws {
        let data = try SyntheticMNIST()
        let model = data.file("model.safetensors")
        try runRectifier(["train", "--data", data.path, "--epochs", "1", "--save", model] + TrainCommandTests.small)
        let files = try DataFiles()
        for name in ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            try FileManager.default.copyItem(atPath: data.file(name), toPath: files.file(name))
        }
        let full = try EvaluateCommandTests.evaluation(model, data: data)
        let report = try Self.json(["evaluate", model, "--data", files.path, "--json", "--threads", "1"], marker: "macro_f1")
        #expect(report["test_accuracy"] as? Double == full["test_accuracy"] as? Double)
        #expect(report["classes"] as? [String] == (0..<10).map(String.init))
    }

    @Test(arguments: [
        (["--test-fraction", "0"], "--test-fraction"), (["--test-fraction", "-1"], "--test-fraction"),
        (["--test-fraction", "1"], "--test-fraction"), (["--test-fraction", "nan"], "--test-fraction"),
        (["--test-fraction", "inf"], "--test-fraction"), (["--test-fraction", "-inf"], "--test-fraction"),
        (["--test-fraction", ""], "--test-fraction"),
        (["--train-samples", "0"], "--train-samples"), (["--train-samples", "-1"], "--train-samples"),
        (["--train-samples", "99999999999999999999"], "--train-samples"),
        (["--normalize", "minmax"], "--normalize"), (["--task", "ranking"], "--task"),
        (["--data", ""], "--data"), (["--target", ""], "--target"), (["--test-data", ""], "--test-data"),
        (["--data", "a.csv", "--test-data", "a.csv"], "--test-data"),
        (["--test-data", "b.csv", "--test-fraction", "0.3"], "--test-fraction"),
        (["--resume", "m.safetensors", "--target", "y"], "--target"),
    ])
    func impossibleDataFlagsAreUsageErrors(_ flags: [String], _ flag: String) {
        expectUsageError(["train"] + flags, naming: flag)
    }

    @Test(arguments: [
        (["--top-k", "0"], "--top-k"), (["--top-k", "-1"], "--top-k"), (["--top-k", "nan"], "--top-k"),
        (["--batch-size", "0"], "--batch-size"), (["--batch-size", "9223372036854775807"], "--batch-size"),
        (["--format", "xml"], "--format"), (["--data", ""], "--data"), ([], "--data"),
    ])
    func impossiblePredictFlagsAreUsageErrors(_ flags: [String], _ flag: String) {
        let data = flags.contains("--data") || flags.isEmpty ? [] : ["--data", "x.csv"]
        expectUsageError(["predict", "m.safetensors"] + data + flags, naming: flag)
    }

    /// The exit status and message of a command expected to fail.
    static func failure(_ arguments: [String]) throws -> (Int32, String) {
        let error = try #require(failureOfRectifier(arguments), "\(arguments) succeeded")
        let result = exitStatusAndMessage(error)
        #expect(!result.1.contains("\n") && !result.1.isEmpty, "\(arguments): \(result.1)")
        return result
    }

    @Test func badDataAndMisfitsAreOneLineErrorsNamingWhatIsWrong() throws {
        let files = try DataFiles()
        let good = try files.write(DataFiles.csv(DataFiles.clusters(perClass: 10)), to: "good.csv")
        let model = files.file("model.safetensors")
        try runRectifier(["train", "--data", good, "--save", model, "--epochs", "1", "--hidden", "4", "--batch-size", "8", "--threads", "1"])
        let cases: [(String, String, [String]?)] = [
            ("a,b,label\n1,2,x\n3,4\n", "line 3", nil),
            ("a,b,label\n1,2,x\n3,zz,y\n", "column 2 ('b')", nil),
            ("a,b,label\n1,2,x\n3,4,x\n", "one class", nil),
            ("a,b,label\n1,2,x\n3,4,y\n", "no target column 'kind'", ["--target", "kind"]),
        ]
        for (text, expected, extra) in cases {
            let path = try files.write(text, to: "bad.csv")
            let (status, message) = try Self.failure(["train", "--data", path, "--threads", "1"] + (extra ?? []))
            #expect(status == 1 && message.contains(expected), "\(text): \(message)")
        }
        let x = npyFloats([1, 2, 3, 4, 5, 6], shape: [3, 2])
        let mismatched = try files.write(storedZip([("x.npy", x), ("y.npy", npyStrings(["a", "b"]))]), to: "bad.npz")
        #expect(try Self.failure(["train", "--data", mismatched]).1.contains("y: shape [2] does not match x's 3 examples"))
        try files.write(greyPNG(width: 4, height: 4, pixels: Array(repeating: 1, count: 16)), to: "sizes/a/1.png")
        try files.write(greyPNG(width: 2, height: 2, pixels: [1, 2, 3, 4]), to: "sizes/b/1.png")
        #expect(try Self.failure(["train", "--data", files.file("sizes")]).1.contains("all must match"))

        let other = try files.write("a,c,label\n1,3,ant\n4,6,bee\n", to: "other.csv")
        let (status, message) = try Self.failure(["evaluate", model, "--data", other])
        #expect(status == 1 && message.contains("'b'"), "\(message)")
        let threeColumns = try files.write(npyFloats([1, 2, 3], shape: [1, 3]), to: "three.npy")
        #expect(try Self.failure(["predict", model, "--data", threeColumns]).1.contains("takes 2"))
        #expect(try Self.failure(["predict", model, "--data", good, "--top-k", "4"]).0 == 64)
        #expect(try Self.failure(["evaluate", model]).1.contains("--data"))
        #expect(try Self.failure(["predict", model, "--data", good, "-o", files.path]).1.contains("is a directory"))
        #expect(try Self.failure(["predict", model, "--data", good, "-o", good]).0 == 64)
        #expect(try Self.failure(["predict", model, "--data", good, "-o", model]).0 == 64)
        #expect(try Self.failure(["train", "--data", good, "--train-samples", "9223372036854775807"]).0 == 64)
        #expect(try Self.failure(["train", "--data", good, "--test-data", files.path + "/./good.csv"]).0 == 64)
        #expect(try Self.failure(["train", "--data", good, "--save", good]).0 == 64)
        let npz = try files.write(storedZip([("x.npy", npyFloats([1, 2, 3, 4], shape: [2, 2])), ("y.npy", npyStrings(["a", "b"]))]), to: "two.npz")
        #expect(try Self.failure(["train", "--data", npz, "--target", "y"]).1.contains("--target"))
        let mnist = try SyntheticMNIST(trainingCount: 20, testCount: 10)
        #expect(try Self.failure(["train", "--data", mnist.path, "--task", "regression"]).1.contains("--task regression"))
        // 30 rows: 6 for testing, 2 for validation, 22 to train on, fewer than the default batch of 128.
        #expect(try Self.outputLines(["train", "--data", good, "--epochs", "1", "--hidden", "4", "--threads", "1"])
            .contains { $0.contains("batch 22,") && $0.hasSuffix("22 training, 2 validation, 6 test examples") })
        #expect(try Self.failure(["train", "--data", files.file("absent.csv")]).0 == 1)
        let empty = files.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(try Self.failure(["train", "--data", empty]).0 == 1)
        #expect(try Self.failure(["evaluate", model, "--data", empty]).0 == 1)
    }

    /// `--test-data` naming `--data`'s files (the same path, another spelling of it, a link
    /// to it) is a usage error; other data is accepted.
    @Test func testDataMustNotBeTheTrainingData() throws {
        let data = try SyntheticMNIST(), other = try SyntheticMNIST()
        let link = other.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: data.path)
        for same in [data.path, data.path + "/.", link] {
            expectUsageError(["train", "--data", data.path, "--test-data", same], naming: "--test-data")
        }
        _ = try RectifierCommand.parseAsRoot(["train", "--data", data.path, "--test-data", other.path])
    }

    @Test func regressionReportsMSEAndR2AndSummaryDescribesTheModel() throws {
        let files = try DataFiles()
        // y = 2a − b + 1 on a grid: a linear target a network fits closely.
        var text = "a,b,y\n"
        for index in 0..<160 {
            let a = Float(index % 16) / 4, b = Float(index / 16) / 3
            text += "\(a),\(b),\(2 * a - b + 1)\n"
        }
        let data = try files.write(text, to: "linear.csv")
        let model = files.file("model.safetensors")
        try runRectifier(["train", "--data", data, "--task", "regression", "--save", model] + Self.small)
        #expect(try ModelFile.load(model).architecture.outputSize == 1)
        #expect(try Self.modelData(model)["task"] as? String == "regression")
        let report = try Self.json(["evaluate", model, "--data", data, "--json", "--threads", "1"], marker: "\"r2\"")
        #expect(Set(report.keys) == ["model", "mse", "rmse", "r2", "test_count"])
        let (mse, rmse, r2) = (try #require(report["mse"] as? Double), try #require(report["rmse"] as? Double), try #require(report["r2"] as? Double))
        #expect(abs(rmse * rmse - mse) < 1e-9 * max(mse, 1))
        #expect(r2 > 0.95, "\(report)")
        #expect(report["test_count"] as? Int == 160)
        let output = files.file("p.csv")
        try runRectifier(["predict", model, "--data", data, "-o", output, "--threads", "1"])
        let rows = try Self.csvRows(output)
        #expect(rows.first == ["index", "predicted"] && rows.count == 161)
        #expect(try Self.failure(["predict", model, "--data", data, "--top-k", "1"]).0 == 64)
        let strings = try files.write("a,y\n1,x\n2,y\n", to: "strings.csv")
        #expect(try Self.failure(["train", "--data", strings, "--task", "regression"]).0 == 1)

        let lines = try Self.outputLines(["summary", model])
        #expect(lines.contains("\(model): regression, 2 inputs, 1 outputs"), "\(lines)")
        #expect(lines.contains("input shape: [2]; CSV columns a, b"))
        #expect(lines.contains { $0.hasPrefix("preprocessing: standardize") })
        #expect(lines.contains("parameters: \(2 * 16 + 16 + 16 + 1)"))
        #expect(lines.contains { $0.hasPrefix("0") && $0.contains("dense 2→16") && $0.hasSuffix("48") }, "\(lines)")
    }

    /// A model file whose data description does not fit it, or is not one, is refused in
    /// one line by every command that reads it; a test set of another shape is refused too.
    @Test func aDamagedDataDescriptionOrTestSetOfAnotherShapeIsRefused() throws {
        let files = try DataFiles()
        let good = try files.write(DataFiles.csv(DataFiles.clusters(perClass: 10)), to: "good.csv")
        let model = files.file("model.safetensors")
        try runRectifier(["train", "--data", good, "--save", model, "--epochs", "1", "--hidden", "4", "--batch-size", "8", "--threads", "1"])
        let checkpoint = try ModelFile.load(model)
        let text = try #require(checkpoint.metadata["data"])
        let damaged: [String] = [
            "not json",
            text.replacingOccurrences(of: "\"input_shape\":[2]", with: "\"input_shape\":[9223372036854775807,2]"),
            text.replacingOccurrences(of: "\"input_shape\":[2]", with: "\"input_shape\":[]"),
            text.replacingOccurrences(of: "\"input_shape\":[2]", with: "\"input_shape\":[0]"),
            text.replacingOccurrences(of: "\"classes\":[\"ant\",\"bee\",\"cat\"]", with: "\"classes\":[\"ant\",\"bee\"]"),
            text.replacingOccurrences(of: "\"classes\":[\"ant\",\"bee\",\"cat\"]", with: "\"classes\":[]"),
            text.replacingOccurrences(of: "\"kind\":\"standardize\"", with: "\"kind\":\"minmax\""),
            text.replacingOccurrences(of: "\"scale\":[", with: "\"scale\":[0,"),
            text.replacingOccurrences(of: "\"scale\":[", with: "\"scale\":[1e39,"),
        ]
        for (index, variant) in damaged.enumerated() {
            #expect(variant != text || index == 0)
            let path = files.file("damaged-\(index).safetensors")
            try ModelFile.save(checkpoint.model, metadata: ["data": variant], to: path)
            for command in [["evaluate", path, "--data", good], ["predict", path, "--data", good], ["summary", path],
                            ["export", path, "-o", files.file("x.onnx")]] {
                let (status, message) = try Self.failure(command)
                #expect(status == 1 && message.contains(path) && message.contains("'data'"), "\(variant): \(message)")
            }
        }
        let wide = try files.write(
            storedZip([("x.npy", npyFloats((0..<9).map(Float.init), shape: [3, 3])), ("y.npy", npyStrings(["ant", "bee", "cat"]))]),
            to: "wide.npz")
        let (status, message) = try Self.failure(["train", "--data", good, "--test-data", wide, "--batch-size", "8"])
        #expect(status == 1 && message.contains("--test-data"), "\(message)")
    }

    /// Class names holding a comma, a quote or a backslash are quoted in CSV (RFC 4180)
    /// and escaped in JSON lines.
    @Test func awkwardClassNamesAreQuotedAndEscaped() throws {
        let files = try DataFiles()
        let names = ["a,b", "say \"hi\"", "back\\slash"]
        let quoted = names.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let rows = DataFiles.clusters(perClass: 30)
        let text = "a,b,label\n" + rows.enumerated().map { index, row in "\(row.x[0]),\(row.x[1]),\(quoted[index % 3])" }.joined(separator: "\n") + "\n"
        let data = try files.write(text, to: "awkward.csv")
        let model = files.file("model.safetensors")
        try runRectifier(["train", "--data", data, "--save", model] + Self.small)
        // Sorted: "a,b" < "back\\slash" < "say \"hi\"".
        let sorted = names.sorted()
        let output = files.file("p.csv")
        try runRectifier(["predict", model, "--data", data, "-o", output, "--threads", "1"])
        let header = try #require(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").first)
        #expect(String(header) == "index,predicted,\"p_a,b\",p_back\\slash,\"p_say \"\"hi\"\"\"")
        let jsonl = files.file("p.jsonl")
        try runRectifier(["predict", model, "--data", data, "-o", jsonl, "--format", "jsonl", "--threads", "1"])
        let first = try #require(try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n").first)
        let object = try #require(JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        #expect(Set(object.keys) == Set(["index", "predicted"] + sorted.map { "p_" + $0 }))
        #expect(object["predicted"] as? String == names[0])
    }

    /// An int8 model made from a model trained on a CSV calibrates on that CSV, scaled as the
    /// model says, and keeps its class names and scaling for evaluate and predict.
    @Test func quantizingAModelOfYourOwnDataKeepsItsClassesAndScaling() throws {
        let files = try DataFiles()
        let training = try files.write(DataFiles.csv(DataFiles.clusters(perClass: 40)), to: "train.csv")
        let evaluation = DataFiles.clusters(perClass: 5, offset: 1000)
        let evaluationPath = try files.write(DataFiles.csv(evaluation), to: "eval.csv")
        let model = files.file("model.safetensors"), int8 = files.file("int8.safetensors")
        try runRectifier(["train", "--data", training, "--save", model] + Self.small)
        try runRectifier(["quantize", model, "--data", training, "--calibration", "60", "-o", int8])
        let report = try Self.json(["evaluate", int8, "--data", evaluationPath, "--json", "--threads", "1"], marker: "macro_f1")
        #expect(report["classes"] as? [String] == ["ant", "bee", "cat"])
        #expect(report["test_accuracy"] as? Double == 1)
        let output = files.file("p.csv")
        try runRectifier(["predict", int8, "--data", evaluationPath, "-o", output, "--threads", "1"])
        #expect(try Self.csvRows(output).dropFirst().map { $0[1] } == evaluation.map(\.label))
        let summary = try Self.outputLines(["summary", int8])
        #expect(summary.contains { $0.hasPrefix("int8 network: ") }, "\(summary)")
        #expect(summary.contains { $0.contains("dense 2→") }, "\(summary)")
        #expect(try Self.failure(["quantize", model, "--data", training, "--calibration", "1000", "-o", int8]).0 == 64)
    }
}
