/// One `input => output` line of a pair file.
public struct MetaPair: Sendable, Equatable {
    public var input: String
    public var output: String
    /// 1-based line in the file it came from.
    public var line: Int

    public init(input: String, output: String, line: Int) {
        self.input = input
        self.output = output
        self.line = line
    }
}
