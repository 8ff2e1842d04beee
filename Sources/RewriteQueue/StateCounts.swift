/// Task counts by style index and state.
public struct StateCounts: Sendable, Equatable {
    public private(set) var byStyle: [Int: [TaskState: Int]] = [:]

    public init() {}

    public subscript(style: Int, state: TaskState) -> Int {
        get { byStyle[style]?[state] ?? 0 }
        set {
            // Zero entries are dropped so that counts kept incrementally compare equal to a recount.
            byStyle[style, default: [:]][state] = newValue == 0 ? nil : newValue
            if byStyle[style]?.isEmpty == true { byStyle[style] = nil }
        }
    }

    public func total(_ state: TaskState) -> Int { byStyle.values.reduce(0) { $0 + ($1[state] ?? 0) } }
    public var total: Int { TaskState.allCases.reduce(0) { $0 + total($1) } }

    public mutating func add(_ other: StateCounts) {
        for (style, states) in other.byStyle {
            for (state, n) in states { self[style, state] += n }
        }
    }
}
