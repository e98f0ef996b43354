#if canImport(Glibc)
import Glibc
#endif

/// Memory checked before it is allocated: a size computed with overflow-checked arithmetic
/// is compared with what the machine has available (`MemAvailable` in /proc/meminfo, else
/// the physical memory), and a size that does not fit is refused with one line naming what
/// asked for it, instead of an allocation that aborts the process or wakes the OOM killer.
///
/// ```swift
/// let bytes = MemoryBudget.product(parameterCount, 4, 6)      // nil when it overflows
/// try MemoryBudget.require(bytes, for: "--hidden 100000000")
/// // --hidden 100000000: needs 1.9 TB of memory; this machine has 23.3 GB available
/// ```
public enum MemoryBudget {
    /// The bytes the machine can give without swapping: `MemAvailable` from /proc/meminfo,
    /// or the physical memory where that cannot be read.
    public static func availableBytes() -> Int {
        meminfoAvailableBytes() ?? physicalBytes()
    }

    /// The product of `factors`, or nil when it overflows `Int` or a factor is negative.
    public static func product(_ factors: Int...) -> Int? { product(factors) }

    /// The product of `factors`, left to right, or nil when it overflows `Int` or a factor
    /// is negative.
    public static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            result = next
        }
        return result
    }

    /// The sum of `terms`, or nil when a term is nil (an overflow upstream) or the sum
    /// overflows `Int`.
    public static func sum(_ terms: Int?...) -> Int? {
        var result = 0
        for term in terms {
            guard let term else { return nil }
            let (next, overflow) = result.addingReportingOverflow(term)
            guard !overflow else { return nil }
            result = next
        }
        return result
    }

    /// Refuses `bytes` (nil: a size that overflowed) when it exceeds ``availableBytes()``.
    /// - Parameter subject: what asks for the memory, as the user wrote it: a flag and its
    ///   value, or a file and the field.
    /// - Throws: ``MemoryError``.
    public static func require(_ bytes: Int?, for subject: String) throws(MemoryError) {
        let available = availableBytes()
        guard let bytes, bytes <= available else {
            throw MemoryError(subject: subject, neededBytes: bytes, availableBytes: available)
        }
    }

    /// `1.6 TB`, `318.2 GB`, `512 kB`, `12 bytes`: decimal units, one decimal (none when
    /// it is 0).
    public static func text(bytes: Int) -> String {
        let units = ["kB", "MB", "GB", "TB", "PB", "EB"]
        guard bytes >= 1000 else { return "\(bytes) bytes" }
        var value = Double(bytes), unit = -1
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        let tenths = (value * 10).rounded()
        let number = tenths.truncatingRemainder(dividingBy: 10) == 0
            ? "\(Int(tenths / 10))" : "\(Int(tenths / 10)).\(Int(tenths.truncatingRemainder(dividingBy: 10)))"
        return "\(number) \(units[unit])"
    }

    private static func meminfoAvailableBytes() -> Int? {
        let descriptor = open("/proc/meminfo", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: 16384)
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return product(kilobytes, 1024)
    }

    private static func physicalBytes() -> Int {
        product(sysconf(Int32(_SC_PHYS_PAGES)), sysconf(Int32(_SC_PAGESIZE))) ?? Int.max
    }
}

/// A computation asked for more memory than the machine has available.
public struct MemoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What asked for it: a flag and its value, or a file and the field.
    public let subject: String
    /// The bytes needed; nil when the size overflowed 64 bits.
    public let neededBytes: Int?
    /// The bytes available when it was checked.
    public let availableBytes: Int

    public init(subject: String, neededBytes: Int?, availableBytes: Int) {
        self.subject = subject
        self.neededBytes = neededBytes
        self.availableBytes = availableBytes
    }

    public var description: String {
        let needed = neededBytes.map(MemoryBudget.text(bytes:)) ?? "more than 9.2 EB"
        return "\(subject): needs \(needed) of memory; this machine has "
            + "\(MemoryBudget.text(bytes: availableBytes)) available"
    }
}
