import Foundation

/// Zero-filled memory of the machine's own, mapped from the kernel (an anonymous private
/// mapping) rather than allocated and then cleared: the kernel hands out pages of zeros when
/// they are first written, so a trial table's columns cost nothing until the workers fill
/// them, on every core at once, where clearing them first held up a run of 100,000 trials
/// about 30 ms (60 MB, one thread) before any trial could start. Pages never written (a column a run leaves
/// at zero) read as zeros without being allocated. Owns the mapping.
struct ZeroPages: ~Copyable {
    /// The first byte; page-aligned.
    let base: UnsafeMutableRawPointer
    /// Bytes mapped.
    let size: Int

    /// A mapping of `size` bytes (at least 1) of zeros.
    ///
    /// Memory the kernel refuses is fatal, as a failed allocation is in Swift. Pages are
    /// committed as they are first written, so memory the machine turns out not to have would
    /// show during the run (the kernel's out-of-memory handling), not here: what prevents that
    /// is the check of a run's needs against the memory available before its table is made
    /// (``MemoryBudget``, and `MemoryCheck` in the use cases).
    init(size requested: Int) {
        let size = max(requested, 1)
        guard let base = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              base != MAP_FAILED else {
            fatalError("No memory for \(size) bytes of zero pages (\(String(cString: strerror(errno)))).")
        }
        self.base = base
        self.size = size
    }

    deinit {
        munmap(base, size)
    }
}
