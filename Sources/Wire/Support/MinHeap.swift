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

    @inlinable
    public mutating func push(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes the least element and returns it (nil when empty).
    @inlinable @discardableResult
    public mutating func popFirst() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let first = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            guard smallest != parent else { return first }
            items.swapAt(parent, smallest)
            parent = smallest
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
