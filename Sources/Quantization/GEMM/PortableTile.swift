/// The portable twins of the C tiles: the same packed layouts, the same wrapping int32 sums,
/// in Swift SIMD. Each 32-bit lane of a weight vector holds one unit's group (two int16 or four
/// int8, little-endian); shifts sign-extend each part without shuffles.
enum PortableTile {
    /// `tile[r][16p + c] = Σ_t Σ_i rows[t][r][i] · weights[p][t][c][i]`, i over a pair.
    static func multiplyPairs(
        packedRows: UnsafeBufferPointer<Int16>, packedWeights: UnsafeBufferPointer<Int16>,
        tile: UnsafeMutableBufferPointer<Int32>, pairs: Int, panels: Int
    ) {
        for panel in 0..<panels {
            var weights = UnsafeRawPointer(packedWeights.baseAddress! + panel * pairs * 32)
            var x = packedRows.baseAddress!
            var sums = Sums()
            for _ in 0..<pairs {
                let lanes = weights.loadUnaligned(as: SIMD16<Int32>.self)
                let w0 = (lanes &<< 16) &>> 16, w1 = lanes &>> 16
                // x holds (row r, k) at 2r and (row r, k+1) at 2r+1, for rows 0...5.
                sums.add(row: 0, Int32(x[0]) &* w0 &+ Int32(x[1]) &* w1)
                sums.add(row: 1, Int32(x[2]) &* w0 &+ Int32(x[3]) &* w1)
                sums.add(row: 2, Int32(x[4]) &* w0 &+ Int32(x[5]) &* w1)
                sums.add(row: 3, Int32(x[6]) &* w0 &+ Int32(x[7]) &* w1)
                sums.add(row: 4, Int32(x[8]) &* w0 &+ Int32(x[9]) &* w1)
                sums.add(row: 5, Int32(x[10]) &* w0 &+ Int32(x[11]) &* w1)
                weights += 64
                x += 12
            }
            sums.store(into: tile.baseAddress! + panel * 16, stride: panels * 16)
        }
    }

    /// `tile[r][16p + c] = Σ_t Σ_i rows[t][r][i] · weights[p][t][c][i]`, i over a quad.
    static func multiplyQuads(
        packedRows: UnsafeBufferPointer<UInt8>, packedWeights: UnsafeBufferPointer<Int8>,
        tile: UnsafeMutableBufferPointer<Int32>, quads: Int, panels: Int
    ) {
        for panel in 0..<panels {
            var weights = UnsafeRawPointer(packedWeights.baseAddress! + panel * quads * 64)
            var x = packedRows.baseAddress!
            var sums = Sums()
            for _ in 0..<quads {
                let lanes = weights.loadUnaligned(as: SIMD16<Int32>.self)
                let w0 = (lanes &<< 24) &>> 24, w1 = (lanes &<< 16) &>> 24
                let w2 = (lanes &<< 8) &>> 24, w3 = lanes &>> 24
                for row in 0..<6 {
                    let codes = x + 4 * row
                    sums.add(
                        row: row,
                        Int32(codes[0]) &* w0 &+ Int32(codes[1]) &* w1
                            &+ Int32(codes[2]) &* w2 &+ Int32(codes[3]) &* w3)
                }
                weights += 64
                x += 24
            }
            sums.store(into: tile.baseAddress! + panel * 16, stride: panels * 16)
        }
    }

    /// Six rows of 16 int32 sums.
    private struct Sums {
        var rows = (
            SIMD16<Int32>(), SIMD16<Int32>(), SIMD16<Int32>(),
            SIMD16<Int32>(), SIMD16<Int32>(), SIMD16<Int32>()
        )

        @inline(__always)
        mutating func add(row: Int, _ products: SIMD16<Int32>) {
            switch row {
            case 0: rows.0 &+= products
            case 1: rows.1 &+= products
            case 2: rows.2 &+= products
            case 3: rows.3 &+= products
            case 4: rows.4 &+= products
            default: rows.5 &+= products
            }
        }

        func store(into out: UnsafeMutablePointer<Int32>, stride: Int) {
            func put(_ sums: SIMD16<Int32>, row: Int) {
                UnsafeMutableRawPointer(out + row * stride).storeBytes(of: sums, as: SIMD16<Int32>.self)
            }
            put(rows.0, row: 0)
            put(rows.1, row: 1)
            put(rows.2, row: 2)
            put(rows.3, row: 3)
            put(rows.4, row: 4)
            put(rows.5, row: 5)
        }
    }
}
