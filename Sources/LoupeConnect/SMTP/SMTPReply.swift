import NIOCore

/// One SMTP reply: a three-digit code and its text lines (several for `250-…` continuations).
struct SMTPReply: Sendable, Equatable {
  /// The reply code.
  var code: Int
  /// The text after the code on each line.
  var lines: [String]

  /// Whether the code is 2xx or 3xx.
  var isPositive: Bool { (200..<400).contains(code) }

  /// The reply as the server sent it, on one line.
  var text: String { "\(code) " + lines.joined(separator: " / ") }
}

/// Frames the server's bytes into replies: lines end in CRLF (a bare LF is accepted), a line
/// `XYZ-text` continues the reply and `XYZ text` ends it. A line longer than 4 KiB or without a
/// code closes the connection with an error.
struct SMTPReplyDecoder: ByteToMessageDecoder {
  typealias InboundOut = SMTPReply

  private var pending: [String] = []
  private static let maxLine = 4096

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws
    -> DecodingState
  {
    let readable = buffer.readableBytesView
    guard let newline = readable.firstIndex(of: UInt8(ascii: "\n")) else {
      if readable.count > Self.maxLine {
        throw SMTPError.protocolViolation("a reply line is too long")
      }
      return .needMoreData
    }
    let length = newline - readable.startIndex
    guard var line = buffer.readString(length: length) else { return .needMoreData }
    buffer.moveReaderIndex(forwardBy: 1)
    if line.hasSuffix("\r") { line.removeLast() }
    let bytes = Array(line.utf8)
    guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (48...57).contains($0) }),
      let code = Int(String(decoding: bytes[0..<3], as: UTF8.self))
    else {
      throw SMTPError.protocolViolation(
        "the server sent a line without a reply code: \(line.prefix(80))")
    }
    let rest = bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : ""
    pending.append(rest)
    if bytes.count > 3, bytes[3] == UInt8(ascii: "-") { return .continue }
    context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
    pending = []
    return .continue
  }

  mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool)
    throws -> DecodingState
  {
    while try decode(context: context, buffer: &buffer) == .continue, buffer.readableBytes > 0 {}
    return .needMoreData
  }
}

/// Gives the server `seconds` to answer: a deadline starts when the connection opens and
/// when a command is written, and ends when a reply arrives; a missed deadline closes the
/// connection with ``SMTPError/timeout``. Only the server's silence counts, not the time the
/// client takes between commands.
final class SMTPReplyDeadline: ChannelDuplexHandler {
  typealias InboundIn = SMTPReply
  typealias InboundOut = SMTPReply
  typealias OutboundIn = ByteBuffer
  typealias OutboundOut = ByteBuffer

  private let seconds: Double
  private var pending: Scheduled<Void>?

  init(seconds: Double) { self.seconds = seconds }

  private func arm(_ context: ChannelHandlerContext) {
    guard pending == nil else { return }
    let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
    let seconds = seconds
    pending = context.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
      let context = loopBound.value
      context.fireErrorCaught(SMTPError.timeout(seconds))
      context.close(promise: nil)
    }
  }

  func channelActive(context: ChannelHandlerContext) {
    arm(context)
    context.fireChannelActive()
  }

  func handlerAdded(context: ChannelHandlerContext) {
    if context.channel.isActive { arm(context) }
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    pending?.cancel()
    pending = nil
    context.fireChannelRead(data)
  }

  func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
    arm(context)
    context.write(data, promise: promise)
  }

  func channelInactive(context: ChannelHandlerContext) {
    pending?.cancel()
    pending = nil
    context.fireChannelInactive()
  }
}
