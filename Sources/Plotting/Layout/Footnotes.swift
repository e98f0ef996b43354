/// The footnotes that say what data a chart could not show, so a gap is never silent.
enum Footnotes {
    static func hidden(infinite: Int, nonPositiveX: Int, nonPositiveY: Int, noun: String = "point")
        -> [String]
    {
        var notes: [String] = []
        if infinite > 0 {
            notes.append("\(count(infinite, noun)) with infinite values not shown")
        }
        if nonPositiveX > 0 {
            notes.append("\(count(nonPositiveX, noun)) with x ≤ 0 not shown on the logarithmic x axis")
        }
        if nonPositiveY > 0 {
            notes.append("\(count(nonPositiveY, noun)) with y ≤ 0 not shown on the logarithmic y axis")
        }
        return notes
    }

    /// What the triangles at the top edge mean, for `count` diverged runs (none: no note).
    static func diverged(_ count: Int) -> [String] {
        count == 0 ? [] : ["▲ at the top edge: \(Self.count(count, "run")) that diverged (off the scale)"]
    }

    /// "1 point", "3 points".
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
