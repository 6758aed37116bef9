import Foundation

/// CPU time of the whole process: with OpenBLAS held to one thread it is the single-core cost, and unlike
/// wall time it does not grow when other work shares the machine.
public enum ProcessCPU {
    /// CPU seconds this process has spent so far, all threads.
    public static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
