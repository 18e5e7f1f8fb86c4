/// The shape of a trial table and where each of its columns' values lie: one description that
/// allocating a table, writing and reading its bytes, and merging shards all follow.
extension TrialTable {
    /// What fixes a table's size: its range of the run's trials and the model's dimensions.
    public struct Shape: Equatable, Sendable {
        public var range: Range<Int>
        public var runTrials: Int
        public var segments: Int
        public var risks: Int
        public var lines: Int
        /// Months 0…horizon: horizon + 1.
        public var months: Int
        public var bandTrials: Int
        public var periods: Int
        public var recordWidth: Int

        /// Everything but the range: shards of one run share it.
        func sameRun(as other: Shape) -> Bool {
            runTrials == other.runTrials && segments == other.segments && risks == other.risks && lines == other.lines
                && months == other.months && bandTrials == other.bandTrials && periods == other.periods
                && recordWidth == other.recordWidth
        }

        /// The run's band trials that fall into the range.
        var bandRange: Range<Int> { range.lowerBound..<max(range.lowerBound, min(range.upperBound, bandTrials)) }
        /// Blocks of ``Streams/blockSize`` trials the range holds.
        var blockRange: Range<Int> {
            (range.lowerBound / Streams.blockSize)..<((range.upperBound + Streams.blockSize - 1) / Streams.blockSize)
        }

        /// The rows of one kind this shape holds, and the run's index of the first.
        func rows(_ kind: Column.Rows) -> Range<Int> {
            switch kind {
            case .trials: return range
            case .bandTrials: return bandRange
            case .blocks: return blockRange
            }
        }

        /// Values (not bytes) of `column`.
        func count(of column: Column) -> Int { column.groups * rows(column.rows).count * column.width }
        /// Bytes `column` takes in memory and in a table's bytes: never 0, so that every column
        /// has an address (an empty one holds a single zero).
        func bytes(of column: Column) -> Int { max(count(of: column), 1) * column.elementSize }
        /// Every column in order, with its bytes.
        var columns: [(column: Column, bytes: Int)] { Column.all(self).map { ($0, bytes(of: $0)) } }
        /// The bytes of all the columns, in `Double` arithmetic, which cannot overflow whatever
        /// the shape (a damaged file's, or an absurd request's): what ``MemoryBudget`` and the
        /// check of a stored table's size go by.
        var estimatedBytes: Double {
            Column.all(self).reduce(0) { total, column in
                let values = Double(column.groups) * Double(rows(column.rows).count) * Double(column.width)
                return total + max(values, 1) * Double(column.elementSize)
            }
        }
    }

    /// How one column's values are laid out: `groups` runs (one per segment or per risk, else
    /// one) of rows, each row `width` values of `elementSize` bytes.
    struct Column: Sendable {
        /// What the rows of a column are.
        enum Rows: Sendable { case trials, bandTrials, blocks }
        let elementSize: Int
        let rows: Rows
        let width: Int
        let groups: Int

        /// The columns of a table of `shape`, in the order of its bytes (``TrialTable/bytes()``)
        /// and of its stored buffers: npv, pvBenefits, pvCosts, roi, irr, irrKind, payback,
        /// discountedPayback, peakFunding; customersWith, customersWithout, clvWith, clvWithout,
        /// ltvToCac (segment-major); riskOccurred (risk-major); the four band paths; the blocks'
        /// line means, line M2, counts and year means; the recorded rows.
        static func all(_ shape: Shape) -> [Column] {
            let double = Column(elementSize: 8, rows: .trials, width: 1, groups: 1)
            let perSegment = Column(elementSize: 8, rows: .trials, width: 1, groups: shape.segments)
            return [double, double, double, double, double,
                    Column(elementSize: 1, rows: .trials, width: 1, groups: 1),
                    double, double, double,
                    perSegment, perSegment, perSegment, perSegment, perSegment,
                    Column(elementSize: 1, rows: .trials, width: 1, groups: shape.risks),
                    Column(elementSize: 4, rows: .bandTrials, width: shape.months, groups: 1),
                    Column(elementSize: 4, rows: .bandTrials, width: shape.months, groups: 1),
                    Column(elementSize: 4, rows: .bandTrials, width: shape.months * shape.segments, groups: 1),
                    Column(elementSize: 4, rows: .bandTrials, width: shape.months * shape.segments, groups: 1),
                    Column(elementSize: 8, rows: .blocks, width: shape.lines, groups: 1),
                    Column(elementSize: 8, rows: .blocks, width: shape.lines, groups: 1),
                    Column(elementSize: 8, rows: .blocks, width: 1, groups: 1),
                    Column(elementSize: 8, rows: .blocks, width: 2 * shape.periods, groups: 1),
                    Column(elementSize: 8, rows: .trials, width: shape.recordWidth, groups: 1)]
        }

        /// Where a part's values of this column go in the whole's: for each group, `bytes` bytes
        /// from byte `source` of the part's column to byte `target` of the whole's.
        /// - Precondition: `part`'s rows of this kind lie within `whole`'s.
        func placements(of part: Shape, in whole: Shape) -> [(source: Int, target: Int, bytes: Int)] {
            let partRows = part.rows(rows), wholeRows = whole.rows(rows)
            guard !partRows.isEmpty else { return [] }
            let rowBytes = width * elementSize
            let offset = partRows.lowerBound - wholeRows.lowerBound
            return (0..<groups).map { g in
                (g * partRows.count * rowBytes, (g * wholeRows.count + offset) * rowBytes, partRows.count * rowBytes)
            }
        }
    }
}
