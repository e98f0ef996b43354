import Networks
import Runtime
import Testing

/// Random flips and shifts of training images: each image changed as the generator's draws
/// say (checked against a pad-and-crop reference), the spelling of `--augment`, and a
/// trainer that augments staying bit-identical for a seed.
@Suite struct AugmentationTests {
    /// `count` images of `shape` whose every value is distinct: 1 + the value's index.
    static func images(_ count: Int, _ shape: ImageShape) -> [Double] {
        (0..<count * shape.count).map { Double($0 + 1) }
    }

    /// The reference: mirror, then pad by `shift` zeros all round and crop the `H×W`
    /// window at offset (shift − dy, shift − dx), as torchvision's `RandomCrop(padding=)`
    /// after `RandomHorizontalFlip` does.
    static func reference(
        _ image: ArraySlice<Double>, _ shape: ImageShape, mirrored: Bool, dy: Int, dx: Int, shift: Int
    ) -> [Double] {
        let (height, width) = (shape.height, shape.width)
        let values = Array(image)
        var result: [Double] = []
        for channel in 0..<shape.channels {
            let plane = (0..<height).map { y in
                (0..<width).map { x in values[(channel * height + y) * width + (mirrored ? width - 1 - x : x)] }
            }
            var padded = [[Double]](repeating: [Double](repeating: 0, count: width + 2 * shift), count: height + 2 * shift)
            for y in 0..<height { for x in 0..<width { padded[y + shift][x + shift] = plane[y][x] } }
            for y in 0..<height { for x in 0..<width { result.append(padded[y + shift - dy][x + shift - dx]) } }
        }
        return result
    }

    @Test(arguments: [(true, 0), (false, 2), (true, 1), (true, 3)])
    func eachImageIsMirroredAndMovedAsTheDrawsSay(flip: Bool, shift: Int) throws {
        let shape = try ImageShape(channels: 2, height: 5, width: 4)
        let augmentation = try Augmentation(flip: flip, shift: shift, image: shape)
        let count = 2000
        let original = Self.images(count, shape)
        var images = original
        var generator = SeededGenerator(seed: 3)
        var draws = generator
        images.withUnsafeMutableBufferPointer { augmentation.apply(to: $0.baseAddress!, rows: count, generator: &generator) }
        var offsets = Set<[Int]>()
        for row in 0..<count {
            let mirrored = flip && draws.nextIndex(below: 2) == 1
            let dy = shift == 0 ? 0 : draws.nextIndex(below: 2 * shift + 1) - shift
            let dx = shift == 0 ? 0 : draws.nextIndex(below: 2 * shift + 1) - shift
            offsets.insert([mirrored ? 1 : 0, dy, dx])
            let range = row * shape.count..<(row + 1) * shape.count
            #expect(
                Array(images[range]) == Self.reference(original[range], shape, mirrored: mirrored, dy: dy, dx: dx, shift: shift),
                "image \(row): mirrored \(mirrored), dy \(dy), dx \(dx)")
        }
        #expect(draws == generator, "one draw per change per image, in order")
        // Every combination turns up in 2 000 images (1 in 98 at the rarest).
        #expect(offsets.count == (flip ? 2 : 1) * (2 * shift + 1) * (2 * shift + 1))
    }

    /// A lone bright pixel: mirrored it lands at W − 1 − x, and moved by (dy, dx) it lands
    /// there or leaves the image; nothing else lights up.
    @Test func aSinglePixelLandsWhereTheMoveTakesIt() throws {
        let shape = try ImageShape(channels: 1, height: 6, width: 6)
        let augmentation = try Augmentation(flip: true, shift: 2, image: shape)
        var generator = SeededGenerator(seed: 5)
        var draws = generator
        for _ in 0..<50 {
            var image = [Float](repeating: 0, count: 36)
            image[1 * 6 + 0] = 1  // y = 1, x = 0
            image.withUnsafeMutableBufferPointer { augmentation.apply(to: $0.baseAddress!, rows: 1, generator: &generator) }
            let mirrored = draws.nextIndex(below: 2) == 1
            let dy = draws.nextIndex(below: 5) - 2, dx = draws.nextIndex(below: 5) - 2
            let (y, x) = (1 + dy, (mirrored ? 5 : 0) + dx)
            let lit = image.indices.filter { image[$0] != 0 }
            #expect(lit == ((0..<6).contains(y) && (0..<6).contains(x) ? [y * 6 + x] : []), "mirrored \(mirrored), dy \(dy), dx \(dx)")
        }
    }

    @Test func nothingToChangeLeavesTheImagesAndTheGenerator() throws {
        let shape = try ImageShape(channels: 1, height: 3, width: 3)
        let augmentation = try Augmentation(flip: false, shift: 0, image: shape)
        var images = Self.images(4, shape)
        var generator = SeededGenerator(seed: 1)
        images.withUnsafeMutableBufferPointer { augmentation.apply(to: $0.baseAddress!, rows: 4, generator: &generator) }
        #expect(images == Self.images(4, shape))
        #expect(generator == SeededGenerator(seed: 1))
    }

    @Test(arguments: [
        ("flip", true, 0), ("shift:2", false, 2), ("flip,shift:2", true, 2), (" shift:1 , flip", true, 1), ("shift:+3", false, 3),
    ])
    func spellingsParse(text: String, flip: Bool, shift: Int) throws {
        let parsed = try Augmentation.parse(text)
        #expect(parsed.flip == flip && parsed.shift == shift)
    }

    @Test(arguments: [
        "", ",", "flip,", "flip,flip", "shift:0", "shift:-1", "shift:nan", "shift:inf", "shift:", "shift:1.5",
        "shift:99999999999999999999", "shift:1,shift:2", "rotate", "flip:1", "FLIP",
    ])
    func badSpellingsAreRefusedNamingTheFlag(text: String) {
        #expect(throws: TrainingError.self) { try Augmentation.parse(text) }
        do {
            _ = try Augmentation.parse(text)
        } catch {
            #expect(error.description.hasPrefix("augment = '\(text)' is not allowed"), "\(error)")
        }
    }

    @Test func aShiftMustBeSmallerThanTheImage() throws {
        let shape = try ImageShape(channels: 1, height: 28, width: 20)
        #expect(try Augmentation(flip: false, shift: 19, image: shape).description == "shift:19")
        for shift in [20, 28, -1, Int.max, Int.min] {
            #expect(throws: TrainingError.self, "\(shift)") { try Augmentation(flip: true, shift: shift, image: shape) }
        }
        #expect(try Augmentation(flip: true, shift: 2, image: shape).description == "flip,shift:2")
    }

    /// Training with augmentation: the same seed gives the same bits, and the changes take
    /// effect (the parameters differ from a run without them).
    @Test func anAugmentedRunIsBitIdenticalForASeedAndDiffersFromAPlainOne() throws {
        let shape = try ImageShape(channels: 1, height: 2, width: 2)
        let data = TrainingData.blobs(count: 300, dimensions: 4, classes: 3, seed: 8)
        func parameters(_ augmentation: Augmentation?) throws -> [Double] {
            let (model, generator) = try TrainingData.model(data, hidden: [12], activation: "relu", outputs: 3, seed: 9)
            let trainer = Trainer(
                model: model, configuration: try TrainingData.configuration(epochs: 2), generator: generator,
                augmentation: augmentation)
            try trainer.train(on: data)
            return model.parameters.snapshot()
        }
        let augmentation = try Augmentation(flip: true, shift: 1, image: shape)
        let first = try parameters(augmentation), again = try parameters(augmentation)
        #expect(first.map(\.bitPattern) == again.map(\.bitPattern))
        #expect(first != (try parameters(nil)))
    }

    @Test func imagesOfAnotherSizeThanTheModelsInputAreRefused() throws {
        let data = TrainingData.blobs(count: 60, dimensions: 4, classes: 3, seed: 8)
        let (model, generator) = try TrainingData.model(data, hidden: [4], activation: "relu", outputs: 3, seed: 9)
        let trainer = Trainer(
            model: model, configuration: try TrainingData.configuration(epochs: 1), generator: generator,
            augmentation: try Augmentation(flip: true, shift: 0, image: try ImageShape(channels: 1, height: 3, width: 3)))
        #expect(throws: TrainingError.self) { try trainer.train(on: data) }
    }
}
