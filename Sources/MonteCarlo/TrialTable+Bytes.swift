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
    var rawColumns: [UnsafeMutableRawBufferPointer] {
        [UnsafeMutableRawBufferPointer(npv), .init(pvBenefits), .init(pvCosts), .init(roi), .init(irr), .init(irrKind),
         .init(payback), .init(discountedPayback), .init(peakFunding), .init(customersWith), .init(customersWithout),
         .init(clvWith), .init(clvWithout), .init(ltvToCac), .init(riskOccurred), .init(bandCumulativeCash),
         .init(bandAdoption), .init(bandCustomersWith), .init(bandCustomersWithout), .init(blockLineMean),
         .init(blockLineM2), .init(blockCount), .init(blockYearMean), .init(recorded)]
    }

    private var headerNumbers: [Int] {
        [range.lowerBound, range.upperBound, runTrials, segments, risks, lines, months, bandTrials, periods, recordWidth]
    }

    /// The table as bytes (the same table gives the same bytes).
    public func bytes() -> Data {
        var data = Data(capacity: byteCount)
        _ = writeBytes { data.append(contentsOf: $0); return 0 }
        return data
    }

    /// The size of ``bytes()``.
    public var byteCount: Int { rawColumns.reduce(Self.headerBytes) { $0 + 8 + $1.count } }

    /// Gives ``bytes()`` to `write` piece by piece — the header, then each column's length and
    /// its values where they lie — without copying them into one buffer (a shard of 10⁷ trials
    /// is 2 GB). Stops at the first piece `write` refuses (a nonzero error number) and returns
    /// that number; 0 when all were written.
    public func writeBytes(_ write: (UnsafeRawBufferPointer) -> Int32) -> Int32 {
        var header = Self.magic
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value) { header.append(contentsOf: $0) } }
        append(Self.byteOrderMark)
        for value in headerNumbers { append(Int64(value)) }
        var code = header.withUnsafeBytes { write($0) }
        for column in rawColumns where code == 0 {
            code = withUnsafeBytes(of: UInt64(column.count)) { write($0) }
            if code == 0 { code = write(UnsafeRawBufferPointer(column)) }
        }
        return code
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
        let shape = try shape(header: bytes, totalBytes: bytes.count)
        let table = TrialTable(shape)
        var offset = headerBytes
        for column in table.rawColumns {
            let length = bytes[offset..<(offset + 8)].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            guard length == UInt64(column.count) else { throw .damaged }
            offset += 8
            column.copyBytes(from: bytes[offset..<(offset + column.count)])
            offset += column.count
        }
        return table
    }

    /// Bytes before the first column: magic, byte-order mark and the ten numbers of the shape.
    static let headerBytes = 8 + 8 + 80

    /// The shape in the first ``headerBytes`` of a table's bytes (or more), checked against the
    /// size of the whole, `totalBytes`: every column must fit exactly.
    static func shape(header bytes: [UInt8], totalBytes: Int) throws(BytesError) -> Shape {
        guard bytes.count >= headerBytes, totalBytes >= headerBytes, Array(bytes[0..<8]) == magic else { throw .notATable }
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
        let shape = Shape(range: s[0]..<s[1], runTrials: s[2], segments: s[3], risks: s[4], lines: s[5], months: s[6],
                          bandTrials: s[7], periods: s[8], recordWidth: s[9])
        // The size the shape implies, first in Double arithmetic (which cannot overflow for any
        // shape that passed the checks above), then exactly.
        let columns = Column.all(shape)
        let estimate = Double(headerBytes) + 8 * Double(columns.count) + shape.estimatedBytes
        guard estimate <= Double(totalBytes) + 1,
              columns.reduce(headerBytes, { $0 + 8 + shape.bytes(of: $1) }) == totalBytes else { throw .damaged }
        return shape
    }

    /// A table's bytes in a file (a shard's), known by its shape and where each column starts,
    /// and read only when merged (``TrialTable/merged(files:scratchDirectory:threads:observe:)``): a shard of
    /// 10⁷ trials is 2 GB.
    public struct StoredTable: Sendable {
        public let path: String
        public let shape: Shape
        /// Byte offset in the file of each column's first value, in column order.
        let columnOffsets: [Int]

        /// Reads the shape of the table in the file at `path` and checks that its columns add
        /// up to the file's size; nil when the file cannot be read.
        public static func open(_ path: String) throws(BytesError) -> StoredTable? {
            guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
            defer { try? handle.close() }
            guard let end = try? handle.seekToEnd(), (try? handle.seek(toOffset: 0)) != nil,
                  let header = try? handle.read(upToCount: headerBytes) else { return nil }
            let shape = try TrialTable.shape(header: [UInt8](header), totalBytes: Int(end))
            var offsets: [Int] = []
            var offset = headerBytes
            for (_, bytes) in shape.columns {
                guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
                      let field = try? handle.read(upToCount: 8), field.count == 8 else { return nil }
                guard field.withUnsafeBytes({ $0.loadUnaligned(as: UInt64.self) }) == UInt64(bytes) else { throw .damaged }
                offsets.append(offset + 8)
                offset += 8 + bytes
            }
            return StoredTable(path: path, shape: shape, columnOffsets: offsets)
        }
    }
}
