/// How `TarWriter` copies raw records from another archive.
public enum TarRawCopyMethod: Sendable, Hashable {
    /// In-kernel copy: copy_file_range (Linux), falling back to sendfile, then to `.buffered`
    /// when the kernel or filesystem refuses.
    case automatic
    /// pread/write through one reusable 1 MiB buffer (portable; the fallback).
    case buffered
}
