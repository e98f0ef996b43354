import Datasets
import Testing

/// Images read one row (or any whole number of pixels) per step.
@Suite struct SequentialImagesTests {
    /// Six images of 4×6 whose pixel values encode (image, row, column).
    let images: LabeledImages = {
        let pixels = (0..<6 * 24).map { Float($0) / Float(6 * 24) }
        return try! LabeledImages(
            pixels: pixels, labels: [0, 1, 2, 0, 1, 2], rows: 4, columns: 6,
            classNames: ["a", "b", "c"])
    }()

    @Test func oneRowPerStep() throws {
        let sequences = try SequentialImages(images)
        #expect(sequences.length == 4 && sequences.featureCount == 6)
        let batch = try sequences.makeBatch(indices: [5, 0, 3])
        #expect(batch.size == 3 && batch.length == 4 && batch.featureCount == 6)
        #expect(batch.labels == [2, 0, 0])
        for (position, image) in [5, 0, 3].enumerated() {
            for step in 0..<4 {
                for feature in 0..<6 {
                    let input = batch.inputs[(position * 4 + step) * 6 + feature]
                    #expect(input == images.pixels[image * 24 + step * 6 + feature])
                }
            }
        }
    }

    @Test func pixelByPixel() throws {
        let sequences = try SequentialImages(images, pixelsPerStep: 1)
        #expect(sequences.length == 24 && sequences.featureCount == 1)
        let batch = try sequences.makeBatch(indices: [2])
        #expect(batch.inputs == Array(images.pixels(ofImage: 2)))
    }

    @Test func stepsMustDivideTheImage() {
        for pixelsPerStep in [0, -3, 5, 25] {
            #expect(throws: DatasetError.self) {
                try SequentialImages(images, pixelsPerStep: pixelsPerStep)
            }
        }
    }

    @Test func indicesMustBeInRange() throws {
        let sequences = try SequentialImages(images)
        for indices in [[], [6], [0, -1]] {
            #expect(throws: DatasetError.self) { try sequences.makeBatch(indices: indices) }
        }
    }
}

/// The checks of `LabeledImages`' initialiser.
@Suite struct LabeledImagesTests {
    @Test func refusesInconsistentParts() {
        let names = ["a", "b"]
        let pixels = [Float](repeating: 0.5, count: 8)
        #expect(throws: Never.self) {
            try LabeledImages(
                pixels: pixels, labels: [0, 1], rows: 2, columns: 2, classNames: names)
        }
        #expect(throws: DatasetError.self) {
            try LabeledImages(
                pixels: pixels, labels: [0, 1], rows: 0, columns: 2, classNames: names)
        }
        #expect(throws: DatasetError.self) {
            try LabeledImages(pixels: pixels, labels: [0], rows: 2, columns: 2, classNames: names)
        }
        #expect(throws: DatasetError.self) {
            try LabeledImages(pixels: [], labels: [], rows: 2, columns: 2, classNames: names)
        }
        #expect(throws: DatasetError.self) {
            try LabeledImages(
                pixels: pixels, labels: [0, 2], rows: 2, columns: 2, classNames: names)
        }
        #expect(throws: DatasetError.self) {
            try LabeledImages(pixels: pixels, labels: [0, 1], rows: 2, columns: 2, classNames: [])
        }
        for bad in [Float.nan, -0.1, 1.5, .infinity] {
            var spoiled = pixels
            spoiled[3] = bad
            #expect(throws: DatasetError.self) {
                try LabeledImages(
                    pixels: spoiled, labels: [0, 1], rows: 2, columns: 2, classNames: names)
            }
        }
    }

    @Test func classCountsCountEachLabel() throws {
        let images = try LabeledImages(
            pixels: [0, 0, 0, 0], labels: [2, 0, 2, 2], rows: 1, columns: 1,
            classNames: ["a", "b", "c"])
        #expect(images.classCounts() == [1, 0, 3])
    }
}
