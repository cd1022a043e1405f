import LoadgenCore

extension StopSignal {
    /// Runs `body`, cancelling it when the signal fires (Ctrl-C during a preflight that waits for a target);
    /// nil when it was stopped, whatever the cancelled body made of it.
    func cancelling<T: Sendable>(_ body: @escaping @Sendable () async throws(LoadgenFailure) -> T) async throws(LoadgenFailure) -> T? {
        let first: Result<T, LoadgenFailure>? = await withTaskGroup(of: Result<T, LoadgenFailure>?.self) { group in
            group.addTask {
                do throws(LoadgenFailure) { return .success(try await body()) } catch { return .failure(error) }
            }
            group.addTask {
                await self.wait()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if isTriggered { return nil }
        return try first?.get()
    }
}
