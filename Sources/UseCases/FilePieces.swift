import Foundation

/// A file's bytes given piece by piece, so that a large file — a shard's trial table, gigabytes —
/// is written from where its pieces already lie instead of being copied into one buffer first.
public struct FilePieces: @unchecked Sendable {
    /// Calls `write` with each piece in order and stops at the first piece it refuses (a
    /// nonzero error number), which it returns; 0 when every piece was written.
    let emit: (_ write: (UnsafeRawBufferPointer) -> Int32) -> Int32

    public init(_ emit: @escaping (_ write: (UnsafeRawBufferPointer) -> Int32) -> Int32) {
        self.emit = emit
    }

    /// All of `data`, as one piece.
    public init(_ data: Data) {
        self.emit = { write in data.withUnsafeBytes { write($0) } }
    }

    /// Writes every piece to the open file `fd`; 0 or the error number.
    func write(to fd: Int32) -> Int32 {
        emit { Staging.writeAll(fd, $0) }
    }
}
