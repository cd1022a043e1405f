import Synchronization

/// Meta's batching: "POST requests are aggregated and sent in a batch" — several users' messages in one
/// delivery. Turns hand their message here and wait; a batch goes out `window` after it opened, or at
/// once when `size` messages are in, as one signed POST, and every turn in it gets that POST's answer.
/// The wait is part of each turn's ack latency, as it is for a bot receiving real batches.
///
/// Shared on purpose: one per engine run (`--batch`), owned by it; every user hands its message in, and
/// the batcher's own loop sends each batch when its window closes.
final class DeliveryBatcher<C: EngineClock>: Sendable {
    private struct Batch {
        var items: [WebhookEnvelope.Item] = []
        var waiters: [CheckedContinuation<DeliveryResult, Never>] = []
    }
    private struct State {
        var batches: [Int: Batch] = [:]
        var openID: Int?
        var nextID = 0
    }
    private struct Signal: Sendable { var id: Int, now: Bool }

    private let size: Int
    private let window: Duration
    private let clock: C
    private let business: BusinessIdentity
    private let signer: WebhookSigner
    private let transport: any WebhookTransport
    private let onBatch: @Sendable (Int) -> Void
    private let state = Mutex(State())
    private let signals: AsyncStream<Signal>
    private let sink: AsyncStream<Signal>.Continuation

    /// `onBatch` is told the size of every batch sent.
    init(size: Int, window: Duration, clock: C, business: BusinessIdentity, signer: WebhookSigner,
         transport: any WebhookTransport, onBatch: @escaping @Sendable (Int) -> Void) {
        self.size = max(1, size)
        self.window = window
        self.clock = clock
        self.business = business
        self.signer = signer
        self.transport = transport
        self.onBatch = onBatch
        (signals, sink) = AsyncStream.makeStream(of: Signal.self)
    }

    /// Delivers `item` in a batch and returns the batch's answer.
    func deliver(_ item: WebhookEnvelope.Item) async -> DeliveryResult {
        await withCheckedContinuation { continuation in
            let signal: Signal? = state.withLock { s in
                let id: Int
                var opened = false
                if let open = s.openID { id = open } else {
                    id = s.nextID
                    s.nextID += 1
                    s.openID = id
                    opened = true
                }
                s.batches[id, default: Batch()].items.append(item)
                s.batches[id, default: Batch()].waiters.append(continuation)
                if s.batches[id]!.items.count >= size {
                    s.openID = nil  // full: later messages start the next batch
                    return Signal(id: id, now: true)
                }
                return opened ? Signal(id: id, now: false) : nil
            }
            if let signal { sink.yield(signal) }
        }
    }

    /// Sends batches as their windows close, until cancelled; then sends what is left, so no turn waits forever.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                await withTaskCancellationHandler { await StopSignal().wait() } onCancel: { self.sink.finish() }
            }
            for await signal in signals {
                group.addTask {
                    if !signal.now { try? await self.clock.sleep(for: self.window) }
                    await self.flush(signal.id)
                }
            }
            for id in state.withLock({ Array($0.batches.keys) }) { group.addTask { await self.flush(id) } }
        }
    }

    private func flush(_ id: Int) async {
        let batch: Batch? = state.withLock { s in
            if s.openID == id { s.openID = nil }
            return s.batches.removeValue(forKey: id)
        }
        guard let batch, !batch.items.isEmpty else { return }
        let body = WebhookEnvelope.render(batch: batch.items, business: business)
        onBatch(batch.items.count)
        let result = await transport.deliver(body: body, signature: signer.signature(for: body), user: id)
        for waiter in batch.waiters { waiter.resume(returning: result) }
    }
}
