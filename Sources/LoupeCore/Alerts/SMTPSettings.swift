import Foundation

/// How e-mail leaves: the config's `smtp` section.
///
/// ```yaml
/// smtp:
///   host: smtp.example.com
///   port: 587                  # default: 587 for starttls, 465 for tls, 25 for none
///   security: starttls         # starttls, tls (implicit, port 465) or none (local relays)
///   username: alerts@example.com
///   password_env: LOUPE_SMTP_PASSWORD   # the default; or
///   password_file: ~/.config/loupe/smtp-password   # readable by its owner only
///   from: loupe@example.com
///   to: [oncall@example.com]   # default recipients
///   timeout: 30                # seconds to wait for the server at each step
///   ca_file: /etc/ssl/corp-ca.pem   # trust this CA too (default: the system's)
///   verify_certificates: true  # never turn off outside tests
///   auth: auto                 # auto, plain or login
///   helo: loupe.example.com    # default: this host's name
/// ```
///
/// The password never sits in the config or on the command line (where `ps` shows it): it
/// comes from the environment or from a file no one else may read.
public struct SMTPSettings: Sendable, Decodable, Equatable {
  /// The transport security.
  public enum Security: String, Sendable, Decodable, Equatable {
    /// Plain connection upgraded with STARTTLS (required).
    case starttls
    /// TLS from the first byte.
    case tls
    /// No encryption, for local relays.
    case none
  }

  /// How to authenticate.
  public enum AuthMethod: String, Sendable, Decodable, Equatable {
    /// PLAIN when offered, else LOGIN.
    case auto
    /// AUTH PLAIN.
    case plain
    /// AUTH LOGIN.
    case login
  }

  /// The server's host name.
  public var host: String
  /// The port.
  public var port: Int
  /// The transport security.
  public var security: Security = .starttls
  /// The user name; `nil`: no authentication.
  public var username: String?
  /// The environment variable that holds the password.
  public var passwordEnvironment: String = "LOUPE_SMTP_PASSWORD"
  /// A file holding the password.
  public var passwordFile: String?
  /// The sender address.
  public var from: String
  /// Default recipients.
  public var to: [String] = []
  /// Seconds to wait for the server at each step.
  public var timeout: Double = 30
  /// An extra CA certificate file (PEM) to trust.
  public var caFile: String?
  /// Whether to verify the server's certificate and name.
  public var verifyCertificates = true
  /// How to authenticate.
  public var auth: AuthMethod = .auto
  /// The name given in EHLO.
  public var helo: String?

  enum CodingKeys: String, CodingKey {
    case host, port, security, username, from, to, timeout, auth, helo, password
    case passwordEnvironment = "password_env"
    case passwordFile = "password_file"
    case caFile = "ca_file"
    case verifyCertificates = "verify_certificates"
  }

  /// Creates settings.
  public init(host: String, port: Int, security: Security, from: String) {
    self.host = host
    self.port = port
    self.security = security
    self.from = from
  }

  /// Decodes the settings; a `password` key is refused.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if container.contains(.password) {
      throw DecodingError.dataCorruptedError(
        forKey: .password, in: container,
        debugDescription:
          "smtp.password is not read from the config: set LOUPE_SMTP_PASSWORD (or smtp.password_env) or smtp.password_file"
      )
    }
    host = try container.decode(String.self, forKey: .host)
    if let text = try container.decodeIfPresent(String.self, forKey: .security) {
      guard let value = Security(rawValue: text.lowercased()) else {
        throw DecodingError.dataCorruptedError(
          forKey: .security, in: container,
          debugDescription: "smtp.security must be starttls, tls or none")
      }
      security = value
    }
    port =
      try container.decodeIfPresent(Int.self, forKey: .port)
      ?? (security == .tls ? 465 : security == .starttls ? 587 : 25)
    username = try container.decodeIfPresent(String.self, forKey: .username)
    passwordEnvironment =
      try container.decodeIfPresent(String.self, forKey: .passwordEnvironment)
      ?? "LOUPE_SMTP_PASSWORD"
    passwordFile = try container.decodeIfPresent(String.self, forKey: .passwordFile)
    from = try container.decode(String.self, forKey: .from)
    if let list = try? container.decodeIfPresent([String].self, forKey: .to) {
      to = list
    } else if let single = try container.decodeIfPresent(String.self, forKey: .to) {
      to = [single]
    }
    timeout = try container.decodeIfPresent(Double.self, forKey: .timeout) ?? 30
    caFile = try container.decodeIfPresent(String.self, forKey: .caFile)
    verifyCertificates =
      try container.decodeIfPresent(Bool.self, forKey: .verifyCertificates) ?? true
    if let text = try container.decodeIfPresent(String.self, forKey: .auth) {
      guard let value = AuthMethod(rawValue: text.lowercased()) else {
        throw DecodingError.dataCorruptedError(
          forKey: .auth, in: container, debugDescription: "smtp.auth must be auto, plain or login")
      }
      auth = value
    }
    helo = try container.decodeIfPresent(String.self, forKey: .helo)
  }

  /// What is wrong with the settings, or `nil`.
  public var problem: String? {
    if host.isEmpty { return "smtp.host is empty" }
    if !(1...65535).contains(port) { return "smtp.port must be in 1…65535" }
    if !Self.isAddress(from) { return "smtp.from is not an e-mail address" }
    if let bad = to.first(where: { !Self.isAddress($0) }) {
      return "smtp.to: '\(bad)' is not an e-mail address"
    }
    if timeout <= 0 { return "smtp.timeout must be positive" }
    return nil
  }

  /// Whether `text` looks like `local@domain` with nothing that could break an SMTP command
  /// or a header (no spaces, angle brackets, CR or LF).
  public static func isAddress(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, text.utf8.count <= 254 else {
      return false
    }
    return !text.unicodeScalars.contains {
      $0.value <= 32 || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" || $0.value == 127
    }
  }
}
