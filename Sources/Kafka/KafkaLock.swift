import Synchronization

/// The lock around state shared by the poll threads, the callbacks and Swift tasks.
typealias KafkaLock = Mutex
