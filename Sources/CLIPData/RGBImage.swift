import CJPEG
import CPNG
import Foundation

/// An 8-bit RGB image, rows top to bottom, pixels packed (r, g, b).
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(
            width > 0 && height > 0 && pixels.count == width * height * 3,
            "RGB image \(width)×\(height) needs \(width * height * 3) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Decodes PNG or JPEG bytes, told apart by their signatures (not by file extension, which
    /// web-scraped data gets wrong often enough).
    public init(decoding data: Data, file: String = "image") throws(ImageDecodingError) {
        let bytes = [UInt8](data.prefix(8))
        var message = [CChar](repeating: 0, count: 256)
        var pointer: UnsafeMutablePointer<UInt8>?
        var width: UInt32 = 0, height: UInt32 = 0
        let ok: Int32
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            ok = data.withUnsafeBytes { raw in
                cpng_decode_rgb(raw.baseAddress, raw.count, &pointer, &width, &height, &message, message.count)
            }
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            ok = data.withUnsafeBytes { raw in
                cjpeg_decode_rgb(
                    raw.bindMemory(to: UInt8.self).baseAddress, UInt(raw.count), &pointer, &width, &height, &message,
                    message.count)
            }
        } else {
            throw ImageDecodingError(description: "\(file): not a PNG or JPEG file")
        }
        guard ok == 1, let pointer else {
            throw ImageDecodingError(description: "\(file): \(messageText(message))")
        }
        defer { free(pointer) }
        guard width > 0, height > 0 else { throw ImageDecodingError(description: "\(file): empty image") }
        self.init(
            width: Int(width), height: Int(height),
            pixels: Array(UnsafeBufferPointer(start: pointer, count: Int(width) * Int(height) * 3)))
    }

    public init(contentsOf url: URL) throws {
        try self.init(decoding: try Data(contentsOf: url), file: url.path)
    }

    public func writePNG(to url: URL) throws(ImageDecodingError) {
        var message = [CChar](repeating: 0, count: 256)
        let ok = pixels.withUnsafeBufferPointer { buffer in
            cpng_write_rgb(url.path, buffer.baseAddress, UInt32(width), UInt32(height), &message, message.count)
        }
        guard ok == 1 else {
            throw ImageDecodingError(description: "\(url.path): cannot write PNG: \(messageText(message))")
        }
    }

    public func jpegData(quality: Int = 90) throws(ImageDecodingError) -> Data {
        var message = [CChar](repeating: 0, count: 256)
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let ok = pixels.withUnsafeBufferPointer { buffer in
            cjpeg_encode_rgb(
                buffer.baseAddress, UInt32(width), UInt32(height), Int32(quality), &output, &size, &message,
                message.count)
        }
        defer { free(output) }
        guard ok == 1, let output else {
            throw ImageDecodingError(description: "cannot encode JPEG: \(messageText(message))")
        }
        return Data(bytes: output, count: Int(size))
    }
}

/// An image file that cannot be read, decoded or written.
public struct ImageDecodingError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// A C library's NUL-terminated message buffer as text.
private func messageText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
