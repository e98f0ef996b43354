#if canImport(Glibc)
import Glibc
#endif

/// Small summaries over seeds.
enum LeakyUnitsStatistics {
    /// Four significant digits, C's `%.4g` ("0.01234", "1.2e-15", "7.8e+14").
    static func format(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.4g", $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
