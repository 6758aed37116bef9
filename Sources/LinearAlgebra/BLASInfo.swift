import COpenBLAS
import Foundation

/// The BLAS build this process runs on, and its threading.
public enum BLASInfo {
    /// OpenBLAS's build configuration (version, target, threading).
    public static var configuration: String {
        String(cString: openblas_get_config()).trimmingCharacters(in: .whitespaces)
    }

    /// Pins OpenBLAS to `n` threads (benchmarks compare single-threaded fits).
    public static func setThreads(_ n: Int32) { openblas_set_num_threads(n) }
}
