#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Linux's in-kernel file-to-file copies. copy_file_range is not in Swift's Glibc module
/// (glibc declares it only under _GNU_SOURCE), so it is looked up in the C library at run time.
enum KernelFileCopy {
    private typealias CopyFileRange =
        @convention(c) (
            Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32
        ) -> Int

    #if os(Linux)
        private static let copyFileRange: CopyFileRange? = {
            guard let library = dlopen(nil, RTLD_NOW), let symbol = dlsym(library, "copy_file_range") else {
                return nil
            }
            return unsafeBitCast(symbol, to: CopyFileRange.self)
        }()
    #endif

    enum Outcome {
        /// Bytes copied (0 means the source ended).
        case copied(Int)
        /// This way of copying does not work for these files: try the next one.
        case unsupported
        /// A signal arrived before anything was copied: just call again.
        case interrupted
        case failed(Int32)
    }

    /// Copies up to `count` bytes from `source` at `offset` to `destination`'s current position.
    static func copyFileRange(from source: Int32, offset: inout Int64, to destination: Int32, count: Int) -> Outcome {
        #if os(Linux)
            guard let copyFileRange else { return .unsupported }
            let result = copyFileRange(source, &offset, destination, nil, count, 0)
            if result >= 0 { return .copied(result) }
            return classify(errno)
        #else
            return .unsupported
        #endif
    }

    static func sendFile(from source: Int32, offset: inout Int64, to destination: Int32, count: Int) -> Outcome {
        #if os(Linux)
            var position = off_t(offset)
            let result = sendfile(destination, source, &position, count)
            offset = Int64(position)
            if result >= 0 { return .copied(result) }
            return classify(errno)
        #else
            return .unsupported
        #endif
    }

    private static func classify(_ code: Int32) -> Outcome {
        switch code {
        case EINTR: .interrupted
        case ENOSYS, EXDEV, EINVAL, EOPNOTSUPP, EBADF, EPERM: .unsupported
        default: .failed(code)
        }
    }
}
