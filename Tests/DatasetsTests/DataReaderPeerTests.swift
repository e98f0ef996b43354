import Datasets
import Foundation
import Testing

/// Files written by pandas, NumPy and Pillow (Tests/Peers/data_peer.py, peer venv) read with
/// the values, shapes, classes and targets the writers put in them; then every truncation
/// and many corruptions of them refused with one-line errors.
@Suite(.serialized) struct DataReaderPeerTests {
    /// The fixtures, written once for the suite (a missing venv fails every test that reads them).
    nonisolated(unsafe) static let written = Result { () throws -> (directory: TemporaryDirectory, expected: [String: [String: Any]]) in
        let directory = try TemporaryDirectory()
        try DataPeer.run(["write-fixtures", directory.path])
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.path + "/expected.json"))
        return (directory, try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] ?? [:])
    }

    var fixtures: (directory: TemporaryDirectory, expected: [String: [String: Any]]) {
        get throws { try Self.written.get() }
    }

    static func floats(_ value: Any?) -> [Float] {
        (value as? [Double] ?? []).map(Float.init)
    }

    @Test(arguments: [
        "strings.csv", "integers.csv", "regression.csv", "images.npz", "compressed.npz", "float64.npz",
        "keras.npz", "features.npy", "zip64.npz", "grey", "rgb",
    ])
    func readsWhatTheWriterWrote(_ name: String) throws {
        let expected = try #require(try fixtures.expected[name])
        let reader = DataReader(
            target: expected["target"] as? String,
            task: expected["task"] as? String == "regression" ? .regression : .classification,
            featuresOnly: expected["features_only"] as? Bool ?? false)
        let loaded = try reader.read(try fixtures.directory.path + "/" + name)
        #expect(loaded.examples.shape == expected["shape"] as? [Int])
        #expect(loaded.examples.features == Self.floats(expected["features"]), "\(name)")
        if let names = expected["classes"] as? [String] {
            #expect(loaded.examples.targets == .classes(indices: expected["indices"] as! [Int], names: names))
        } else if expected["values"] != nil {
            #expect(loaded.examples.targets == .values(Self.floats(expected["values"])))
        } else {
            #expect(loaded.examples.targets == .none)
        }
        if let featureNames = expected["feature_names"] as? [String] {
            #expect(loaded.examples.featureNames == featureNames)
        }
        if let test = expected["test_features"] {
            #expect(loaded.test?.features == Self.floats(test))
            #expect(loaded.test?.targets == .classes(indices: expected["test_indices"] as! [Int], names: ["0", "1"]))
        }
    }

    /// Every prefix of each NumPy file is refused with a `DatasetError`; a flipped byte gives a
    /// one-line error or (in bytes no check can see, such as a .npy's data or a zip header's
    /// date) a reading; in a stored archive's first array, every flip is caught (header checks
    /// or the CRC-32).
    @Test(arguments: ["images.npz", "compressed.npz", "zip64.npz", "features.npy"])
    func truncatedOrDamagedArraysAreRefused(_ name: String) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try fixtures.directory.path + "/" + name)))
        let scratch = try TemporaryDirectory()
        let reader = DataReader(featuresOnly: name.hasSuffix(".npy"))
        for length in stride(from: 0, to: original.count, by: max(1, original.count / 300)) {
            let path = try scratch.write(Array(original[..<length]), to: "cut-" + name)
            #expect(throws: DatasetError.self, "\(name) cut to \(length) bytes") { try reader.read(path) }
        }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        let firstArray = (0..<original.count - 6).first { Array(original[$0..<$0 + 6]) == magic } ?? 0
        for position in stride(from: 0, to: original.count, by: 5) {
            var damaged = original
            damaged[position] ^= 0x5A
            let path = try scratch.write(damaged, to: "flip-" + name)
            do {
                _ = try reader.read(path)
                let mustFail = name != "compressed.npz" && name != "features.npy" && (firstArray..<firstArray + 160).contains(position)
                #expect(!mustFail, "\(name): byte \(position) flipped was read")
            } catch {
                #expect(!String(describing: error).contains("\n"))
            }
        }
    }

    @Test func modelClassNamesMapLabelsAndRefuseUnknownOnes() throws {
        let path = try fixtures.directory.path + "/strings.csv"
        let model = ["virginica", "setosa", "versi,color", "other"]
        let loaded = try DataReader(classNames: model).read(path)
        guard case let .classes(indices, names) = loaded.examples.targets else { throw DataPeer.Failure(description: "no classes") }
        #expect(names == model)
        let expected = try #require(try fixtures.expected["strings.csv"])
        let sorted = expected["classes"] as! [String]
        #expect(indices == (expected["indices"] as! [Int]).map { model.firstIndex(of: sorted[$0])! })
        #expect(throws: DatasetError.self) { try DataReader(classNames: ["setosa", "virginica"]).read(path) }
    }

    @Test func mixedColourIsReadAsRGBAndOtherSizesOrBrokenImagesAreRefused() throws {
        let directory = try fixtures.directory.path
        let copy = try TemporaryDirectory()
        for label in ["ant", "zebra"] {
            try FileManager.default.copyItem(atPath: "\(directory)/grey/\(label)", toPath: "\(copy.path)/\(label)")
        }
        try FileManager.default.copyItem(atPath: "\(directory)/rgb/ant/03.png", toPath: "\(copy.path)/ant/99.png")
        #expect(try DataReader().read(copy.path).examples.shape == [3, 5, 6])
        #expect(throws: DatasetError.badData(path: "\(directory)/sizes/b/0.png", reason: "the image is 4×3; \(directory)/sizes/a/0.png is 6×5, and all must match")) {
            try DataReader().read(directory + "/sizes")
        }
        try copy.write(fixtureBytes(count: 64, seed: 1), to: "ant/broken.png")
        #expect(throws: DatasetError.badData(path: "\(copy.path)/ant/broken.png", reason: "cannot read the PNG image (Not a PNG file)")) {
            try DataReader().read(copy.path)
        }
    }
}

/// Tests/Peers/data_peer.py with the peer venv's python (`make peer-venv`).
enum DataPeer {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = ProcessInfo.processInfo.environment["RECTIFIER_PEER_PYTHON"] ?? root.path + "/.build/venv/bin/python"

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "the Python peer venv is missing (\(python)): run `make peer-venv`")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.path + "/Tests/Peers/data_peer.py"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "data_peer.py \(arguments): \(text)") }
        return text
    }
}
