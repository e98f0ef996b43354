import Runtime

/// Random changes to the training images, drawn afresh for every batch from the run's
/// generator (so a seed gives the same run, and a resumed one continues it bit for bit), as
/// Keras's `RandomFlip("horizontal")` and torchvision's `RandomCrop(padding=s)` do:
///
/// - `flip`: each image is mirrored left–right with probability 1/2;
/// - `shift:S`: each image moves by `dy`, `dx` pixels, each uniform in −S…S, and the
///   uncovered border is 0 (the background of images scaled to [0, 1]).
///
/// For image n of a batch the draws are, in this order, `nextIndex(below: 2)` (mirror when 1,
/// with `flip`), then `dy` and `dx` as `nextIndex(below: 2S + 1) − S` (with `shift`), and
/// `out[c, y, x] = in[c, y − dy, x′]` where `u = x − dx` and `x′ = W − 1 − u` when mirrored,
/// else `u`; 0 where `y − dy` or `u` falls outside the image. Validation, test and the
/// probe images are never changed.
public struct Augmentation: Hashable, Sendable, CustomStringConvertible {
    /// Mirror each image left–right with probability 1/2.
    public let flip: Bool
    /// The largest move in pixels along each axis (0: none).
    public let shift: Int
    /// The shape of one image, `C×H×W`.
    public let image: ImageShape

    /// - Throws: ``TrainingError/invalidHyperparameter(name:value:allowed:)`` naming
    ///   `shift` unless 0 ≤ `shift` < min(H, W).
    public init(flip: Bool, shift: Int, image: ImageShape) throws(TrainingError) {
        let side = Swift.min(image.height, image.width)
        try TrainingError.require(
            shift >= 0 && shift < side, "shift", shift, "0…\(side - 1) pixels for \(image) images")
        self.flip = flip
        self.shift = shift
        self.image = image
    }

    /// The spelling of `--augment`: `flip`, `shift:S` or both, comma-separated (e.g.
    /// `flip,shift:2`).
    /// - Throws: ``TrainingError/invalidHyperparameter(name:value:allowed:)`` naming
    ///   `augment` for an empty list or item, an unknown or repeated item, or a shift that is
    ///   not a whole number ≥ 1.
    public static func parse(_ text: String) throws(TrainingError) -> (flip: Bool, shift: Int) {
        let expected = "flip and/or shift:S with S ≥ 1 pixels, comma-separated, e.g. flip,shift:2"
        var flip = false, shift: Int?
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.filter { $0 != " " } }) {
            if item == "flip", !flip {
                flip = true
            } else if item.hasPrefix("shift:"), shift == nil, let pixels = Int(item.dropFirst(6)), pixels >= 1 {
                shift = pixels
            } else {
                throw .invalidHyperparameter(name: "augment", value: "'\(text)'", allowed: expected)
            }
        }
        return (flip, shift ?? 0)
    }

    /// `flip`, `shift:S` or `flip,shift:S`, as ``parse(_:)`` reads it.
    public var description: String {
        ([flip ? "flip" : nil, shift > 0 ? "shift:\(shift)" : nil] as [String?]).compactMap { $0 }.joined(separator: ",")
    }

    /// Changes the `rows` images at `images` (row after row, ``image`` values each) in place,
    /// drawing from `generator` as the type's documentation says.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func apply<Scalar: BinaryFloatingPoint>(
        to images: UnsafeMutablePointer<Scalar>, rows: Int, generator: inout SeededGenerator
    ) {
        let (height, width, plane, size) = (image.height, image.width, image.planeCount, image.count)
        withUnsafeTemporaryAllocation(of: Scalar.self, capacity: size) { original in
            let source = original.baseAddress!
            for row in 0..<rows {
                let mirrored = flip && generator.nextIndex(below: 2) == 1
                let dy = shift == 0 ? 0 : generator.nextIndex(below: 2 * shift + 1) - shift
                let dx = shift == 0 ? 0 : generator.nextIndex(below: 2 * shift + 1) - shift
                guard mirrored || dy != 0 || dx != 0 else { continue }
                let target = images + row * size
                source.update(from: target, count: size)
                for channel in 0..<image.channels {
                    for y in 0..<height {
                        let out = target + channel * plane + y * width
                        let sourceY = y - dy
                        guard sourceY >= 0, sourceY < height else {
                            out.update(repeating: 0, count: width)
                            continue
                        }
                        let input = source + channel * plane + sourceY * width
                        for x in 0..<width {
                            let u = x - dx
                            out[x] = u >= 0 && u < width ? input[mirrored ? width - 1 - u : u] : 0
                        }
                    }
                }
            }
        }
    }
}
