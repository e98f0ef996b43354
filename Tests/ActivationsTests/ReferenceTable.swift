import Activations
import Foundation

/// One of the committed mpmath tables (`Reference/*.txt`, written by
/// `scripts/make_reference.py`): inputs and correctly rounded results as exact bit patterns.
struct ReferenceTable<T: ActivationScalar & ReferenceBits> {
    /// Each row: x and the columns after it.
    let rows: [(x: T, columns: [T])]

    /// Reads `Reference/<name>-<float|double>.txt` next to this source file.
    init(_ name: String, filePath: String = #filePath) throws {
        let directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        let file = directory.appendingPathComponent("Reference/\(name)-\(T.tableSuffix).txt")
        let text = try String(contentsOf: file, encoding: .utf8)
        var rows: [(x: T, columns: [T])] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let values = line.split(separator: " ").map { field -> T in
                guard let bits = T.BitPattern(field, radix: 16) else {
                    fatalError("\(file.lastPathComponent): bad field '\(field)'")
                }
                return T(bitPattern: bits)
            }
            rows.append((values[0], Array(values.dropFirst())))
        }
        self.rows = rows
    }

    var inputs: [T] { rows.map(\.x) }

    func column(_ index: Int) -> [T] { rows.map { $0.columns[index] } }
}

/// The bit-level view the tables and ulp counts need.
protocol ReferenceBits: BinaryFloatingPoint {
    associatedtype BitPattern: FixedWidthInteger & UnsignedInteger
    init(bitPattern: BitPattern)
    var bitPattern: BitPattern { get }
    static var tableSuffix: String { get }
}

extension Float: ReferenceBits {
    static var tableSuffix: String { "float" }
}

extension Double: ReferenceBits {
    static var tableSuffix: String { "double" }
}

/// Distances between results and references, in representable steps.
enum ULP {
    /// The number of representable values between a and b (0 when equal, also for two NaNs;
    /// `Int.max` when only one is NaN). −0 and +0 are one value apart from neither side:
    /// they are distance 0.
    static func distance<T: ReferenceBits>(_ a: T, _ b: T) -> Int {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : .max }
        let difference = ordered(a).subtractingReportingOverflow(ordered(b))
        return difference.overflow ? .max : Int(clamping: difference.partialValue.magnitude)
    }

    /// Like ``distance(_:_:)``, but where the reference is below the smallest normal number any
    /// result no larger than the smallest normal counts as exact: the kernels may flush there.
    static func distanceAllowingFlush<T: ReferenceBits>(_ result: T, _ reference: T) -> Int {
        if reference.magnitude < T.leastNormalMagnitude, result.magnitude <= T.leastNormalMagnitude {
            return 0
        }
        return distance(result, reference)
    }

    /// The bits as a signed integer that orders like the values (−0 and +0 both map to 0).
    private static func ordered<T: ReferenceBits>(_ value: T) -> Int64 {
        let magnitude = Int64(truncatingIfNeeded: value.magnitude.bitPattern)
        return value.sign == .minus ? -magnitude : magnitude
    }

    /// The largest distance over paired arrays, and the input where it occurs.
    /// Results within `absoluteTolerance` of the reference count as exact for inputs in
    /// `cancelling` (around a zero of the function, where ulps say nothing).
    static func worst<T: ReferenceBits>(
        _ results: [T], _ references: [T], inputs: [T], allowingFlush: Bool = false,
        absoluteTolerance: T = 0, cancelling: ClosedRange<Double>? = nil,
        where include: (T, T) -> Bool = { _, _ in true }
    ) -> (ulp: Int, at: T) {
        var worst = (ulp: 0, at: T.zero)
        for i in results.indices where include(inputs[i], references[i]) {
            if let cancelling, cancelling.contains(Double(inputs[i])),
                (results[i] - references[i]).magnitude <= absoluteTolerance
            {
                continue
            }
            let d = allowingFlush
                ? distanceAllowingFlush(results[i], references[i])
                : distance(results[i], references[i])
            if d > worst.ulp { worst = (d, inputs[i]) }
        }
        return worst
    }
}
