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
        let entries = try list(directory)
        let classFolders = entries.filter { isDirectory(join(directory, $0)) }
        var files: [String] = []
        var labels: [String] = []
        if classFolders.isEmpty && options.featuresOnly {
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
        guard !files.isEmpty else {
            throw .badData(path: directory, reason: "no class folders of .png images (expected DIR/CLASS/IMAGE.png) and no MNIST-format files")
        }
        // First the headers (each file closed again: thousands of open files would exceed
        // the descriptor limit), then the pixels.
        var sizes: [(width: UInt32, height: UInt32)] = []
        var colour = false
        for file in files {
            var image = try begin(file)
            png_image_free(&image)
            sizes.append((image.width, image.height))
            colour = colour || image.format & UInt32(PNG_FORMAT_FLAG_COLOR) != 0
            guard sizes.last! == sizes[0] else {
                throw .badData(path: file, reason: "the image is \(image.width)×\(image.height); \(files[0]) is \(sizes[0].width)×\(sizes[0].height), and all must match")
            }
        }
        let channels = colour ? 3 : 1
        let (height, width) = (Int(sizes[0].height), Int(sizes[0].width))
        let perImage = channels * height * width
        try requireMemory(MemoryBudget.product(files.count, perImage, 4), for: "\(directory): \(files.count) images of \(channels)×\(height)×\(width)")
        var pixels = [UInt8](repeating: 0, count: perImage)
        var background = png_color(red: 0, green: 0, blue: 0)
        let features = try makeFloatArray(capacity: files.count * perImage) { output throws(DatasetError) in
            for (index, file) in files.enumerated() {
                var image = try begin(file)
                defer { png_image_free(&image) }
                guard image.width == sizes[0].width, image.height == sizes[0].height else {
                    throw .badData(path: file, reason: "the image changed while it was read")
                }
                image.format = colour ? UInt32(PNG_FORMAT_FLAG_COLOR) : 0  // PNG_FORMAT_RGB or PNG_FORMAT_GRAY
                let finished = pixels.withUnsafeMutableBytes { buffer in
                    png_image_finish_read(&image, &background, buffer.baseAddress, 0, nil)
                }
                guard finished != 0 else {
                    throw .badData(path: file, reason: "cannot decode the PNG image (\(message(image)))")
                }
                // Interleaved HWC bytes to planar CHW floats.
                let base = index * perImage
                for pixel in 0..<height * width {
                    for channel in 0..<channels {
                        output[base + channel * height * width + pixel] = Float(pixels[pixel * channels + channel])
                    }
                }
            }
            return files.count * perImage
        }
        let targets: Examples.Targets = options.featuresOnly ? .none : try classTargets(
            labels, name: { $0 }, given: options.classNames, path: directory, column: "the class folders")
        return Examples(checked: features, shape: [channels, height, width], targets: targets)
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
