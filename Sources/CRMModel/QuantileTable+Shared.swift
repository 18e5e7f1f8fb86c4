import Synchronization

extension QuantileTable {
    /// The table of `distribution` (4 096 nodes), built once per process and shared.
    ///
    /// A table costs about 4 000 exact quantiles (a few milliseconds); the scenario format's
    /// finiteness check, every model of the same scenario (a sensitivity analysis holds inputs
    /// in dozens of them) and every variant of a comparison that keeps an input as it is would
    /// otherwise each build it again. A table is a pure function of its distribution, so a
    /// shared one gives the same draws bit for bit. Two threads asking at once may both build
    /// it; they build the same table. The cache is emptied when it holds
    /// ``sharedLimit`` tables (a workshop session that tries hundreds of distributions), at
    /// about 66 kB a table.
    public static func shared(_ distribution: Distribution) -> QuantileTable {
        if let table = sharedTables.withLock({ $0[distribution] }) { return table }
        let table = QuantileTable(distribution)
        sharedTables.withLock { tables in
            if tables.count >= sharedLimit { tables.removeAll() }
            tables[distribution] = table
        }
        return table
    }

    /// The most tables ``shared(_:)`` keeps.
    public static let sharedLimit = 512

    private static let sharedTables = Mutex<[Distribution: QuantileTable]>([:])
}
