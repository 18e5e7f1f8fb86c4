import Dispatch
import Foundation
import Synchronization

/// Shards of a run and their merge: tables of block-aligned ranges of trials put back together
/// in trial order, column by column (``TrialTable/Column/placements(of:in:)``), so that the
/// merged table is exactly the table one run of their union gives.
extension TrialTable {
    /// The trials of shard `shard` (0-based) of `shards` for a run of `trials` trials: the run's
    /// blocks of ``Streams/blockSize`` trials split as evenly as whole blocks allow, in order.
    /// Shards tile `0..<trials` with no gap or overlap; a shard may be empty when there are
    /// more shards than blocks.
    /// - Precondition: `0 ≤ shard < shards`, `trials ≥ 0`.
    public static func blockAlignedRange(shard: Int, of shards: Int, trials: Int) -> Range<Int> {
        precondition(shards >= 1 && (0..<shards).contains(shard) && trials >= 0)
        let blocks = (trials + Streams.blockSize - 1) / Streams.blockSize
        // shard·blocks ≤ 2⁶³ for any run crmcase allows (≤ 10⁹ trials, shards ≤ blocks + …).
        let firstBlock = shard * blocks / shards
        let endBlock = (shard + 1) * blocks / shards
        return min(trials, firstBlock * Streams.blockSize)..<min(trials, endBlock * Streams.blockSize)
    }

    /// Why tables cannot be merged, as a sentence.
    public enum MergeError: Error, Equatable, Sendable, CustomStringConvertible {
        case nothingToMerge
        /// Tables of different scenarios or settings (their shapes differ).
        case differentShapes
        /// Trials `gap` are in no table.
        case gap(Range<Int>)
        /// Trials from `overlapStart` are in two tables.
        case overlap(at: Int)
        /// The merged table has no room (its scratch file), or a shard's file could not be read.
        case storage(String)

        public var description: String {
            switch self {
            case .nothingToMerge: return "There are no trial tables to merge."
            case .differentShapes:
                return "The trial tables come from different runs (their trial counts, segments, risks or horizons differ)."
            case .gap(let gap): return "Trials \(gap.lowerBound) to \(gap.upperBound - 1) are in none of the tables."
            case .overlap(let at): return "Trial \(at) is in more than one table."
            case .storage(let sentence): return sentence
            }
        }
    }

    /// The shapes, in any order, checked to be parts of one run that tile a range of its trials:
    /// their indices in trial order (empty parts left out) and the shape of their union.
    static func tiling(_ shapes: [Shape]) throws(MergeError) -> (order: [Int], whole: Shape) {
        guard let head = shapes.first else { throw .nothingToMerge }
        guard shapes.allSatisfy({ $0.sameRun(as: head) }) else { throw .differentShapes }
        let order = shapes.indices.filter { !shapes[$0].range.isEmpty }.sorted { shapes[$0].range.lowerBound < shapes[$1].range.lowerBound }
        guard let first = order.first, let last = order.last else { return ([], head) }
        var end = shapes[first].range.lowerBound
        for i in order {
            let range = shapes[i].range
            if range.lowerBound > end { throw .gap(end..<range.lowerBound) }
            if range.lowerBound < end { throw .overlap(at: range.lowerBound) }
            end = range.upperBound
        }
        var whole = head
        whole.range = shapes[first].range.lowerBound..<shapes[last].range.upperBound
        return (order, whole)
    }

    /// The tables, in any order, as one table in trial order: exactly the table one run of
    /// their union gives (the columns concatenated; nothing is recomputed). In memory.
    public static func merged(_ tables: [TrialTable]) throws(MergeError) -> TrialTable {
        let (order, whole) = try tiling(tables.map(\.shape))
        if order.isEmpty { return tables[0] }
        if order.count == 1 { return tables[order[0]] }
        let out = TrialTable(whole)
        let targets = out.rawColumns
        for i in order {
            let part = tables[i]
            for (c, (column, source)) in zip(Column.all(whole), part.rawColumns).enumerated() {
                for p in column.placements(of: part.shape, in: whole) {
                    (targets[c].baseAddress! + p.target).copyMemory(from: source.baseAddress! + p.source, byteCount: p.bytes)
                }
            }
        }
        return out
    }

    /// The tables stored in `files` (shards, in any order), as one table in trial order — the
    /// same table as ``merged(_:)`` of them read into memory, but kept in a scratch file in
    /// `scratchDirectory` (``ScratchMapping``) and filled straight from the files, so that a run
    /// larger than memory merges: what is resident at any time is what the kernel chooses to
    /// keep of the mapping, and it gives that back when memory is short.
    ///
    /// Each file is read once, front to back, by one of up to `threads` workers (files in
    /// parallel: they fill disjoint parts of the table). `observe`, if given, is called with
    /// every byte of file i in order — its header, then each column's length and values, the
    /// values from where they now lie in the table — so that a checksum of exactly the bytes
    /// merged is taken in the same pass (no second read, and no window in which the file could
    /// change between a check and the merge). Calls for one file come from one worker at a time;
    /// calls for different files may be concurrent.
    public static func merged(files: [StoredTable], scratchDirectory: String, threads: Int = 1,
                              observe: (@Sendable (_ file: Int, _ bytes: UnsafeRawBufferPointer) -> Void)? = nil) throws(MergeError) -> TrialTable {
        let (order, whole) = try tiling(files.map(\.shape))
        let out: TrialTable
        do { out = try inScratchFile(whole, directory: scratchDirectory) } catch { throw .storage(error.description) }
        let targets = out.rawColumns.map { UnsafeMutableRawBufferPointerBox($0) }
        let failures = Mutex<[Int: MergeError]>([:])
        let next = Atomic<Int>(0)
        // Set at the first failure: the other workers take no further file (the merge fails).
        let stopped = Atomic<Bool>(false)
        let workers = max(1, min(threads, files.count))
        // Every file, empty ones too: they hold no trials but still have bytes to check.
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while !stopped.load(ordering: .relaxed) {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < files.count else { return }
                do throws(MergeError) {
                    try read(files[i], into: targets, whole: whole, placed: order.contains(i)) { observe?(i, $0) }
                } catch {
                    failures.withLock { $0[i] = error }
                    stopped.store(true, ordering: .relaxed)
                    return
                }
            }
        }
        if let (_, error) = failures.withLock({ $0 }).min(by: { $0.key < $1.key }) { throw error }
        return out
    }

    /// Reads `file` front to back: its header (checked to be the shape it had when opened), and
    /// each column's length and values, the values into their place in `targets` (the merged
    /// table of shape `whole`) unless the file holds no trials (`placed` false).
    private static func read(_ file: StoredTable, into targets: [UnsafeMutableRawBufferPointerBox], whole: Shape, placed: Bool,
                             observe: (UnsafeRawBufferPointer) -> Void) throws(MergeError) {
        let descriptor = Foundation.open(file.path, O_RDONLY)
        guard descriptor >= 0 else {
            throw .storage("\(file.path) could not be opened (\(String(cString: strerror(errno)))).")
        }
        defer { close(descriptor) }
        // Reads `count` bytes at `offset` into `buffer`, 64 MB per call at most (the kernel's
        // own limit is about 2 GB), and shows them to `observe`.
        func readFully(_ buffer: UnsafeMutableRawPointer, _ count: Int, at offset: Int) throws(MergeError) {
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer + done, min(count - done, 1 << 26), off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else {
                    throw .storage("\(file.path) could not be read to its end (\(got < 0 ? String(cString: strerror(errno)) : "it is shorter than its columns")).")
                }
                done += got
            }
            observe(UnsafeRawBufferPointer(start: buffer, count: count))
        }
        let changed = MergeError.storage("\(file.path) changed while it was being merged.")
        // The header, each length field and an empty column's placeholder are read here.
        let small = UnsafeMutableRawPointer.allocate(byteCount: headerBytes, alignment: 8)
        defer { small.deallocate() }
        try readFully(small, headerBytes, at: 0)
        let header = [UInt8](UnsafeRawBufferPointer(start: small, count: headerBytes))
        let size = lseek(descriptor, 0, SEEK_END)
        guard let shape = try? TrialTable.shape(header: header, totalBytes: Int(size)), shape == file.shape else { throw changed }
        for (c, column) in Column.all(whole).enumerated() {
            try readFully(small, 8, at: file.columnOffsets[c] - 8)
            let bytes = shape.bytes(of: column)
            guard small.loadUnaligned(as: UInt64.self) == UInt64(bytes) else { throw changed }
            let placements = placed ? column.placements(of: shape, in: whole) : []
            // The placements of a column follow one another in the file and cover it, unless it
            // is empty (one placeholder value, which has no place in the merged table).
            let placedBytes = placements.reduce(0) { $0 + $1.bytes }
            if placedBytes == 0 {
                // At most one value of 8 bytes (``Shape/bytes(of:)``).
                guard bytes <= headerBytes else { throw changed }
                try readFully(small, bytes, at: file.columnOffsets[c])
                continue
            }
            guard placedBytes == bytes else { throw changed }
            for p in placements {
                try readFully(targets[c].base + p.target, p.bytes, at: file.columnOffsets[c] + p.source)
            }
        }
    }
}

/// A column of the merged table, to be filled by several workers at disjoint places.
private struct UnsafeMutableRawBufferPointerBox: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    init(_ buffer: UnsafeMutableRawBufferPointer) { base = buffer.baseAddress! }
}
