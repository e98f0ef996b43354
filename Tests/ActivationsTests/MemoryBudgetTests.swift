import Activations
import Foundation
import Runtime
import Testing

/// `MemoryBudget`: overflow-checked sizes, the check against the memory available, and the
/// one-line message.
@Suite struct MemoryBudgetTests {
    @Test func productsAndSumsReportOverflowAsNil() {
        #expect(MemoryBudget.product(3, 5, 7) == 105)
        #expect(MemoryBudget.product() == 1)
        #expect(MemoryBudget.product(Int.max, 1) == Int.max)
        #expect(MemoryBudget.product(Int.max, 2) == nil)
        #expect(MemoryBudget.product(1 << 32, 1 << 31) == nil)
        #expect(MemoryBudget.product(4, -1) == nil)
        #expect(MemoryBudget.sum(1, 2, 3) == 6)
        #expect(MemoryBudget.sum(Int.max, 0) == Int.max)
        #expect(MemoryBudget.sum(Int.max, 1) == nil)
        #expect(MemoryBudget.sum(1, nil, 2) == nil)
    }

    /// MemAvailable read independently here; the budget must agree within what the system
    /// freed or used between the two reads (a generous 1 GiB).
    @Test func availableMemoryIsMemAvailable() throws {
        let text = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("MemAvailable:") })
        let kilobytes = try #require(Int(line.split(separator: " ")[1]))
        #expect(abs(MemoryBudget.availableBytes() - kilobytes * 1024) < 1 << 30)
    }

    @Test func sizesThatFitPassAndOthersAreRefusedNamingTheSubject() throws {
        try MemoryBudget.require(1024, for: "--small")
        // Far above what is available: other tests free memory between this read and the
        // budget's own, so one byte more than this read could fit by then.
        let available = MemoryBudget.availableBytes()
        for bytes in [available + (1 << 40), Int.max, nil] as [Int?] {
            let error = #expect(throws: MemoryError.self) { try MemoryBudget.require(bytes, for: "--hidden 100000000") }
            #expect(error?.neededBytes == bytes)
            #expect(error?.availableBytes ?? 0 > 0)
            let message = error?.description ?? ""
            #expect(message.hasPrefix("--hidden 100000000: needs "), "\(message)")
            #expect(message.contains(" of memory; this machine has ") && message.hasSuffix(" available"), "\(message)")
        }
        let overflow = MemoryError(subject: "--units 9", neededBytes: nil, availableBytes: 2_000_000_000)
        #expect(overflow.description == "--units 9: needs more than 9.2 EB of memory; this machine has 2 GB available")
    }

    @Test(arguments: [
        (0, "0 bytes"), (999, "999 bytes"), (1000, "1 kB"), (1550, "1.6 kB"), (23_900_000_000, "23.9 GB"),
        (1_900_000_000_000, "1.9 TB"), (318_200_000_000, "318.2 GB"), (Int.max, "9.2 EB"),
    ])
    func byteCountsReadAsDecimalUnits(bytes: Int, text: String) {
        #expect(MemoryBudget.text(bytes: bytes) == text)
    }
}
