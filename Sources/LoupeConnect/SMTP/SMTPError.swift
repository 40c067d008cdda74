/// Why an e-mail could not be sent, in one sentence.
public enum SMTPError: Error, CustomStringConvertible, Sendable {
  /// The server could not be reached.
  case connection(String)
  /// The server said nothing for this many seconds.
  case timeout(Double)
  /// The server refused a step.
  case refused(step: String, reply: String)
  /// The server broke the protocol.
  case protocolViolation(String)
  /// TLS could not be set up or the certificate was not trusted.
  case tls(String)
  /// Authentication cannot be done as configured.
  case authentication(String)
  /// The connection closed before the mail was accepted.
  case closed

  /// The sentence.
  public var description: String {
    switch self {
    case .connection(let text): "cannot connect to the SMTP server: \(text)"
    case .timeout(let seconds): "the SMTP server did not answer within \(seconds) s"
    case .refused(let step, let reply): "the SMTP server refused \(step): \(reply)"
    case .protocolViolation(let text): "SMTP protocol error: \(text)"
    case .tls(let text): "TLS with the SMTP server failed: \(text)"
    case .authentication(let text): "SMTP authentication: \(text)"
    case .closed: "the SMTP server closed the connection"
    }
  }
}
