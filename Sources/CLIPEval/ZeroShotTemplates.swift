import Foundation

/// Prompt templates for zero-shot classification, each with one `{}` where the class name goes
/// ("a photo of a {}."). File format: one template per line; blank lines and lines starting
/// with `#` are skipped; CRLF is accepted.
public struct ZeroShotTemplates: Sendable, Equatable {
    public let templates: [String]

    public init(_ templates: [String]) throws(TemplateFileError) {
        try self.init(parsing: templates.joined(separator: "\n"), file: "templates")
    }

    public init(parsing text: String, file: String) throws(TemplateFileError) {
        var templates: [String] = []
        // "\r\n" is one Character in Swift, so normalise line ends before splitting.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        for (offset, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let holes = trimmed.components(separatedBy: "{}").count - 1
            guard holes == 1 else {
                throw TemplateFileError(
                    description:
                        "\(file):\(offset + 1): a template needs exactly one {} for the class name, found \(holes)")
            }
            templates.append(trimmed)
        }
        guard !templates.isEmpty else { throw TemplateFileError(description: "\(file): no templates") }
        self.templates = templates
    }

    public static func load(url: URL) throws -> ZeroShotTemplates {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TemplateFileError(description: "\(url.path): cannot read: \(error.localizedDescription)")
        }
        return try ZeroShotTemplates(parsing: text, file: url.lastPathComponent)
    }

    /// Every template with `{}` replaced by the class name.
    public func prompts(for className: String) -> [String] {
        templates.map { $0.replacingOccurrences(of: "{}", with: className) }
    }

    /// The set shipped in `Prompts/zeroshot-templates.txt` (a test keeps the two identical):
    /// CLIP ImageNet templates that describe a rendered picture of a coloured shape, leaving out
    /// those about photos of real scenes (tattoos, origami, plushies, video games...).
    public static let standard: ZeroShotTemplates = try! ZeroShotTemplates([
        "a photo of a {}.",
        "a bad photo of a {}.",
        "a good photo of a {}.",
        "a photo of the {}.",
        "a photo of a small {}.",
        "a photo of a big {}.",
        "a photo of the small {}.",
        "a photo of the large {}.",
        "a close-up photo of a {}.",
        "a low resolution photo of a {}.",
        "a blurry photo of a {}.",
        "a pixelated photo of a {}.",
        "a jpeg corrupted photo of a {}.",
        "a cropped photo of a {}.",
        "a rendering of a {}.",
        "a rendition of a {}.",
        "a drawing of a {}.",
        "a sketch of a {}.",
        "a cartoon {}.",
        "art of a {}.",
        "a picture of a {}.",
        "an image of a {}.",
        "a {}.",
        "the {}.",
        "itap of a {}.",
        "a photo of one {}.",
        "a photo of many {}.",
        "a simple picture of a {}.",
        "there is a {} in the picture.",
        "{}",
    ])
}

/// A template file or list that cannot be used: "FILE:LINE: reason".
public struct TemplateFileError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
