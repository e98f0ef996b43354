import Datasets
import Testing

/// Held-out splits and subsets: deterministic, disjoint, balanced.
@Suite struct SplitTests {
    /// 100 images of 2×2 in four unbalanced classes of 10, 20, 30 and 40 images; pixel values
    /// increase with the index.
    let images: LabeledImages = {
        let labels = (0..<100).map { index -> UInt8 in
            index < 10 ? 0 : index < 30 ? 1 : index < 60 ? 2 : 3
        }
        let pixels = (0..<400).map { Float($0) / 399 }
        return try! LabeledImages(
            pixels: pixels, labels: labels, rows: 2, columns: 2, classNames: ["a", "b", "c", "d"])
    }()

    @Test func sameSeedSameSplitOtherSeedOtherSplit() throws {
        let first = try images.heldOutSplit(validationCount: 17, seed: 42)
        let again = try images.heldOutSplit(validationCount: 17, seed: 42)
        let other = try images.heldOutSplit(validationCount: 17, seed: 43)
        #expect(first.validationIndices == again.validationIndices)
        #expect(first.validation.pixels == again.validation.pixels)
        #expect(first.validationIndices != other.validationIndices)
    }

    @Test func partsAreDisjointCoverEverythingAndKeepOrder() throws {
        for seed: UInt64 in 0..<20 {
            let split = try images.heldOutSplit(validationCount: 23, seed: seed)
            #expect(Set(split.trainingIndices).isDisjoint(with: split.validationIndices))
            #expect((split.trainingIndices + split.validationIndices).sorted() == Array(0..<100))
            #expect(split.trainingIndices == split.trainingIndices.sorted())
            #expect(split.validationIndices == split.validationIndices.sorted())
            for (position, index) in split.validationIndices.enumerated() {
                #expect(split.validation.labels[position] == images.labels[index])
                #expect(split.validation.pixels(ofImage: position) == images.pixels(ofImage: index))
            }
        }
    }

    @Test func eachClassGivesItsShareRoundedUpOrDown() throws {
        let sizes = images.classCounts()
        for validationCount in [1, 7, 23, 50, 99] {
            let held = try images.heldOutSplit(validationCount: validationCount, seed: 5).validation
                .classCounts()
            #expect(held.reduce(0, +) == validationCount)
            for (count, size) in zip(held, sizes) {
                let share = Double(validationCount * size) / 100
                #expect(
                    Double(count) >= share.rounded(.down) && Double(count) <= share.rounded(.up))
            }
        }
    }

    @Test func eachClassIsSampledEvenly() throws {
        // Class 0 (indices 0..<10) gives 2 of its 10 images for 20 held out of 100: over
        // many seeds each of its images should be held out about a fifth of the time.
        var held = [Int](repeating: 0, count: 10)
        let trials = 2_000
        for seed in 0..<UInt64(trials) {
            for index in try images.heldOutSplit(validationCount: 20, seed: seed).validationIndices
            where index < 10 {
                held[index] += 1
            }
        }
        for count in held {
            #expect(abs(Double(count) / Double(trials) - 0.2) < 0.04)
        }
    }

    @Test func fractionRoundsToTheNearestCount() throws {
        #expect(try images.heldOutSplit(validationFraction: 0.126, seed: 1).validation.count == 13)
        for fraction in [0, 1, -0.5, .nan, .infinity] {
            #expect(throws: DatasetError.self) {
                try images.heldOutSplit(validationFraction: fraction, seed: 1)
            }
        }
        #expect(throws: DatasetError.self) {
            try images.heldOutSplit(validationFraction: 0.001, seed: 1)
        }
    }

    @Test func impossibleCountsAreRefused() {
        for count in [0, -1, 100, 101] {
            #expect(throws: DatasetError.self) {
                try images.heldOutSplit(validationCount: count, seed: 0)
            }
        }
        for count in [0, 101] {
            #expect(throws: DatasetError.self) { try images.firstSamples(count) }
            #expect(throws: DatasetError.self) { try images.randomSamples(count, seed: 0) }
        }
    }

    @Test func firstSamplesAreThePrefix() throws {
        let first = try images.firstSamples(30)
        #expect(first.labels == Array(images.labels[..<30]))
        #expect(first.pixels == Array(images.pixels[..<120]))
    }

    @Test func randomSamplesAreDeterministicDistinctAndInOrder() throws {
        let sample = try images.randomSamples(40, seed: 9)
        let again = try images.randomSamples(40, seed: 9)
        #expect(sample.pixels == again.pixels)
        // Pixels increase with the index, so the first pixel of each image gives its index.
        let indices = (0..<40).map { Int((sample.pixels(ofImage: $0).first! * 399).rounded()) / 4 }
        #expect(indices == indices.sorted() && Set(indices).count == 40)
        #expect(try images.randomSamples(100, seed: 3).pixels == images.pixels)
        #expect(try images.randomSamples(40, seed: 10).pixels != sample.pixels)
    }
}
