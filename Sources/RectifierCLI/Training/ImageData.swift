import ArgumentParser
import Datasets
import Networks

/// A directory of MNIST-format files, ready to train on: the training set split into the
/// part learned from and a held-out validation part, and the test set, kept apart for the
/// final figure.
struct ImageData {
    let training: Dataset<Float>
    let validation: Dataset<Float>
    let test: Dataset<Float>
    let directory: String

    /// Loads `directory` (Fashion-MNIST's Debian folder when nil) and holds out
    /// `validationCount` training images (a twelfth when nil: 5 000 of Fashion-MNIST's
    /// 60 000), stratified by class and chosen by `seed`.
    /// - Throws: ``DatasetError`` for unreadable files; `ValidationError` naming
    ///   `--validation` for a count that leaves no image on either side.
    static func load(directory: String?, validationCount: Int?, seed: UInt64) throws -> ImageData {
        let directory = directory ?? FashionMNIST.defaultDirectory
        let images = try FashionMNIST.load(directory: directory)
        let count = validationCount ?? Swift.max(1, (images.training.count + 6) / 12)
        let split: HeldOutSplit
        do {
            split = try images.training.heldOutSplit(validationCount: count, seed: seed)
        } catch {
            throw ValidationError(
                "--validation \(count) is not allowed: 1…\(images.training.count - 1) of the \(images.training.count) training images")
        }
        return ImageData(
            training: try dataset(split.training), validation: try dataset(split.validation),
            test: try dataset(images.test), directory: directory)
    }

    /// Loads only the test set of `directory` (Fashion-MNIST's Debian folder when nil).
    static func loadTest(directory: String?) throws -> Dataset<Float> {
        try dataset(FashionMNIST.load(directory: directory ?? FashionMNIST.defaultDirectory).test)
    }

    /// Pixels as a `count × pixelsPerImage` matrix and labels as class indices.
    static func dataset(_ images: LabeledImages) throws -> Dataset<Float> {
        try Dataset(
            features: try Matrix(rows: images.count, columns: images.pixelsPerImage, scalars: images.pixels),
            labels: images.labels.map(Int.init))
    }
}
