import Foundation

/// Zero-filled memory backed by a scratch file on disk instead of the machine's memory: the
/// kernel pages it in as it is read and out again when memory runs short, so a table larger
/// than memory (the merge of a 10⁸-trial run, about 20 GB) can still be summarised.
///
/// The file is made in `directory` and unlinked at once, so it disappears when the mapping is
/// closed, or when the process ends however it ends; its blocks are reserved up front
/// (`posix_fallocate`), so a full disk is a sentence here rather than a crash (SIGBUS) at the
/// first page written that has no room. Owns the file descriptor and the mapping.
struct ScratchMapping: ~Copyable {
    /// The first byte; 64-byte (in fact page-) aligned.
    let base: UnsafeMutableRawPointer
    /// Bytes mapped.
    let size: Int
    private let descriptor: Int32

    /// Why there is no scratch mapping.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A mapping of `size` bytes (at least 1) of zeros, backed by a file in `directory`.
    init(size requested: Int, directory: String) throws(Failure) {
        let size = max(requested, 1)
        var template = Array((directory as NSString).appendingPathComponent("crmcase-merge-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw Failure(description: "No scratch file for the merged trial table could be made in \(directory) (\(String(cString: strerror(errno)))).")
        }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        unlink(path)
        #if os(Linux)
        let reserved = posix_fallocate(descriptor, 0, off_t(size))
        #else
        // No posix_fallocate elsewhere: the file is only sized, so a full disk shows at the
        // first page written that has no room.
        let reserved = ftruncate(descriptor, off_t(size)) == 0 ? 0 : errno
        #endif
        guard reserved == 0 else {
            close(descriptor)
            let gigabytes = String(format: "%.1f", Double(size) / 1e9)
            throw Failure(description: "There is no room for the merged trial table (\(gigabytes) GB) in \(directory) (\(String(cString: strerror(reserved)))); it needs about as much free space as the shards take.")
        }
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), base != MAP_FAILED else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(description: "The scratch file for the merged trial table could not be mapped (\(reason)).")
        }
        self.base = base
        self.size = size
        self.descriptor = descriptor
    }

    deinit {
        munmap(base, size)
        close(descriptor)
    }
}
