extension ParquetColumnValues {
    /// Records one page's presence flags; validity is only materialised once a null appears.
    mutating func appendValidity(_ present: UnsafeBufferPointer<Bool>, nulls: Int) {
        if nulls > 0 && nullCount == 0 {
            validity = [Bool](repeating: true, count: rowCount)
        }
        nullCount += nulls
        if nullCount > 0 {
            validity.append(contentsOf: present)
        }
        rowCount += present.count
    }

    /// The page's values were appended densely (present rows only); this moves them to their
    /// rows, back to front and in place, leaving zero/empty slots for the nulls.
    /// `firstRow` is the page's first row, `present` its flags.
    mutating func spreadOverNulls(firstRow: Int, present: UnsafeBufferPointer<Bool>) {
        let rows = present.count
        var dense = present.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard dense < rows else { return }
        switch storage {
        case .bytes:
            // offsets[firstRow + i] is where row firstRow + i starts; a null row is empty, so
            // its end is the end of the last present value before it.
            offsets.append(contentsOf: repeatElement(0, count: rows - dense))
            offsets.withUnsafeMutableBufferPointer { offset in
                for row in stride(from: rows, to: 0, by: -1) {
                    offset[firstRow + row] = offset[firstRow + dense]
                    if present[row - 1] { dense -= 1 }
                }
            }
        case .integers:
            Self.spread(&integers, zero: 0, firstRow: firstRow, present: present, dense: dense)
        case .doubles:
            Self.spread(&doubles, zero: 0, firstRow: firstRow, present: present, dense: dense)
        case .booleans:
            Self.spread(&booleans, zero: false, firstRow: firstRow, present: present, dense: dense)
        }
    }

    private static func spread<T>(
        _ array: inout [T], zero: T, firstRow: Int, present: UnsafeBufferPointer<Bool>, dense: Int
    ) {
        var dense = dense
        array.append(contentsOf: repeatElement(zero, count: present.count - dense))
        array.withUnsafeMutableBufferPointer { slot in
            for row in stride(from: present.count - 1, through: 0, by: -1) {
                if present[row] {
                    dense -= 1
                    slot[firstRow + row] = slot[firstRow + dense]
                } else {
                    slot[firstRow + row] = zero
                }
            }
        }
    }
}
