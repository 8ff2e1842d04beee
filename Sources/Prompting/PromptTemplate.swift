import Foundation

/// The text around the demonstrations and the caption. Placeholders (`Prompts/README.md`):
/// `{input1}`...`{inputN}` and `{output1}`...`{outputN}` for N demonstrations (each exactly
/// once), `{caption}` exactly once, and `{{` / `}}` for literal braces. Any other `{...}` is an
/// error, so a misspelt placeholder cannot silently reach the model.
public struct PromptTemplate: Sendable, Equatable {
    /// The LaCLIP paper's prompt: the instruction line, three demonstrations separated by
    /// blank lines, then the caption and ` =>` for the model to complete.
    public static let paper: PromptTemplate = {
        do {
            return try PromptTemplate(text: paperText, file: "<paper template>")
        } catch {
            preconditionFailure("the built-in template is invalid: \(error)")
        }
    }()

    /// Kept identical to `Prompts/laclip.txt` (a test compares them).
    static let paperText = """
        write image captions differently,

        {input1} => {output1}

        {input2} => {output2}

        {input3} => {output3}

        {caption} =>
        """

    enum Segment: Sendable, Equatable {
        case literal(String)
        case input(Int)
        case output(Int)
    }

    /// The template as given (after `load`'s newline normalisation).
    public let text: String
    /// How many demonstrations it shows: the N of `{inputN}`; draws must have this many.
    public let demonstrationCount: Int
    let head: [Segment]
    let tail: [Segment]

    /// Parses a template; `file` only labels errors.
    public init(text: String, file: String = "<template>") throws(TemplateError) {
        var head: [Segment] = []
        var tail: [Segment] = []
        var sawCaption = false
        var inputLines: [Int: Int] = [:]
        var outputLines: [Int: Int] = [:]
        var literal = ""
        var line = 1

        func flushLiteral() {
            guard !literal.isEmpty else { return }
            if sawCaption { tail.append(.literal(literal)) } else { head.append(.literal(literal)) }
            literal = ""
        }
        func fail(_ reason: String, at line: Int?) -> TemplateError {
            TemplateError(file: file, line: line, reason: reason)
        }

        let characters = Array(text.unicodeScalars)
        var index = 0
        while index < characters.count {
            let scalar = characters[index]
            if scalar == "{", index + 1 < characters.count, characters[index + 1] == "{" {
                literal.unicodeScalars.append("{")
                index += 2
                continue
            }
            if scalar == "}" {
                guard index + 1 < characters.count, characters[index + 1] == "}" else {
                    throw fail("a lone `}`; write `}}` for a literal brace", at: line)
                }
                literal.unicodeScalars.append("}")
                index += 2
                continue
            }
            if scalar == "{" {
                // A placeholder never spans lines or nests, which keeps line numbers right and
                // points at the brace that was meant literally.
                guard
                    let close = characters[(index + 1)...].firstIndex(where: { $0 == "}" || $0 == "{" || $0 == "\n" }),
                    characters[close] == "}"
                else {
                    throw fail("`{` is never closed on its line; write `{{` for a literal brace", at: line)
                }
                let name = String(String.UnicodeScalarView(characters[(index + 1)..<close]))
                flushLiteral()
                if name == "caption" {
                    if sawCaption { throw fail("`{caption}` appears twice", at: line) }
                    sawCaption = true
                } else if let number = Self.placeholderNumber(name, prefix: "input") {
                    if let first = inputLines[number] {
                        throw fail("`{\(name)}` already used on line \(first)", at: line)
                    }
                    inputLines[number] = line
                    if sawCaption { tail.append(.input(number - 1)) } else { head.append(.input(number - 1)) }
                } else if let number = Self.placeholderNumber(name, prefix: "output") {
                    if let first = outputLines[number] {
                        throw fail("`{\(name)}` already used on line \(first)", at: line)
                    }
                    outputLines[number] = line
                    if sawCaption { tail.append(.output(number - 1)) } else { head.append(.output(number - 1)) }
                } else {
                    throw fail(
                        "unknown placeholder `{\(name)}` (known: {caption}, {inputN}, {outputN}; `{{` for a literal brace)",
                        at: line)
                }
                index = close + 1
                continue
            }
            if scalar == "\n" { line += 1 }
            literal.unicodeScalars.append(scalar)
            index += 1
        }
        flushLiteral()

        guard sawCaption else { throw fail("missing `{caption}`", at: nil) }
        let count = max(inputLines.keys.max() ?? 0, outputLines.keys.max() ?? 0)
        guard count >= 1 else { throw fail("no demonstrations: expected `{input1} => {output1}` and so on", at: nil) }
        guard count <= DemonstrationDraw.maximumCount else {
            throw fail("\(count) demonstrations; at most \(DemonstrationDraw.maximumCount) are supported", at: nil)
        }
        for number in 1...count {
            if inputLines[number] == nil {
                throw fail("missing `{input\(number)}` (the template uses \(count) demonstrations)", at: nil)
            }
            if outputLines[number] == nil {
                throw fail("missing `{output\(number)}` (the template uses \(count) demonstrations)", at: nil)
            }
        }
        self.text = text
        self.demonstrationCount = count
        self.head = head
        self.tail = tail
    }

    /// Reads a template file. CRLF line ends become LF and one final line break is dropped:
    /// editors add it, and a prompt must end right after ` =>` for the model to continue the line.
    public static func load(url: URL) throws(TemplateError) -> PromptTemplate {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TemplateError(file: url.path, line: nil, reason: "cannot read: \(error.localizedDescription)")
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            throw TemplateError(file: url.path, line: nil, reason: "not valid UTF-8")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        if text.hasSuffix("\n") { text.removeLast() }
        return try PromptTemplate(text: text, file: url.path)
    }

    /// The prompt. Precondition: `demonstrations.count == demonstrationCount`. The caption is
    /// inserted as given; `PromptBuilder` is what normalises and length-caps it.
    public func render(demonstrations: [(input: String, output: String)], caption: String) -> String {
        let (before, after) = renderParts(demonstrations: demonstrations)
        return before + caption + after
    }

    /// The text before and after the caption, so truncation can try many caption lengths
    /// without re-rendering the demonstrations.
    func renderParts(demonstrations: [(input: String, output: String)]) -> (before: String, after: String) {
        precondition(
            demonstrations.count == demonstrationCount,
            "the template shows \(demonstrationCount) demonstrations, \(demonstrations.count) given")
        func render(_ segments: [Segment]) -> String {
            var result = ""
            for segment in segments {
                switch segment {
                case .literal(let text): result += text
                case .input(let index): result += demonstrations[index].input
                case .output(let index): result += demonstrations[index].output
                }
            }
            return result
        }
        return (render(head), render(tail))
    }

    /// `N` for `prefixN` with N a positive decimal without leading zeros.
    private static func placeholderNumber(_ name: String, prefix: String) -> Int? {
        guard name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard let first = digits.first, first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(digits), number <= 99
        else { return nil }
        return number
    }

    public static func == (lhs: PromptTemplate, rhs: PromptTemplate) -> Bool {
        lhs.text == rhs.text
    }
}
