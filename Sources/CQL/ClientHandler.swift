import NIOCore

/// A request handed to the channel, with the promise its response completes.
struct PendingRequest {
    let request: Request
    let promise: EventLoopPromise<Response>
    let timeout: TimeAmount?
}

/// Multiplexes requests over one connection: each gets a free stream id (0...32767), the
/// response with that id completes it. Requests beyond the free ids wait in order. A timed-out
/// stream id stays reserved until its late response arrives, as the spec asks.
final class ClientHandler: ChannelDuplexHandler {
    typealias InboundIn = Frame
    typealias OutboundIn = PendingRequest
    typealias OutboundOut = Frame

    private struct InFlight {
        var promise: EventLoopPromise<Response>?
        var timer: Scheduled<Void>?
    }

    private var freeStreams: [Int16]
    private var inFlight: [Int16: InFlight] = [:]
    private var waiting = CircularBuffer<PendingRequest>()
    private let onEvent: @Sendable (Event) -> Void
    private var closedError: Error?
    private var orphaned = 0
    static let maxOrphanedStreams = 256

    init(maxStreams: Int = 32768, onEvent: @escaping @Sendable (Event) -> Void) {
        freeStreams = (0..<Int16(clamping: maxStreams)).reversed()
        self.onEvent = onEvent
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let pending = unwrapOutboundIn(data)
        if let closedError {
            pending.promise.fail(closedError)
            promise?.fail(closedError)
            return
        }
        guard let stream = freeStreams.popLast() else {
            waiting.append(pending)
            promise?.succeed()
            return
        }
        send(pending, on: stream, context: context, promise: promise)
    }

    private func send(_ pending: PendingRequest, on stream: Int16, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        var timer: Scheduled<Void>?
        if let timeout = pending.timeout {
            let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(in: timeout) {
                loopBound.value.expire(stream: stream, after: timeout, context: boundContext.value)
            }
        }
        inFlight[stream] = InFlight(promise: pending.promise, timer: timer)
        var body = context.channel.allocator.buffer(capacity: pending.request.estimatedSize)
        pending.request.writeBody(into: &body)
        let frame = Frame(version: Frame.requestVersion, stream: stream, opcode: pending.request.opcode, body: body)
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    private func expire(stream: Int16, after timeout: TimeAmount, context: ChannelHandlerContext) {
        guard let promise = inFlight[stream]?.promise else { return }
        inFlight[stream]?.promise = nil
        orphaned += 1
        promise.fail(CQLClientError.timedOut(seconds: Double(timeout.nanoseconds) / 1e9))
        // A node that leaves this many requests unanswered is not coming back on this connection.
        if orphaned > Self.maxOrphanedStreams { context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        if frame.stream == -1, frame.opcode == .event {
            if case .event(let event)? = try? Response.read(opcode: .event, body: &frame.body) { onEvent(event) }
            return
        }
        guard let entry = inFlight.removeValue(forKey: frame.stream) else {
            context.fireErrorCaught(CQLProtocolError("response on stream \(frame.stream), which has no request"))
            return
        }
        entry.timer?.cancel()
        if entry.promise == nil { orphaned -= 1 }
        do {
            let response = try Response.read(opcode: frame.opcode, body: &frame.body)
            entry.promise?.succeed(response)
        } catch {
            entry.promise?.fail(error)
        }
        if let next = waiting.popFirst() {
            send(next, on: frame.stream, context: context, promise: nil)
            context.flush()
        } else {
            freeStreams.append(frame.stream)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll(Self.clientError(error))
        context.close(promise: nil)
    }

    /// Protocol and client errors as they are; socket and channel errors as a lost connection,
    /// which a retry on another connection may cure.
    static func clientError(_ error: Error) -> Error {
        switch error {
        case is CQLProtocolError, is UnsupportedVersion, is CQLClientError, is CQLServerError: error
        default: CQLClientError.connectionLost("\(error)")
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(CQLClientError.connectionClosed)
        context.fireChannelInactive()
    }

    private func failAll(_ error: Error) {
        if closedError == nil { closedError = error }
        let entries = inFlight
        inFlight.removeAll()
        for (_, entry) in entries {
            entry.timer?.cancel()
            entry.promise?.fail(error)
        }
        while let pending = waiting.popFirst() { pending.promise.fail(error) }
    }
}
