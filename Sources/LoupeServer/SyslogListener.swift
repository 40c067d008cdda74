import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Receives syslog on one port over UDP (a datagram is a message) and TCP (octet-counted
/// frames, `LEN SP MSG` as RFC 6587 describes, or lines), RFC 3164 or 5424 alike: messages are
/// kept as they came, appended to a stream every 200 ms and analysed like any ingested line.
public final class SyslogListener: Sendable {
  private let pending = NIOLockedValueBox<[String]>([])
  private let channels: NIOLockedValueBox<[any Channel]> = NIOLockedValueBox([])
  private let flusher: NIOLockedValueBox<Task<Void, Never>?> = NIOLockedValueBox(nil)
  /// The port both listeners are bound to.
  public let port: Int

  /// Binds TCP then UDP on `host`:`port` (0: a free port, the same for both) and starts
  /// flushing received messages to `deliver`.
  public init(
    host: String, port: Int, deliver: @escaping @Sendable ([String]) async -> Void
  ) async throws {
    let group = MultiThreadedEventLoopGroup.singleton
    let pending = pending
    let tcp = try await ServerBootstrap(group: group)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SyslogFrameDecoder()))
          try channel.pipeline.syncOperations.addHandler(SyslogMessageHandler(pending: pending))
        }
      }
      .bind(host: host, port: port).get()
    let bound = tcp.localAddress?.port ?? port
    let udp = try await DatagramBootstrap(group: group)
      .channelOption(.socketOption(.so_reuseaddr), value: 1)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          try channel.pipeline.syncOperations.addHandler(SyslogDatagramHandler(pending: pending))
        }
      }
      .bind(host: host, port: bound).get()
    self.port = bound
    channels.withLockedValue { $0 = [tcp, udp] }
    let task = Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(200))
        let batch = pending.withLockedValue { lines -> [String] in
          defer { lines = [] }
          return lines
        }
        if !batch.isEmpty { await deliver(batch) }
      }
    }
    flusher.withLockedValue { $0 = task }
  }

  /// Stops listening (messages already received are delivered first).
  public func stop() async {
    for channel in channels.withLockedValue({ $0 }) { try? await channel.close() }
    let task = flusher.withLockedValue { $0 }
    try? await Task.sleep(for: .milliseconds(250))
    task?.cancel()
  }
}

/// Splits a TCP syslog stream into messages: octet counting when a frame starts with a
/// digit, newline-delimited otherwise; a frame over 64 KiB closes the connection.
struct SyslogFrameDecoder: ByteToMessageDecoder {
  typealias InboundOut = String
  static let maxFrame = 65_536

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws
    -> DecodingState
  {
    let view = buffer.readableBytesView
    guard let first = view.first else { return .needMoreData }
    if (49...57).contains(first) {
      guard let space = view.firstIndex(of: UInt8(ascii: " ")) else {
        if view.count > 6 { throw SyslogFrameError.badFrame }
        return .needMoreData
      }
      let digits = view[view.startIndex..<space]
      guard digits.allSatisfy({ (48...57).contains($0) }),
        let length = Int(String(decoding: digits, as: UTF8.self)), length <= Self.maxFrame
      else { throw SyslogFrameError.badFrame }
      let header = space - view.startIndex + 1
      guard view.count >= header + length else { return .needMoreData }
      buffer.moveReaderIndex(forwardBy: header)
      let message = buffer.readString(length: length) ?? ""
      context.fireChannelRead(wrapInboundOut(message))
      return .continue
    }
    guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
      if view.count > Self.maxFrame { throw SyslogFrameError.badFrame }
      return .needMoreData
    }
    var line = buffer.readString(length: newline - view.startIndex) ?? ""
    buffer.moveReaderIndex(forwardBy: 1)
    if line.hasSuffix("\r") { line.removeLast() }
    if !line.isEmpty { context.fireChannelRead(wrapInboundOut(line)) }
    return .continue
  }

  mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool)
    throws -> DecodingState
  {
    while try decode(context: context, buffer: &buffer) == .continue {}
    if buffer.readableBytes > 0, let rest = buffer.readString(length: buffer.readableBytes) {
      let line = rest.trimmingCharacters(in: .newlines)
      if !line.isEmpty { context.fireChannelRead(wrapInboundOut(line)) }
    }
    return .needMoreData
  }
}

enum SyslogFrameError: Error { case badFrame }

/// Collects TCP messages.
final class SyslogMessageHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = String
  let pending: NIOLockedValueBox<[String]>

  init(pending: NIOLockedValueBox<[String]>) { self.pending = pending }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    let message = unwrapInboundIn(data)
    pending.withLockedValue { $0.append(message) }
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    context.close(promise: nil)
  }
}

/// Collects UDP messages, one per datagram.
final class SyslogDatagramHandler: ChannelInboundHandler, Sendable {
  typealias InboundIn = AddressedEnvelope<ByteBuffer>
  let pending: NIOLockedValueBox<[String]>

  init(pending: NIOLockedValueBox<[String]>) { self.pending = pending }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    var envelope = unwrapInboundIn(data)
    guard let text = envelope.data.readString(length: envelope.data.readableBytes) else { return }
    let message = text.trimmingCharacters(in: .newlines)
    if !message.isEmpty { pending.withLockedValue { $0.append(message) } }
  }
}
