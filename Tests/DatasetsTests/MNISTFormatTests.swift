import Datasets
import Foundation
import Testing

/// A directory of MNIST-format files becomes a training and a test set.
@Suite struct MNISTFormatTests {
    let training = SmallDataSet(count: 12, rows: 4, columns: 3, classCount: 10, seed: 1)
    let test = SmallDataSet(count: 5, rows: 4, columns: 3, classCount: 10, seed: 2)

    /// Writes the four files, the training pair compressed and the test pair plain.
    private func writeDataSet(to directory: TemporaryDirectory) throws {
        try directory.write(
            gzipped(training.imagesFile), to: MNISTFormat.trainingImagesFile + ".gz")
        try directory.write(
            gzipped(training.labelsFile), to: MNISTFormat.trainingLabelsFile + ".gz")
        try directory.write(test.imagesFile, to: MNISTFormat.testImagesFile)
        try directory.write(test.labelsFile, to: MNISTFormat.testLabelsFile)
    }

    @Test func loadsBothSetsWithPixelsScaledToTheUnitInterval() throws {
        let directory = try TemporaryDirectory()
        try writeDataSet(to: directory)
        let loaded = try FashionMNIST.load(directory: directory.path)
        for (images, source) in [(loaded.training, training), (loaded.test, test)] {
            #expect(images.count == source.count)
            #expect(images.rows == 4 && images.columns == 3)
            #expect(images.labels == source.labels)
            #expect(images.pixels == source.images.map { Float($0) / 255 })
            #expect(images.classNames == FashionMNIST.classNames)
        }
        #expect(loaded.directory == directory.path)
    }

    @Test func scalingMapsTheByteRangeOntoZeroToOne() throws {
        let directory = try TemporaryDirectory()
        let bytes = (0...255).map { UInt8($0) }
        let imagesPath = try directory.write(
            idxBytes(dimensions: [1, 16, 16], data: bytes), to: "i")
        let labelsPath = try directory.write(idxBytes(dimensions: [1], data: [0]), to: "l")
        let images = try MNISTFormat.loadImages(
            imagesPath: imagesPath, labelsPath: labelsPath, classNames: ["only"])
        #expect(images.pixels.first == 0)
        #expect(images.pixels.last == 1)
        // Correctly rounded: no neighbouring Float is closer to the exact quotient.
        for (byte, pixel) in zip(bytes, images.pixels) {
            let exact = Double(byte) / 255
            let error = abs(Double(pixel) - exact)
            #expect(
                error <= abs(Double(pixel.nextUp) - exact)
                    && error <= abs(Double(pixel.nextDown) - exact))
        }
    }

    @Test func prefersThePlainFileWhenBothExist() throws {
        let directory = try TemporaryDirectory()
        try writeDataSet(to: directory)
        let other = SmallDataSet(count: 12, rows: 4, columns: 3, classCount: 10, seed: 99)
        try directory.write(other.imagesFile, to: MNISTFormat.trainingImagesFile)
        let loaded = try FashionMNIST.load(directory: directory.path + "/")
        #expect(loaded.training.pixels == other.images.map { Float($0) / 255 })
    }

    @Test func missingFilesNameTheDirectoryAndTheWayOut() throws {
        let directory = try TemporaryDirectory()
        try directory.write(test.imagesFile, to: MNISTFormat.testImagesFile)
        let error = #expect(throws: DatasetError.self) {
            try FashionMNIST.load(directory: directory.path)
        }
        let missing = [
            "train-images-idx3-ubyte[.gz]", "train-labels-idx1-ubyte[.gz]",
            "t10k-labels-idx1-ubyte[.gz]",
        ]
        #expect(error == .dataSetNotFound(directory: directory.path, missing: missing))
        let message = try #require(error?.description)
        #expect(
            message.contains(directory.path) && message.contains("make deps")
                && message.contains("--data DIR"))
        #expect(throws: DatasetError.self) {
            try FashionMNIST.load(directory: directory.path + "/nowhere")
        }
    }

    @Test func imageAndLabelCountsMustMatch() throws {
        let directory = try TemporaryDirectory()
        let imagesPath = try directory.write(training.imagesFile, to: "images")
        let labelsPath = try directory.write(test.labelsFile, to: "labels")
        #expect(
            throws: DatasetError.countMismatch(
                imagesPath: imagesPath, imageCount: 12, labelsPath: labelsPath, labelCount: 5)
        ) {
            try MNISTFormat.loadImages(
                imagesPath: imagesPath, labelsPath: labelsPath, classNames: FashionMNIST.classNames)
        }
    }

    @Test func labelsMustBeBelowTheClassCount() throws {
        let directory = try TemporaryDirectory()
        let imagesPath = try directory.write(training.imagesFile, to: "images")
        var labels = training.labels
        labels[7] = 10
        let labelsPath = try directory.write(idxBytes(dimensions: [12], data: labels), to: "labels")
        let error = #expect(throws: DatasetError.self) {
            try MNISTFormat.loadImages(
                imagesPath: imagesPath, labelsPath: labelsPath, classNames: FashionMNIST.classNames)
        }
        #expect(error == .labelOutOfRange(path: labelsPath, index: 7, label: 10, classCount: 10))
        #expect(error?.description.contains("0…9") == true)
    }

    @Test func imagesFileReadAsLabelsIsRefused() throws {
        let directory = try TemporaryDirectory()
        let imagesPath = try directory.write(training.imagesFile, to: "images")
        #expect(throws: DatasetError.wrongDimensionCount(path: imagesPath, found: 3, expected: 1)) {
            try MNISTFormat.loadImages(
                imagesPath: imagesPath, labelsPath: imagesPath, classNames: ["a", "b"])
        }
    }
}
