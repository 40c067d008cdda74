import Foundation
import LoupeCore

/// An e-mail as RFC 5322 and MIME want it: headers (non-ASCII subjects as RFC 2047 encoded
/// words), and a `multipart/alternative` body with a text and an HTML part, both UTF-8 in
/// quoted-printable (lines of at most 76 characters, CRLF line ends).
public struct MailMessage: Sendable, Equatable {
  /// The sender address.
  public var from: String
  /// The recipients.
  public var to: [String]
  /// The subject (line breaks are removed).
  public var subject: String
  /// The plain-text part.
  public var text: String
  /// The HTML part; `nil`: a text-only message.
  public var html: String?
  /// The date header's time.
  public var date: Date

  /// Creates a message.
  public init(
    from: String, to: [String], subject: String, text: String, html: String?, date: Date = Date()
  ) {
    self.from = from
    self.to = to
    self.subject = subject
    self.text = text
    self.html = html
    self.date = date
  }

  /// The message, headers and body, with CRLF line ends (not yet dot-stuffed).
  public func rendered(boundarySeed: UInt64 = UInt64.random(in: 0...UInt64.max)) -> String {
    let boundary = "loupe-" + String(boundarySeed, radix: 16)
    let domain = from.split(separator: "@").last.map(String.init) ?? "loupe.invalid"
    var headers = [
      "From: \(from)",
      "To: \(to.joined(separator: ", "))",
      "Subject: \(Self.encodedHeader(subject))",
      "Date: \(Self.rfc5322Date(date))",
      "Message-ID: <\(String(boundarySeed, radix: 36)).\(Int(date.timeIntervalSince1970))@\(domain)>",
      "MIME-Version: 1.0",
      "X-Mailer: Loupe \(Loupe.version)",
    ]
    var body: [String]
    if let html {
      headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
      body = ["This is a multi-part message in MIME format.", ""]
      for (type, content) in [("text/plain", text), ("text/html", html)] {
        body += [
          "--\(boundary)",
          "Content-Type: \(type); charset=utf-8",
          "Content-Transfer-Encoding: quoted-printable",
          "",
          Self.quotedPrintable(content),
        ]
      }
      body.append("--\(boundary)--")
    } else {
      headers += [
        "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable",
      ]
      body = [Self.quotedPrintable(text)]
    }
    return (headers + [""] + body).joined(separator: "\r\n") + "\r\n"
  }

  /// A header value: unchanged when it is printable ASCII, otherwise RFC 2047 `B` encoded
  /// words of at most 75 characters, split between characters.
  static func encodedHeader(_ value: String) -> String {
    let clean = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(
      of: "\n", with: " ")
    if clean.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) { return clean }
    var words: [String] = []
    var chunk = ""
    for character in clean {
      if (chunk + String(character)).utf8.count > 45 {
        words.append(chunk)
        chunk = ""
      }
      chunk.append(character)
    }
    if !chunk.isEmpty { words.append(chunk) }
    return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }
      .joined(separator: "\r\n ")
  }

  /// Quoted-printable (RFC 2045) of UTF-8 text: line breaks become CRLF, bytes outside
  /// printable ASCII and `=` become `=XX`, trailing spaces are encoded and lines are wrapped
  /// with soft breaks before 76 characters.
  static func quotedPrintable(_ text: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var output: [String] = []
    let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
    for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
      let bytes = Array(line.utf8)
      var current: [UInt8] = []
      for (index, byte) in bytes.enumerated() {
        let last = index == bytes.count - 1
        var piece: [UInt8]
        if (byte == 32 || byte == 9) && !last {
          piece = [byte]
        } else if byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=") {
          piece = [byte]
        } else {
          piece = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
        }
        if current.count + piece.count > 75 {
          output.append(String(decoding: current + [UInt8(ascii: "=")], as: UTF8.self))
          current = []
        }
        current += piece
      }
      output.append(String(decoding: current, as: UTF8.self))
    }
    return output.joined(separator: "\r\n")
  }

  /// `Sat, 21 Nov 2026 14:00:00 +0000`.
  static func rfc5322Date(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
    return formatter.string(from: date)
  }

  /// The message ready for DATA: lines that start with `.` get another (dot-stuffing), and
  /// the terminating `.` line follows.
  static func dotStuffed(_ rendered: String) -> String {
    let lines = rendered.components(separatedBy: "\r\n")
    let body = lines.dropLast(lines.last == "" ? 1 : 0).map { $0.hasPrefix(".") ? "." + $0 : $0 }
    return body.joined(separator: "\r\n") + "\r\n.\r\n"
  }
}
