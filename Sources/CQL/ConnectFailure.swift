import Foundation
import NIOCore
import NIOPosix

/// Why a connection attempt failed, as an operator reads it ("connection refused", "timed out after 5 s",
/// "cannot resolve the host name"), instead of SwiftNIO's own error values.
enum ConnectFailure {
    static func reason(_ error: any Error) -> String {
        if let e = error as? NIOConnectionError {
            let reasons = Array(Set(e.connectionErrors.map { reason($0.error) })).sorted()
            if !reasons.isEmpty { return reasons.joined(separator: "; ") }
            if e.dnsAError != nil || e.dnsAAAAError != nil { return "cannot resolve the host name" }
            return "no address to connect to"
        }
        if let e = error as? IOError { return String(cString: strerror(e.errnoCode)).lowercased() }
        if let e = error as? ChannelError {
            switch e {
            case .connectTimeout(let t): return "timed out after \(Double(t.nanoseconds) / 1e9) s"
            default: return "\(e)"
            }
        }
        return "\(error)"
    }
}
