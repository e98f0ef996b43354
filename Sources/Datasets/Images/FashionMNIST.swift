/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 28×28 grey-scale pictures of clothing in ten
/// classes, 60 000 for training and 10 000 for testing, 6 000 and 1 000 per class.
///
/// Debian's `dataset-fashion-mnist` package installs its four gzip files in
/// ``defaultDirectory``; `make deps` installs the package.
public enum FashionMNIST {
    /// Where Debian's `dataset-fashion-mnist` package puts the files.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    /// The class names, indexed by label 0…9.
    public static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// Reads Fashion-MNIST (or any MNIST-format directory with ten classes) from `directory`.
    ///
    /// - Throws: as ``MNISTFormat/load(directory:classNames:maximumDataBytes:)``; a missing
    ///   file gives ``DatasetError/dataSetNotFound(directory:missing:)``, whose message tells
    ///   the user to run `make deps` or pass `--data DIR`.
    public static func load(directory: String = defaultDirectory) throws(DatasetError)
        -> ImageDataSet
    {
        try MNISTFormat.load(directory: directory, classNames: classNames)
    }
}
