import CRMModel
import Foundation

/// A trial table as bytes, for a shard of a run written by one job and merged by another.
///
/// The layout: the 8-byte magic `CRMTBL01`, the byte-order mark 0x0102030405060708 as a
/// `UInt64`, the shape (range start and end, run trials, segments, risks, lines, months, band
/// trials, periods, record width: ten `Int64`s), then every column in a fixed order, each as its
/// length in bytes (`UInt64`) and its values as they lie in memory. A file from a machine with
/// another byte order, another layout version or another shape is refused, never misread.
extension TrialTable {
    static let magic = Array("CRMTBL01".utf8)
    static let byteOrderMark: UInt64 = 0x0102_0304_0506_0708

    /// Every column, in file order, as raw bytes.
    private var columns: [UnsafeMutableRawBufferPointer] {
        [UnsafeMutableRawBufferPointer(npv), .init(pvBenefits), .init(pvCosts), .init(roi), .init(irr), .init(irrKind),
         .init(payback), .init(discountedPayback), .init(peakFunding), .init(customersWith), .init(customersWithout),
         .init(clvWith), .init(clvWithout), .init(ltvToCac), .init(riskOccurred), .init(bandCumulativeCash),
         .init(bandAdoption), .init(bandCustomersWith), .init(bandCustomersWithout), .init(blockLineMean),
         .init(blockLineM2), .init(blockCount), .init(blockYearMean), .init(recorded)]
    }

    private var shape: [Int] {
        [range.lowerBound, range.upperBound, runTrials, segments, risks, lines, months, bandTrials, periods, recordWidth]
    }

    /// The table as bytes (the same table gives the same bytes).
    public func bytes() -> Data {
        var data = Data(Self.magic)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        append(Self.byteOrderMark)
        for value in shape { append(Int64(value)) }
        for column in columns {
            append(UInt64(column.count))
            data.append(contentsOf: column)
        }
        return data
    }

    /// Why bytes are not a trial table.
    public enum BytesError: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not a crmcase trial table, or one of another layout version.
        case notATable
        /// Written on a machine with the other byte order.
        case otherByteOrder
        /// Cut short or padded: the columns do not add up to the bytes.
        case damaged

        public var description: String {
            switch self {
            case .notATable: return "This is not a trial table of this version of crmcase."
            case .otherByteOrder: return "This trial table was written on a machine with another byte order."
            case .damaged: return "This trial table is incomplete or damaged (its columns do not add up to its size)."
            }
        }
    }

    /// The table whose ``bytes()`` these are.
    public static func fromBytes(_ data: Data) throws(BytesError) -> TrialTable {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 + 8 + 80, Array(bytes[0..<8]) == magic else { throw .notATable }
        var offset = 8
        func read<T: FixedWidthInteger>(_: T.Type) -> T {
            var value = T.zero
            withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes[offset..<(offset + MemoryLayout<T>.size)]) }
            offset += MemoryLayout<T>.size
            return value
        }
        guard read(UInt64.self) == byteOrderMark else { throw .otherByteOrder }
        let s = (0..<10).map { _ in Int(read(Int64.self)) }
        guard s[0] >= 0, s[0] <= s[1], s[1] <= s[2], s[2] <= CRMModel.Limits.trials, s[0] % Streams.blockSize == 0,
              s[3...].allSatisfy({ $0 >= 0 && $0 <= 100_000 }), s[7] <= s[2] else { throw .damaged }
        // Refuse a shape the bytes cannot hold before allocating for it (in Double arithmetic, which
        // cannot overflow here): the rows, band rows and blocks the shape implies.
        let n = Double(s[1] - s[0]), segments = Double(s[3]), months = Double(s[6])
        let bandRows = Double(max(0, min(s[1], s[7]) - s[0]))
        let rowBytes = n * (8 * 8 + 1 + 5 * 8 * segments + Double(s[4]) + 8 * Double(s[9]))
        let bandBytes = bandRows * months * (2 + 2 * segments) * 4
        let blocks = Double((s[1] + Streams.blockSize - 1) / Streams.blockSize - s[0] / Streams.blockSize)
        let blockBytes = blocks * (16 * Double(s[5]) + 8 + 16 * Double(s[8]))
        guard rowBytes + bandBytes + blockBytes <= Double(bytes.count) else { throw .damaged }
        let table = TrialTable(range: s[0]..<s[1], runTrials: s[2], segments: s[3], risks: s[4], lines: s[5], months: s[6],
                               bandTrials: s[7], periods: s[8], recordWidth: s[9])
        for column in table.columns {
            guard offset + 8 <= bytes.count else { throw .damaged }
            let length = read(UInt64.self)
            guard length == UInt64(column.count), offset + column.count <= bytes.count else { throw .damaged }
            column.copyBytes(from: bytes[offset..<(offset + column.count)])
            offset += column.count
        }
        guard offset == bytes.count else { throw .damaged }
        return table
    }
}
