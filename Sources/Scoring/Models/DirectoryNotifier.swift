#if canImport(Glibc)
    import Glibc

    /// Non-blocking inotify on a few directories: `drain()` says whether
    /// anything was created, moved in or written there since the last call.
    /// nil where inotify is unavailable; the watcher then polls.
    final class DirectoryNotifier: Sendable {
        private let fd: Int32

        init?(directories: [String]) {
            fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0 else { return nil }
            let mask = UInt32(IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE)
            for directory in directories where inotify_add_watch(fd, directory, mask) < 0 {
                close(fd)
                return nil
            }
        }

        deinit { close(fd) }

        func drain() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 4096)
            var any = false
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { return any }
                any = true
            }
        }
    }
#else
    /// Polling only where inotify does not exist.
    final class DirectoryNotifier: Sendable {
        init?(directories: [String]) { return nil }
        func drain() -> Bool { false }
    }
#endif
