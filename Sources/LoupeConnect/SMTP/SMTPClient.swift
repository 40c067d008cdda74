import Foundation
import LoupeCore
import NIOCore
import NIOPosix
import NIOSSL

/// Sends e-mail over SMTP, on SwiftNIO: STARTTLS (port 587), implicit TLS (465) or plain (25,
/// for local relays); AUTH PLAIN or LOGIN, only over TLS; certificates verified unless the
/// settings say otherwise; every step waits at most `timeout` seconds for the server.
public struct SMTPClient: Sendable {
  /// The settings.
  public var settings: SMTPSettings
  /// The password, when the settings name a user.
  public var password: String?

  /// Creates a client.
  public init(settings: SMTPSettings, password: String?) {
    self.settings = settings
    self.password = password
  }

  /// Sends one message.
  /// - Throws: ``SMTPError`` saying which step failed and what the server answered.
  public func send(_ message: MailMessage) async throws {
    if settings.username != nil, password == nil {
      throw SMTPError.authentication(
        "smtp.username is set but no password was found in $\(settings.passwordEnvironment) or smtp.password_file"
      )
    }
    if settings.username != nil, settings.security == .none {
      throw SMTPError.authentication(
        "refusing to send credentials over an unencrypted connection; use security: starttls or tls"
      )
    }
    let tlsContext = try makeTLSContext()
    let host = settings.host
    let sniName = Self.isIPAddress(host) ? nil : host
    let implicitTLS = settings.security == .tls
    let timeout = settings.timeout
    let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
    do {
      channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connectTimeout(.milliseconds(Int64(timeout * 1000)))
        .connect(host: host, port: settings.port) { channel in
          channel.eventLoop.makeCompletedFuture {
            let sync = channel.pipeline.syncOperations
            if implicitTLS {
              try sync.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: sniName))
            }
            try sync.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
            try sync.addHandler(SMTPReplyDeadline(seconds: timeout))
            return try NIOAsyncChannel<SMTPReply, ByteBuffer>(
              wrappingChannelSynchronously: channel)
          }
        }
    } catch let error as SMTPError {
      throw error
    } catch {
      throw SMTPError.connection("\(host):\(settings.port): \(error)")
    }
    do {
      try await channel.executeThenClose { inbound, outbound in
        var session = Session(
          replies: inbound.makeAsyncIterator(), outbound: outbound, channel: channel.channel)
        try await converse(&session, message: message, tlsContext: tlsContext, sniName: sniName)
      }
    } catch let error as SMTPError {
      throw error
    } catch let error as NIOSSLError {
      throw SMTPError.tls(Self.describe(error))
    } catch let error as BoringSSLError {
      throw SMTPError.tls(Self.describe(error))
    } catch {
      throw SMTPError.connection("\(error)")
    }
  }

  /// The conversation's state: the reply stream and the writer.
  struct Session {
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel

    mutating func reply(to step: String, expect codes: Set<Int>) async throws -> SMTPReply {
      guard let reply = try await replies.next() else { throw SMTPError.closed }
      guard codes.contains(reply.code) else {
        throw SMTPError.refused(step: step, reply: reply.text)
      }
      return reply
    }

    mutating func command(_ line: String, step: String, expect codes: Set<Int>) async throws
      -> SMTPReply
    {
      do {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
      } catch {
        // A failed write means the connection went down; the reply stream holds the cause
        // (a TLS handshake failure, say).
        _ = try await replies.next()
        throw error
      }
      return try await reply(to: step, expect: codes)
    }
  }

  private func converse(
    _ session: inout Session, message: MailMessage, tlsContext: NIOSSLContext, sniName: String?
  ) async throws {
    _ = try await session.reply(to: "the connection", expect: [220])
    let name = settings.helo ?? ProcessInfo.processInfo.hostName
    var capabilities = try await session.command("EHLO \(name)", step: "EHLO", expect: [250])
    if settings.security == .starttls {
      guard Self.offers("STARTTLS", capabilities) else {
        throw SMTPError.tls("the server does not offer STARTTLS (use security: tls or none)")
      }
      _ = try await session.command("STARTTLS", step: "STARTTLS", expect: [220])
      let channel = session.channel
      try await channel.eventLoop.submit {
        try channel.pipeline.syncOperations.addHandler(
          NIOSSLClientHandler(context: tlsContext, serverHostname: sniName), position: .first)
      }.get()
      capabilities = try await session.command(
        "EHLO \(name)", step: "EHLO after STARTTLS", expect: [250])
    }
    if let username = settings.username, let password {
      try await authenticate(&session, username: username, password: password, capabilities)
    }
    _ = try await session.command(
      "MAIL FROM:<\(message.from)>", step: "the sender \(message.from)", expect: [250])
    for recipient in message.to {
      _ = try await session.command(
        "RCPT TO:<\(recipient)>", step: "the recipient \(recipient)", expect: [250, 251])
    }
    _ = try await session.command("DATA", step: "DATA", expect: [354])
    try await session.outbound.write(
      ByteBuffer(string: MailMessage.dotStuffed(message.rendered())))
    _ = try await session.reply(to: "the message", expect: [250])
    _ = try? await session.command("QUIT", step: "QUIT", expect: [221])
  }

  private func authenticate(
    _ session: inout Session, username: String, password: String, _ capabilities: SMTPReply
  ) async throws {
    let offered = Set(
      capabilities.lines.first { $0.uppercased().hasPrefix("AUTH") }
        .map { $0.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).dropFirst() }?
        .map(String.init) ?? [])
    let method: SMTPSettings.AuthMethod
    switch settings.auth {
    case .auto:
      if offered.contains("PLAIN") {
        method = .plain
      } else if offered.contains("LOGIN") {
        method = .login
      } else {
        throw SMTPError.authentication(
          "the server offers neither AUTH PLAIN nor AUTH LOGIN (it offers: \(offered.sorted().joined(separator: " ")))"
        )
      }
    case .plain, .login: method = settings.auth
    }
    func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    switch method {
    case .plain, .auto:
      _ = try await session.command(
        "AUTH PLAIN " + base64("\u{0}\(username)\u{0}\(password)"), step: "AUTH PLAIN",
        expect: [235])
    case .login:
      _ = try await session.command("AUTH LOGIN", step: "AUTH LOGIN", expect: [334])
      _ = try await session.command(base64(username), step: "the user name", expect: [334])
      _ = try await session.command(base64(password), step: "the password", expect: [235])
    }
  }

  private func makeTLSContext() throws -> NIOSSLContext {
    var configuration = TLSConfiguration.makeClientConfiguration()
    if let caFile = settings.caFile {
      configuration.additionalTrustRoots = [.file((caFile as NSString).expandingTildeInPath)]
    }
    if !settings.verifyCertificates { configuration.certificateVerification = .none }
    do {
      return try NIOSSLContext(configuration: configuration)
    } catch {
      throw SMTPError.tls("cannot set up TLS: \(error)")
    }
  }

  /// A TLS error in words, naming the usual cause.
  static func describe(_ error: any Error) -> String {
    let text = "\(error)"
    if text.contains("CERTIFICATE_VERIFY_FAILED") {
      return
        "the server's certificate is not trusted (CERTIFICATE_VERIFY_FAILED); if it is signed by a private CA, name it in smtp.ca_file"
    }
    return text
  }

  static func offers(_ extensionName: String, _ reply: SMTPReply) -> Bool {
    reply.lines.contains {
      $0.uppercased() == extensionName || $0.uppercased().hasPrefix(extensionName + " ")
    }
  }

  static func isIPAddress(_ host: String) -> Bool {
    host.contains(":")
      || host.split(separator: ".").count == 4
        && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
  }
}
