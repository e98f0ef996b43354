import Experiments

extension ResultTable {
    /// The table as aligned text for a terminal: title, header, rule, rows.
    var text: String {
        let all = [columns] + rows
        let widths = columns.indices.map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                cell.padded(to: widths[index], alignedRight: index > 0)
            }.joined(separator: "  ")
        }
        return ([title, line(columns), String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
            + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    /// The text with `fill` after it (before it when `alignedRight`) up to `width`
    /// characters; a text as long or longer is kept as it is.
    func padded(to width: Int, alignedRight: Bool = false, with fill: Character = " ") -> String {
        let padding = String(repeating: fill, count: Swift.max(0, width - count))
        return alignedRight ? padding + self : self + padding
    }
}
