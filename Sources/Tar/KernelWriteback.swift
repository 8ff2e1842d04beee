#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Asks Linux to start writing a file's dirty pages to disk now, without waiting. A file that
/// will be fsynced anyway then reaches the disk while the rest is still being written, so the
/// final fsync only waits for the tail instead of the whole file (the disk, not the copy, is
/// what bounds a durable export). sync_file_range is, like copy_file_range, hidden from Swift's
/// Glibc module behind _GNU_SOURCE, hence the run-time lookup.
enum KernelWriteback {
    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32

    #if os(Linux)
        private static let syncFileRange: SyncFileRange? = {
            guard let library = dlopen(nil, RTLD_NOW), let symbol = dlsym(library, "sync_file_range") else {
                return nil
            }
            return unsafeBitCast(symbol, to: SyncFileRange.self)
        }()
        /// SYNC_FILE_RANGE_WRITE: submit the range's dirty pages, return without waiting for them.
        private static let startWrite: UInt32 = 2
    #endif

    /// A hint only: failures are ignored, since fsync still decides durability.
    static func start(_ descriptor: Int32, range: Range<Int64>) {
        #if os(Linux)
            _ = syncFileRange?(descriptor, range.lowerBound, Int64(range.count), startWrite)
        #endif
    }
}
