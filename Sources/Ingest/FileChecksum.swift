import CLibCrypto
import Foundation

/// SHA-256 of a file, streamed: how a job recognises a dataset file it already holds.
///
/// Through the system's OpenSSL (libcrypto's EVP digests, with its SHA-NI and AVX2 code), not
/// swift-crypto: that package compiles its own copy of BoringSSL, about a quarter of a clean
/// debug build, for this one hash.
enum FileChecksum {
    static func sha256(of url: URL) throws -> (hex: String, bytes: Int64) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw EnqueueError(.unreadable, "\(url.path): cannot open for reading")
        }
        defer { try? handle.close() }
        guard let context = EVP_MD_CTX_new() else { throw digestFailure(url) }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { throw digestFailure(url) }
        var bytes: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            let updated = chunk.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
            guard updated == 1 else { throw digestFailure(url) }
            bytes += Int64(chunk.count)
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else { throw digestFailure(url) }
        let hex = digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
        return (hex, bytes)
    }

    private static func digestFailure(_ url: URL) -> EnqueueError {
        EnqueueError(.unreadable, "\(url.path): OpenSSL's SHA-256 failed")
    }
}
