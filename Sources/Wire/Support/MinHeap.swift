/// A binary min-heap: the least element on top. The timers' deadlines and the closed model's thinking
/// users are kept in one.
///
/// Public and inlinable, so that a heap of another module's element type is specialised where it is used
/// (the timers and the lanes push and pop one for every pause of every user). As `package`, the Swift 6.3
/// optimiser left it generic: every swap went through the element's witness table.
@frozen
public struct MinHeap<Element: Comparable> {
    @usableFromInline var items: [Element] = []

    @inlinable public init() {}

    @inlinable public var first: Element? { items.first }
    @inlinable public var count: Int { items.count }
    @inlinable public var isEmpty: Bool { items.isEmpty }

    /// Sifts with a hole, not swaps: each step moves one element, and the new one is written once at the
    /// end (a swap copies two, and a copy of an element with a resilient field, such as a clock's
    /// instant, is a call); and the storage is checked for uniqueness once, not at every write.
    @inlinable
    public mutating func push(_ element: Element) {
        items.append(element)
        items.withUnsafeMutableBufferPointer { items in
            var hole = items.count - 1
            while hole > 0 {
                let parent = (hole - 1) / 2
                guard element < items[parent] else { break }
                items[hole] = items[parent]
                hole = parent
            }
            items[hole] = element
        }
    }

    /// Removes the least element and returns it (nil when empty).
    @inlinable @discardableResult
    public mutating func popFirst() -> Element? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        return items.withUnsafeMutableBufferPointer { items in
            let first = items[0]
            var hole = 0
            while true {
                let left = 2 * hole + 1
                guard left < items.count else { break }
                let right = left + 1
                let child = right < items.count && items[right] < items[left] ? right : left
                guard items[child] < last else { break }
                items[hole] = items[child]
                hole = child
            }
            items[hole] = last
            return first
        }
    }

    /// Empties the heap, returning every element (in no particular order).
    @inlinable
    public mutating func removeAll() -> [Element] {
        defer { items = [] }
        return items
    }
}

extension MinHeap: Sendable where Element: Sendable {}
