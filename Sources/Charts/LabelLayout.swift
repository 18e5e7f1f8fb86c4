/// Places labels along one axis so that they never overlap and stay as near as possible to
/// where they want to be (e.g. the end labels of lines).
public enum LabelLayout {
    /// Centres for labels of `height` px that want to sit at `desired` (px, same order as
    /// given), at least `height` apart, inside `range` when they fit in it.
    ///
    /// Labels keep their order. Overlapping labels are merged into a block centred on the mean
    /// of what its members want (this minimises the squared displacement), then blocks are
    /// pushed inside `range`. When `range` is too short for all of them they run past its end
    /// rather than overlap. Not-finite wishes count as the middle of the range.
    public static func spread(_ desired: [Double], height: Double, within range: ClosedRange<Double>) -> [Double] {
        guard !desired.isEmpty else { return [] }
        let h = max(0, height)
        let middle = (range.lowerBound + range.upperBound) / 2
        let wish = desired.map { $0.isFinite ? $0 : middle }
        // Stable order by wish.
        let order = wish.indices.sorted { (wish[$0], $0) < (wish[$1], $1) }

        // Blocks of consecutive labels (in sorted order): first index, count, top centre.
        var blocks: [(first: Int, count: Int, top: Double)] = []
        for (k, _) in order.enumerated() {
            blocks.append((k, 1, wish[order[k]]))
            while blocks.count > 1 {
                let b = blocks[blocks.count - 1], a = blocks[blocks.count - 2]
                guard a.top + Double(a.count) * h > b.top else { break }
                let first = a.first, count = a.count + b.count
                var sum = 0.0
                for j in 0..<count { sum += wish[order[first + j]] - Double(j) * h }
                blocks.removeLast(2)
                blocks.append((first, count, sum / Double(count)))
            }
        }
        var placed = [Double](repeating: 0, count: wish.count)
        for b in blocks {
            for j in 0..<b.count { placed[b.first + j] = b.top + Double(j) * h }
        }
        // Into the range: down from the top, then up from the bottom (which wins on overflow,
        // keeping labels apart).
        for k in placed.indices {
            placed[k] = max(placed[k], k == 0 ? range.lowerBound : placed[k - 1] + h)
        }
        for k in placed.indices.reversed() {
            placed[k] = min(placed[k], k == placed.count - 1 ? range.upperBound : placed[k + 1] - h)
        }
        var result = [Double](repeating: 0, count: wish.count)
        for (k, i) in order.enumerated() { result[i] = placed[k] }
        return result
    }
}
