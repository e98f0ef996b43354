import Foundation

/// How a ``Histogram`` divides the x axis into bins.
public enum Binning: Sendable, Hashable {
    /// Nice edges (1-2-5 steps) over the data, about 2·n^(1/3) bins (Rice's rule), 5 to 50.
    case automatic
    /// `count` equal bins from the smallest to the largest value (1 … 10 000).
    case count(Int)
    /// Bins of this width on multiples of it (at most 10 000 bins).
    case width(Double)
    /// These edges: finite, strictly increasing, at least two.
    case edges([Double])
}

/// What a histogram's bar heights measure.
public enum HistogramNormalization: Sendable, Hashable {
    /// Values per bin.
    case count
    /// Share of the series' binned values per bin (heights sum to 1), for series of
    /// different sizes.
    case fraction
    /// Fraction per unit of x (areas sum to 1), for comparing with a density.
    case density

    var axisLabel: String {
        switch self {
        case .count: return "count"
        case .fraction: return "fraction"
        case .density: return "density"
        }
    }
}

/// Bin edges shared by every series of a histogram, and each series' counts.
public struct HistogramBins: Sendable, Hashable {
    /// k + 1 increasing edges for k bins; bin i is [edges[i], edges[i+1]), the last one closed.
    public let edges: [Double]
    /// counts[series][bin].
    public let counts: [[Int]]
    /// Per series: finite values outside the edges (only with fixed edges or width).
    public let outside: [Int]
    /// Per series: NaN and ±∞ values, which have no bin.
    public let nonFinite: [Int]

    /// Bins `series` (each an array of values) by `binning`.
    /// - Throws: ``PlotError/invalidParameter(name:value:allowed:)`` for a bin count, width or
    ///   edge list outside what ``Binning`` allows.
    /// - Complexity: O(n log k) for n values and k bins.
    public init(_ series: [[Double]], binning: Binning) throws(PlotError) {
        let finite = series.joined().filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        let edges: [Double]
        switch binning {
        case .automatic:
            let target = min(50, max(5, Int((2 * cbrt(Double(finite.count))).rounded(.up))))
            edges = Ticks.linear(covering: low...high, maxCount: target + 1)
        case .count(let count):
            guard (1...10_000).contains(count) else {
                throw .invalidParameter(name: "binning.count", value: "\(count)", allowed: "1 … 10000 bins")
            }
            let (start, end) = low < high ? (low, high) : (low - 0.5, high + 0.5)
            edges = (0...count).map { start + (end - start) * Double($0) / Double(count) }
        case .width(let width):
            let first = (low / width).rounded(.down), last = max((high / width).rounded(.up), first + 1)
            guard width > 0, width.isFinite, last - first <= 10_000 else {
                throw .invalidParameter(
                    name: "binning.width", value: "\(width)",
                    allowed: "a finite width > 0 giving at most 10000 bins")
            }
            edges = stride(from: first, through: last, by: 1).map { $0 * width }
        case .edges(let given):
            guard given.count >= 2, given.allSatisfy(\.isFinite),
                  zip(given, given.dropFirst()).allSatisfy({ $0 < $1 })
            else {
                throw .invalidParameter(
                    name: "binning.edges", value: "\(given.count) edges",
                    allowed: "at least 2 finite, strictly increasing edges")
            }
            edges = given
        }
        var counts: [[Int]] = [], outside: [Int] = [], nonFinite: [Int] = []
        for values in series {
            var binCounts = [Int](repeating: 0, count: edges.count - 1)
            var out = 0, bad = 0
            for value in values {
                guard value.isFinite else { bad += 1; continue }
                guard let bin = Self.bin(of: value, edges: edges) else { out += 1; continue }
                binCounts[bin] += 1
            }
            counts.append(binCounts)
            outside.append(out)
            nonFinite.append(bad)
        }
        self.edges = edges
        self.counts = counts
        self.outside = outside
        self.nonFinite = nonFinite
    }

    /// The bin holding `value` (binary search), or nil outside the edges.
    private static func bin(of value: Double, edges: [Double]) -> Int? {
        guard value >= edges[0], value <= edges[edges.count - 1] else { return nil }
        var low = 0, high = edges.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if value < edges[middle] { high = middle } else { low = middle }
        }
        return low
    }

    /// Bar heights of `series` under `normalization`.
    func heights(_ series: Int, _ normalization: HistogramNormalization) -> [Double] {
        let total = Double(counts[series].reduce(0, +))
        return counts[series].indices.map { bin in
            let count = Double(counts[series][bin])
            switch normalization {
            case .count: return count
            case .fraction: return total > 0 ? count / total : 0
            case .density: return total > 0 ? count / total / (edges[bin + 1] - edges[bin]) : 0
            }
        }
    }
}
