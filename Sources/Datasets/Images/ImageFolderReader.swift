import Runtime
import CPNG

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a folder of PNG images, one sub-directory per class (torchvision's `ImageFolder`):
/// the classes are the sub-directory names, sorted; each holds `.png` files (any case of the
/// extension; other files and hidden entries are ignored), read in sorted order.
///
/// libpng's simplified API decodes every image to 8-bit grey or, when any image has colour,
/// to 8-bit RGB (alpha composed over black; 16-bit images are reduced by libpng). The
/// headers are read first, so differently sized images are refused before the pixels are
/// allocated. Examples are `[C, H, W]`, values 0…255.
enum ImageFolderReader {
    static func read(_ directory: String, options: DataReader) throws(DatasetError) -> Examples {
        let folder = try Listing(directory, featuresOnly: options.featuresOnly)
        let count = folder.files.count, perImage = folder.featureCount
        try requireMemory(
            MemoryBudget.product(count, perImage, 4), for: "\(directory): \(count) images of \(folder.shape.map(String.init).joined(separator: "×"))")
        var decoder = Decoder(folder)
        let features = try makeFloatArray(capacity: count * perImage) { output throws(DatasetError) in
            for index in 0..<count { try decoder.decode(index, into: output.baseAddress! + index * perImage, preprocessing: .none) }
            return count * perImage
        }
        let targets: Examples.Targets = options.featuresOnly ? .none : try classTargets(
            folder.labels, name: { $0 }, given: options.classNames, path: directory, column: "the class folders")
        return Examples(checked: features, shape: folder.shape, targets: targets)
    }

    /// The images of a folder, their class folders and their common size, from the headers
    /// alone (each file closed again: thousands of open files would exceed the descriptor
    /// limit), so differently sized images are refused before any pixels are allocated.
    struct Listing {
        let files: [String]
        /// The class folder of each file; empty for a folder of images without classes.
        let labels: [String]
        /// `[C, H, W]`: 3 channels when any image has colour, else 1.
        let shape: [Int]
        var featureCount: Int { shape.reduce(1, *) }

        /// With `featuresOnly`, a folder without class folders holds the images itself.
        init(_ directory: String, featuresOnly: Bool) throws(DatasetError) {
            let entries = try list(directory)
            let classFolders = entries.filter { isDirectory(join(directory, $0)) }
            var files: [String] = []
            var labels: [String] = []
            if classFolders.isEmpty && featuresOnly {
                files = entries.filter(isPNG).map { join(directory, $0) }
            }
            for folder in classFolders {
                let images = try list(join(directory, folder)).filter(isPNG)
                guard !images.isEmpty else {
                    throw .badData(path: join(directory, folder), reason: "the class folder holds no .png files")
                }
                files += images.map { join(join(directory, folder), $0) }
                labels += Array(repeating: folder, count: images.count)
            }
            guard let firstFile = files.first else {
                throw .badData(path: directory, reason: "no class folders of .png images (expected DIR/CLASS/IMAGE.png) and no MNIST-format files")
            }
            var size: (width: UInt32, height: UInt32)?
            var colour = false
            for file in files {
                var image = try begin(file)
                png_image_free(&image)
                let first = size ?? (image.width, image.height)
                guard image.width == first.width, image.height == first.height else {
                    throw .badData(path: file, reason: "the image is \(image.width)×\(image.height); \(firstFile) is \(first.width)×\(first.height), and all must match")
                }
                size = first
                colour = colour || image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
            }
            (self.files, self.labels, shape) = (files, labels, [colour ? 3 : 1, Int(size!.height), Int(size!.width)])
        }
    }

    /// Decodes a listing's images one at a time through one reused pixel buffer.
    struct Decoder {
        let listing: Listing
        private var pixels: [UInt8]
        private var planar: [UInt8]

        init(_ listing: Listing) {
            self.listing = listing
            pixels = [UInt8](repeating: 0, count: listing.featureCount)
            planar = listing.shape[0] == 1 ? [] : pixels
        }

        /// Image `index` as `[C, H, W]` values 0…255 scaled by `preprocessing` into `destination`.
        /// - Precondition: `preprocessing.fits(featureCount: listing.featureCount)`.
        mutating func decode(_ index: Int, into destination: UnsafeMutablePointer<Float>, preprocessing: Preprocessing) throws(DatasetError) {
            let file = listing.files[index]
            let (channels, height, width) = (listing.shape[0], listing.shape[1], listing.shape[2])
            var image = try begin(file)
            defer { png_image_free(&image) }
            guard image.width == UInt32(width), image.height == UInt32(height) else {
                throw .badData(path: file, reason: "the image changed while it was read")
            }
            image.format = channels == 3 ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0  // PNG_FORMAT_RGB or PNG_FORMAT_GRAY
            var background = png_color(red: 0, green: 0, blue: 0)
            let finished = pixels.withUnsafeMutableBytes { buffer in
                png_image_finish_read(&image, &background, buffer.baseAddress, 0, nil)
            }
            guard finished != 0 else {
                throw .badData(path: file, reason: "cannot decode the PNG image (\(message(image)))")
            }
            if channels > 1 {
                // Interleaved HWC to planar CHW.
                for pixel in 0..<height * width {
                    for channel in 0..<channels { planar[channel * height * width + pixel] = pixels[pixel * channels + channel] }
                }
            }
            (channels > 1 ? planar : pixels).withUnsafeBufferPointer { source in
                preprocessing.transform(source.baseAddress, count: source.count, into: destination, featureCount: source.count) { Float($0) }
            }
        }
    }

    /// libpng's header of `file`; the caller frees it.
    private static func begin(_ file: String) throws(DatasetError) -> png_image {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, file) != 0 else {
            defer { png_image_free(&image) }
            throw .badData(path: file, reason: "cannot read the PNG image (\(message(image)))")
        }
        return image
    }

    private static func message(_ image: png_image) -> String {
        withUnsafeBytes(of: image.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The names in `directory`, sorted, without hidden entries.
    private static func list(_ directory: String) throws(DatasetError) -> [String] {
        guard let handle = opendir(directory) else {
            throw .unreadableFile(path: directory, reason: String(cString: strerror(errno)))
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    private static func isPNG(_ name: String) -> Bool {
        name.lowercased().hasSuffix(".png")
    }
}
