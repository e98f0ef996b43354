import CZlib
import Datasets
import Foundation
import Runtime
import Testing

/// CSV reading and its errors, the decimal parser, format recognition, splits and
/// preprocessing, on inputs whose answers are known by construction.
@Suite struct DataReaderTests {
    let directory = try! TemporaryDirectory()

    func csv(_ text: String, _ reader: DataReader = DataReader()) throws -> Examples {
        try reader.read(directory.write(Array(text.utf8), to: "data.csv")).examples
    }

    func csvError(_ text: String, _ reader: DataReader = DataReader()) -> String {
        do {
            _ = try csv(text, reader)
            return "no error"
        } catch {
            return String(describing: error).replacingOccurrences(of: directory.path + "/data.csv: ", with: "")
        }
    }

    @Test func readsFeaturesAndStringLabels() throws {
        let examples = try csv("\u{FEFF}a,b,label\n1,2.5,cat\n-3e2, 4 ,\"dog\"\n\n5,.5,cat")
        #expect(examples.features == [1, 2.5, -300, 4, 5, 0.5])
        #expect(examples.shape == [2])
        #expect(examples.featureNames == ["a", "b"])
        #expect(examples.targets == .classes(indices: [0, 1, 0], names: ["cat", "dog"]))
    }

    @Test func integerLabelsSortNumericallyAndTheTargetIsChosenByName() throws {
        let examples = try csv("y,x\r\n10,1\r\n9,2\r\n-1,3\r\n", DataReader(target: "y"))
        #expect(examples.features == [1, 2, 3])
        #expect(examples.targets == .classes(indices: [2, 1, 0], names: ["-1", "9", "10"]))
    }

    @Test func featuresOnlyIgnoresTheTargetAndPicksColumnsByName() throws {
        let text = "b,a,label\n1,2,x\n3,4,y\n"
        #expect(try csv(text, DataReader(featureNames: ["a", "b"], featuresOnly: true)).features == [2, 1, 4, 3])
        #expect(try csv("b,a\n1,2\n", DataReader(featureNames: ["a", "b"], featuresOnly: true)).features == [2, 1])
        #expect(try csv("b,a\n1,2\n", DataReader(featuresOnly: true)).targets == .none)
        #expect(csvError("b\n1\n", DataReader(featureNames: ["a"], featuresOnly: true)) == "no feature column 'a' (columns: 'b')")
    }

    @Test func regressionTargetsAreNumbers() throws {
        #expect(try csv("x,y\n1,0.25\n2,-7\n", DataReader(task: .regression)).targets == .values([0.25, -7]))
        #expect(csvError("x,y\n1,a\n", DataReader(task: .regression)) == "line 2, column 2 ('y'): 'a' is not a number")
    }

    @Test func badRowsNameTheLineAndColumn() {
        #expect(csvError("a,b,c\n1,2,x\n3,4\n") == "line 3 has 2 fields; the header has 3")
        #expect(csvError("a,b,c\n1,2,x\n3,4,5,6\n") == "line 3 has 4 fields; the header has 3")
        #expect(csvError("a,b,c\n1,2,x\n3,oops,y\n") == "line 3, column 2 ('b'): 'oops' is not a number")
        #expect(csvError("a,b,c\n1,,x\n") == "line 2, column 2 ('b') is empty; every feature and target needs a number")
        #expect(csvError("a,b,c\n1,nan,x\n") == "line 2, column 2 ('b'): 'nan' is not finite")
        #expect(csvError("a,b,c\n1,1e39,x\n") == "line 2, column 2 ('b'): '1e39' is outside Float's range")
        #expect(csvError("a,b,c\n1,2,x\n", DataReader(target: "d")) == "no target column 'd' (columns: 'a', 'b', 'c')")
        #expect(csvError("a,b,c\n1,2,x\n3,4,x\n") == "column 'c' has one class ('x'); classification needs at least two")
        #expect(csvError("") == "the file is empty; expected a header row")
        #expect(csvError("a,b\n") == "no data rows after the header")
        #expect(csvError("a,a,b\n1,2,x\n") == "line 1: the column 'a' appears 2 times")
        #expect(csvError("label\nx\ny\n") == "no feature columns besides the target (columns: 'label')")
    }

    @Test func aDirectoryOrAMissingOrUnknownFileIsNamed() throws {
        #expect(throws: DatasetError.missingFile(path: directory.path + "/none.csv")) {
            try DataReader().read(directory.path + "/none.csv")
        }
        let unknown = try directory.write(Array("hello".utf8), to: "notes.txt")
        #expect(throws: DatasetError.self) { try DataReader().read(unknown) }
        #expect(throws: DatasetError.badData(
            path: directory.path, reason: "no class folders of .png images (expected DIR/CLASS/IMAGE.png) and no MNIST-format files")) {
            try DataReader().read(directory.path)
        }
    }

    /// Against `strtof` through `Float(String)` (correctly rounded): random decimals of every
    /// length and exponent, and decimals at and next to the midpoints between two floats.
    @Test func decimalsRoundCorrectly() throws {
        var generator = SplitMix64(seed: 11)
        var texts: [String] = []
        for _ in 0..<20_000 {
            let digits = String((0..<(1 + generator.nextIndex(below: 24))).map { _ in Character(String(generator.nextIndex(below: 10))) })
            let point = generator.nextIndex(below: digits.count + 1)
            let body = digits.prefix(point) + "." + digits.dropFirst(point)
            texts.append((generator.nextIndex(below: 2) == 0 ? "-" : "") + body + "e" + String(generator.nextIndex(below: 100) - 60))
        }
        for _ in 0..<5_000 {
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()) & 0x7F7F_FFFF | 0x0080_0000)
            let midpoint = (Double(float) + Double(float.nextUp)) / 2
            let exact = String(format: "%.60e", midpoint)
            texts += [exact, String(format: "%.17e", midpoint), String(format: "%.17e", midpoint.nextUp), String(format: "%.17e", midpoint.nextDown)]
        }
        texts += ["0", "-0", "1", "3.4028235e38", "3.4028236e38", "1.17549435e-38", "1e-45", "7e-46", "1.4e-45", "123456789012345678901234567890", "0.000000000000000000000000000000000000000000000000000001e50"]
        texts = texts.filter { Float($0)?.isFinite == true }
        let file = "x\n" + texts.joined(separator: "\n") + "\n"
        let examples = try csv(file, DataReader(featuresOnly: true))
        for (text, value) in zip(texts, examples.features) {
            let expected = try #require(Float(text))
            #expect(value.bitPattern == expected.bitPattern || (expected.isInfinite && value.isInfinite), "\(text)")
        }
    }

    /// Stored zip entries of every length class (below 64 bytes, multiples of 16 and not, the
    /// folded bulk and its tail) read with zlib's CRC-32 and are refused with any other.
    @Test func storedEntriesNeedZlibsCRC32() throws {
        for count in [0, 1, 3, 4, 5, 12, 16, 17, 100, 1001] {
            let floats = (0..<count).map { Float($0) * 0.5 - 3 }
            let x = npyBytes(floats, shape: [count == 0 ? 0 : 1, count])
            let y = npyBytes([Float](repeating: 1, count: 1), shape: [1])
            let crc = { (bytes: [UInt8]) in bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) } }
            let good = try directory.write(storedZip([("x.npy", x, crc(x)), ("y.npy", y, crc(y))]), to: "good.npz")
            if count == 0 {
                #expect(throws: DatasetError.self) { try DataReader(featuresOnly: true).read(good) }
                continue
            }
            #expect(try DataReader(featuresOnly: true).read(good).examples.features == floats)
            let bad = try directory.write(storedZip([("x.npy", x, crc(x) ^ 1), ("y.npy", y, crc(y))]), to: "bad.npz")
            #expect(throws: DatasetError.self) { try DataReader(featuresOnly: true).read(bad) }
        }
    }

    /// For labels 0…K−1 a held-out split of examples chooses exactly the images the images'
    /// held-out split chooses (what keeps `rectifier train`'s Fashion-MNIST numbers).
    @Test func heldOutExamplesAreTheImagesHeldOutSplitChooses() throws {
        let count = 240, side = 2
        let labels: [UInt8] = (0..<count).map { (index: Int) -> UInt8 in UInt8((index * 7 + index / 13) % 10) }
        let pixels: [Float] = (0..<count * side * side).map { (index: Int) -> Float in Float(index % 251) / 255 }
        let images = try LabeledImages(pixels: pixels, labels: labels, rows: side, columns: side, classNames: (0..<10).map(String.init))
        let examples = try Examples(
            features: pixels, shape: [side, side], targets: .classes(indices: labels.map(Int.init), names: (0..<10).map(String.init)))
        for (held, seed) in [(20, UInt64(0)), (1, 3), (239, 9)] {
            let expected = try images.heldOutSplit(validationCount: held, seed: seed)
            let (training, heldOut) = examples.split(heldOut: held, seed: seed)
            #expect(heldOut.features == expected.validation.pixels && training.features == expected.training.pixels, "\(held), \(seed)")
            let names: [String] = (0..<10).map { String($0) }
            let expectedTargets = Examples.Targets.classes(indices: expected.validation.labels.map { Int($0) }, names: names)
            #expect(heldOut.targets == expectedTargets)
        }
    }

    /// Batches of a `.npy` (read a batch at a time) and of a CSV (read whole) hold the
    /// examples of a whole read, in order, numbered by their first example; a non-finite
    /// value is named by its element number in the file.
    @Test func batchesHoldTheWholeReadInOrder() throws {
        let directory = try TemporaryDirectory()
        let values = (0..<70).map { Float($0) * 0.5 }
        let npy = try directory.write(npyBytes(values, shape: [7, 2, 5]), to: "x.npy")
        let csv = try directory.write(Array(("a,b\n" + (0..<7).map { "\($0),\($0 * 2)" }.joined(separator: "\n") + "\n").utf8), to: "x.csv")
        let reader = DataReader(featuresOnly: true)
        for (path, shape) in [(npy, [2, 5]), (csv, [2])] {
            let whole = try reader.read(path).examples
            var gathered: [Float] = [], firsts: [Int] = []
            try reader.forEachBatch(of: path, batchSize: 3) { batch, first in
                #expect(batch.shape == shape && batch.count <= 3)
                gathered += batch.features
                firsts.append(first)
            }
            #expect(gathered == whole.features && firsts == [0, 3, 6], "\(path)")
            // The scaling applied while reading equals the scaling of the whole read, bit for
            // bit; it is asked for once, with the examples' shape, before the first batch.
            let standardize = Preprocessing(.standardize, fittedTo: whole)
            var expected = whole.features
            try standardize.apply(to: &expected, featureCount: whole.featureCount)
            var scaled: [Float] = [], asked: [[Int]] = []
            try reader.forEachBatch(of: path, batchSize: 2) { shape, _ in
                asked.append(shape)
                return standardize
            } _: { batch, _ in scaled += batch.features }
            #expect(scaled == expected && asked == [shape], "\(path)")
            #expect(expected != whole.features)
            #expect {
                try reader.forEachBatch(of: path, batchSize: 2) { _, _ in
                    Preprocessing(.standardize, fittedTo: try Examples(features: [1, 2, 3], shape: [3], targets: .none))
                } _: { _, _ in Issue.record("a batch of a misfit width") }
            } throws: { error in
                "\(error)".contains("1 or \(whole.featureCount) of each")
            }
        }
        // A CSV read in blocks of a few bytes: blank rows, CRLF and a last row without a
        // newline are handed over as in a whole read, and a bad field names its line.
        let blocks = try directory.write(Array("\u{FEFF}b,a\r\n1,2\r\n\n3,4\n5.5,6\n\n7,8".utf8), to: "blocks.csv")
        var columns = DataReader(featuresOnly: true)
        columns.featureNames = ["a", "b"]
        for size in [1, 5, 9, 100] {
            var rows: [Float] = []
            try columns.forEachBatch(of: blocks, batchSize: 2, blockBytes: size) { batch, _ in rows += batch.features }
            #expect(rows == [2, 1, 4, 3, 6, 5.5, 8, 7], "block \(size)")
        }
        let broken = try directory.write(Array("a,b\n1,2\n3,4\n\n5,x\n".utf8), to: "broken.csv")
        #expect {
            try reader.forEachBatch(of: broken, batchSize: 1, blockBytes: 4) { _, _ in }
        } throws: { error in
            "\(error)".contains("line 5, column 2")
        }
        var bad = values
        bad[23] = .nan
        let badPath = try directory.write(npyBytes(bad, shape: [7, 10]), to: "bad.npy")
        var batches = 0
        #expect {
            try reader.forEachBatch(of: badPath, batchSize: 1) { _, _ in batches += 1 }
        } throws: { error in
            "\(error)".contains("element 23 is nan")
        }
        #expect(batches == 2)
    }

    /// An MNIST-format directory's images file read a batch at a time (gzipped or not, no
    /// labels needed): the test file with `testSplitOnly`, else the training file, scaled on
    /// the way; a file cut short or with bytes after its data is refused after the batches
    /// before it.
    @Test func mnistBatchesAreReadAPartAtATime() throws {
        let directory = try TemporaryDirectory()
        let training = SmallDataSet(count: 7, rows: 3, columns: 2, classCount: 3, seed: 4)
        let test = SmallDataSet(count: 5, rows: 3, columns: 2, classCount: 3, seed: 5)
        try directory.write(gzipped(training.imagesFile), to: "train-images-idx3-ubyte.gz")
        try directory.write(test.imagesFile, to: "t10k-images-idx3-ubyte")
        var reader = DataReader(featuresOnly: true)
        for (testOnly, expected) in [(false, training.images), (true, test.images)] {
            reader.testSplitOnly = testOnly
            var values: [Float] = [], firsts: [Int] = []
            try reader.forEachBatch(of: directory.path, batchSize: 3) { shape, _ in
                #expect(shape == [3, 2])
                return .scale255
            } _: { batch, first in
                values += batch.features
                firsts.append(first)
            }
            #expect(values == expected.map { Float($0) / 255 } && firsts == Array(stride(from: 0, to: expected.count / 6, by: 3)))
        }
        try directory.write(Array(test.imagesFile.dropLast(7)), to: "t10k-images-idx3-ubyte")
        var batches = 0
        #expect(throws: DatasetError.truncated(path: directory.path + "/t10k-images-idx3-ubyte", expectedBytes: 16 + 30, foundBytes: 16 + 23)) {
            try reader.forEachBatch(of: directory.path, batchSize: 3) { _, _ in batches += 1 }
        }
        #expect(batches == 0, "the whole file's size is checked before any batch")
        try directory.write(gzipped(test.imagesFile + [1]), to: "t10k-images-idx3-ubyte")
        #expect(throws: DatasetError.trailingData(path: directory.path + "/t10k-images-idx3-ubyte", expectedBytes: 16 + 30)) {
            try reader.forEachBatch(of: directory.path, batchSize: 3) { _, _ in batches += 1 }
        }
        #expect(batches == 1, "a gzipped file's size is known only at its end")
    }

    @Test func splitsAreStratifiedSeededAndDisjoint() throws {
        let labels = (0..<100).map { $0 < 10 ? 0 : $0 < 40 ? 1 : 2 }
        let examples = try Examples(
            features: (0..<200).map(Float.init), shape: [2], targets: .classes(indices: labels, names: ["a", "b", "c"]))
        let (training, test) = try examples.split(testFraction: 0.2, seed: 5)
        #expect(test.count == 20 && training.count == 80)
        guard case let .classes(testLabels, _) = test.targets else { return }
        #expect([0, 1, 2].map { label in testLabels.filter { $0 == label }.count } == [2, 6, 12])
        let all = Set((training.features + test.features).map(Int.init))
        #expect(all.count == 200)
        #expect(try examples.split(testFraction: 0.2, seed: 5).test.features == test.features)
        #expect(try examples.split(testFraction: 0.2, seed: 6).test.features != test.features)
        let subset = try examples.subset(50, seed: 1)
        guard case let .classes(subsetLabels, _) = subset.targets else { return }
        #expect([0, 1, 2].map { label in subsetLabels.filter { $0 == label }.count } == [5, 15, 30])
        for bad in [0, -1, .nan, .infinity, 1, 1.5, 0.001] as [Double] {
            #expect(throws: DatasetError.self) { try examples.split(testFraction: bad, seed: 0) }
        }
        for bad in [0, -1, 101, Int.max] { #expect(throws: DatasetError.self) { try examples.subset(bad, seed: 0) } }
    }

    @Test func preprocessingScalesAndStandardisesAndRoundTripsThroughJSON() throws {
        let examples = try Examples(features: [1, 10, 3, 10, 5, 10], shape: [2], targets: .none)
        let standard = Preprocessing(.standardize, fittedTo: examples)
        #expect(standard.offset == [3, 10])
        #expect(standard.scale == [Float((8.0 / 3).squareRoot()), 1])
        var features = examples.features
        try standard.apply(to: &features, featureCount: 2)
        #expect(features == [-2 / standard.scale[0], 0, 0, 0, 2 / standard.scale[0], 0])
        var pixels: [Float] = [0, 51, 255]
        try Preprocessing(.scale255, fittedTo: examples).apply(to: &pixels, featureCount: 3)
        #expect(pixels == [0, 0.2, 1])
        let decoded = try JSONDecoder().decode(Preprocessing.self, from: JSONEncoder().encode(standard))
        #expect(decoded == standard)
        #expect(throws: DatasetError.self) { try standard.apply(to: &pixels, featureCount: 3) }
        #expect(Preprocessing.defaultKind(for: .csv) == .standardize && Preprocessing.defaultKind(for: .imageFolder) == .scale255)
    }
}

/// A NumPy `.npy` file (format 1.0) of little-endian float32.
func npyBytes(_ values: [Float], shape: [Int]) -> [UInt8] {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(shape.map(String.init).joined(separator: ", ")),), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    let length = UInt16(header.utf8.count)
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
        + values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }
}

/// A zip archive of stored entries with the given CRC-32s (local headers, central directory,
/// end record).
func storedZip(_ entries: [(name: String, bytes: [UInt8], crc: UInt32)]) -> [UInt8] {
    func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
    var archive: [UInt8] = []
    var directory: [UInt8] = []
    for entry in entries {
        let name = Array(entry.name.utf8)
        let sizes = le(entry.crc) + le(UInt32(entry.bytes.count)) + le(UInt32(entry.bytes.count))
        directory += le(UInt32(0x0201_4B50)) + le(UInt16(20)) + le(UInt16(20)) + le(UInt16(0)) + le(UInt16(0))
            + le(UInt32(0)) + sizes + le(UInt16(name.count)) + le(UInt32(0)) + le(UInt32(0)) + le(UInt32(0))
            + le(UInt32(archive.count)) + name
        archive += le(UInt32(0x0403_4B50)) + le(UInt16(20)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt32(0)) + sizes
            + le(UInt16(name.count)) + le(UInt16(0)) + name + entry.bytes
    }
    let count = le(UInt16(entries.count))
    return archive + directory + le(UInt32(0x0605_4B50)) + le(UInt32(0)) + count + count
        + le(UInt32(directory.count)) + le(UInt32(archive.count)) + le(UInt16(0))
}
