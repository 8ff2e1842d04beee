import Foundation
import Testing

@testable import Prompting

@Suite struct PromptTemplateTests {
    @Test(arguments: [
        ("write,\n{caption} =>", nil as Int?, "no demonstrations"),
        ("write,\n{input1} => {output1}\n{input1} => {output2}\n{caption} =>", 3, "already used on line 2"),
        ("write,\n{input1} => {output1}\n{input3} => {output3}\n{caption} =>", nil, "missing `{input2}`"),
        (
            "write,\n{input1} => {output1}\n{input2} => {output2}\n{input3} => {output3}\n =>", nil,
            "missing `{caption}`"
        ),
        ("write,\n{input1} => {output1}\n{caption} => {caption}", 3, "`{caption}` appears twice"),
        ("write,\n{input1} => {output1}\n{captoin} =>", 3, "unknown placeholder `{captoin}`"),
        ("write,\n{input1} => {output1}\n{input0} => {output0}\n{caption} =>", 3, "unknown placeholder `{input0}`"),
        ("write {\n{input1} => {output1}\n{caption} =>", 1, "never closed"),
        ("write,\n{input1} => {output1}\n{ {caption} =>", 3, "never closed"),
        ("write }\n{input1} => {output1}\n{caption} =>", 1, "a lone `}`"),
        ("write,\n{input1} => {output1}\n{caption =>", 3, "never closed"),
    ])
    func badTemplatesAreRejected(text: String, line: Int?, reason: String) throws {
        let error = #expect(throws: TemplateError.self) { try PromptTemplate(text: text, file: "t.txt") }
        #expect(error?.line == line, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix(line.map { "t.txt:\($0): " } ?? "t.txt: ") == true)
    }

    @Test func bracesAndCountsAreUnderstood() throws {
        let template = try PromptTemplate(text: "{{json}}\n{output2} <= {input2}\n{input1} => {output1}\n{caption} =>")
        #expect(template.demonstrationCount == 2)
        #expect(
            template.render(demonstrations: [("a", "b"), ("c", "d")], caption: "{x}")
                == "{json}\nd <= c\na => b\n{x} =>")
    }

    @Test func loadingNormalisesLineEndsAndDropsOneFinalNewline() throws {
        let directory = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("crlf.txt")
        try
            "write image captions differently,\r\n\r\n{input1} => {output1}\r\n\r\n{input2} => {output2}\r\n\r\n{input3} => {output3}\r\n\r\n{caption} =>\r\n"
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(try PromptTemplate.load(url: file) == PromptTemplate.paper)

        let bad = directory.appendingPathComponent("bad.txt")
        try "write,\n{input1} => {output1}\n{caption} => {oops}\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(
            throws: TemplateError(
                file: bad.path, line: 3,
                reason: "unknown placeholder `{oops}` (known: {caption}, {inputN}, {outputN}; `{{` for a literal brace)"
            )
        ) {
            try PromptTemplate.load(url: bad)
        }
    }
}
