import Foundation

/// CPU time of every thread of a process, from `/proc/<pid>/task/*/stat`, so a benchmark can charge the
/// scorer's own threads separately from everything else on the machine, and say which of them spent it.
struct ThreadCPU {
    struct Thread {
        var name: String
        var seconds: Double
    }

    /// By thread id.
    var threads: [Int: Thread] = [:]

    static func sample(pid: Int32) -> ThreadCPU {
        var out = ThreadCPU()
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        let dir = "/proc/\(pid)/task"
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            guard let tid = Int(entry), let stat = try? String(contentsOfFile: "\(dir)/\(entry)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { continue }
            let name = String(stat[stat.index(after: open)..<close])
            // After the name: state, then fields 4 onwards; utime and stime are fields 14 and 15.
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            guard rest.count > 13, let user = Double(rest[11]), let system = Double(rest[12]) else { continue }
            out.threads[tid] = Thread(name: name, seconds: (user + system) / tick)
        }
        return out
    }

    /// What each thread spent since `earlier` (threads started since count from zero), grouped by name with
    /// digits dropped (`rdk:broker1` and `rdk:broker2` together), largest first.
    func since(_ earlier: ThreadCPU) -> [(group: String, threads: Int, seconds: Double)] {
        var groups: [String: (Int, Double)] = [:]
        for (tid, thread) in threads {
            let spent = thread.seconds - (earlier.threads[tid]?.seconds ?? 0)
            let group = Self.group(thread.name)
            let g = groups[group] ?? (0, 0)
            groups[group] = (g.0 + 1, g.1 + spent)
        }
        return groups.map { ($0.key, $0.value.0, $0.value.1) }.sorted { $0.seconds > $1.seconds }
    }

    /// A thread's group: its name without digits, and plain words for the truncated names of Dispatch's
    /// workers (where Swift tasks and the archive's chunk compression run) and SwiftNIO's event loops.
    static func group(_ name: String) -> String {
        if name.contains("qos") { return "dispatch workers (\(name.hasSuffix("overcommit") ? "overcommit" : "Swift tasks"))" }
        if name.hasPrefix("NIO-") { return "NIO event loops" }
        return String(name.filter { !$0.isNumber })
    }

    /// CPU seconds this process has spent, all threads.
    static func ownProcessSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }
}
