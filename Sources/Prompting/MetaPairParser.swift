import Foundation

/// The line-by-line reader behind `MetaPairSource.parse`; it stops at the first problem so
/// that every error names one line.
struct MetaPairParser {
    let name: String
    let text: String
    let file: String

    func parse() throws(MetaPairError) -> MetaPairSource {
        try checkName()
        var pairs: [MetaPair] = []
        var pairLines: [String: Int] = [:]
        var groups: [MetaPairGroup] = []
        var groupLines: [String: Int] = [:]
        var openGroup: MetaPairGroup?
        var openCaptionLines: [String: Int] = [:]

        func close(_ group: MetaPairGroup?) throws(MetaPairError) {
            guard let group else { return }
            if group.captions.count < 2 {
                throw error(
                    group.line,
                    "group [\(group.label)] has \(group.captions.count) caption(s); a group needs at least 2")
            }
            groups.append(group)
        }

        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        // Split on "\n" by hand: Swift treats "\r\n" as one Character, so split on the scalar.
        let lines = body.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, scalars) in lines.enumerated() {
            let number = offset + 1
            var raw = Substring(scalars)
            if raw.hasSuffix("\r") { raw = raw.dropLast() }
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }

            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw error(number, "a group header is `[label]` on a line of its own")
                }
                if !pairs.isEmpty {
                    throw error(
                        number,
                        "a group header in a file of pairs (line \(pairs[0].line) is a pair); a file holds either pairs or groups"
                    )
                }
                let label = String(line.dropFirst().dropLast()).trimmingWhitespace()
                if label.isEmpty { throw error(number, "empty group label") }
                if let first = groupLines[label] {
                    throw error(number, "group [\(label)] already defined on line \(first)")
                }
                groupLines[label] = number
                try close(openGroup)
                openGroup = MetaPairGroup(label: label, captions: [], line: number)
                openCaptionLines = [:]
                continue
            }

            if let arrow = line.range(of: "=>") {
                if openGroup != nil || !groups.isEmpty {
                    throw error(number, "an `input => output` line inside a group; a file holds either pairs or groups")
                }
                let input = line[..<arrow.lowerBound].trimmingWhitespace()
                let output = line[arrow.upperBound...].trimmingWhitespace()
                if output.contains("=>") {
                    throw error(number, "more than one `=>`: a field may not contain `=>`")
                }
                try checkField(input, role: "input", line: number)
                try checkField(output, role: "output", line: number)
                if TextFolding.fold(input) == TextFolding.fold(output) {
                    throw error(number, "the output repeats the input (ignoring case, spaces and punctuation)")
                }
                let key = input + "\u{0}" + output
                if let first = pairLines[key] {
                    throw error(number, "duplicate of line \(first)")
                }
                pairLines[key] = number
                pairs.append(MetaPair(input: input, output: output, line: number))
                continue
            }

            guard var group = openGroup else {
                throw error(number, "expected `input => output`, or a caption after a `[label]` group header")
            }
            try checkField(line, role: "caption", line: number)
            let folded = TextFolding.fold(line)
            if let first = openCaptionLines[folded] {
                throw error(number, "caption repeats line \(first) of the same group")
            }
            openCaptionLines[folded] = number
            group.captions.append(line)
            openGroup = group
        }
        try close(openGroup)

        let units = groups.isEmpty ? pairs.count : groups.count
        let unitName = groups.isEmpty ? "pairs" : "groups"
        if units < MetaPairSource.minimumUnits {
            throw MetaPairError(
                file: file, line: nil,
                reason:
                    "\(units) \(unitName); a source needs at least \(MetaPairSource.minimumUnits) (a prompt shows \(MetaPairSource.minimumUnits) distinct demonstrations)"
            )
        }
        let source = MetaPairSource(name: name, text: text, pairs: pairs, groups: groups)
        if source.demonstrationCount > DemonstrationDraw.maximumID(count: MetaPairSource.minimumUnits) + 1 {
            throw MetaPairError(
                file: file, line: nil,
                reason:
                    "\(source.demonstrationCount) demonstrations; a draw can address at most \(DemonstrationDraw.maximumID(count: MetaPairSource.minimumUnits) + 1)"
            )
        }
        return source
    }

    private func checkName() throws(MetaPairError) {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || scalar == "-"
                || scalar == "_"
        }
        if name.isEmpty || !allowed {
            throw MetaPairError(
                file: file, line: nil,
                reason: "style name '\(name)' must be ASCII letters, digits, '-' or '_' (it comes from the file name)")
        }
    }

    private func checkField(_ field: String, role: String, line: Int) throws(MetaPairError) {
        if field.isEmpty { throw error(line, "empty \(role)") }
        if let scalar = TextFolding.firstForbiddenScalar(in: field) {
            throw error(
                line, "\(role) contains \(TextFolding.describe(scalar)) (control characters and U+FFFD are not allowed)"
            )
        }
        let words = TextFolding.wordCount(field)
        if words < MetaPairSource.minimumFieldWords {
            throw error(line, "\(role) has \(words) word(s); at least \(MetaPairSource.minimumFieldWords) are needed")
        }
        if field.count > MetaPairSource.maximumFieldCharacters {
            throw error(
                line,
                "\(role) is \(field.count) characters long; at most \(MetaPairSource.maximumFieldCharacters) are allowed"
            )
        }
    }

    private func error(_ line: Int, _ reason: String) -> MetaPairError {
        MetaPairError(file: file, line: line, reason: reason)
    }
}

extension StringProtocol {
    /// Trims Unicode whitespace (spaces, tabs, NBSP...) at both ends.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
