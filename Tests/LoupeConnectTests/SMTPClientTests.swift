import Foundation
import LoupeConnect
import LoupeCore
import Testing

/// The SMTP client against a real SMTP server (aiosmtpd) on loopback.
@Suite(.serialized) struct SMTPClientTests {
  let message = MailMessage(
    from: "loupe@example.com", to: ["oncall@example.com", "sre@example.com"],
    subject: "[critical] Loupe: 3 findings — café ☕",
    text:
      "Top findings:\n.a line that starts with a dot\n..two dots\nmessage with = and trailing space \nend",
    html: "<p>Top <b>findings</b> &amp; more</p>\n.dot line")

  func settings(_ security: SMTPSettings.Security, port: Int, ca: String?) -> SMTPSettings {
    var settings = SMTPSettings(
      host: "localhost", port: port, security: security, from: "loupe@example.com")
    settings.caFile = ca
    settings.timeout = 10
    return settings
  }

  @Test func sendsOverSTARTTLSWithAuthPlainAndProperMIME() async throws {
    let scratch = try ScratchDirectory()
    let certificate = try TestCertificate(in: scratch)
    let server = try TestPeer(
      script: "smtp_sink.py",
      arguments: [
        "--mode", "starttls", "--cert", certificate.certificate, "--key", certificate.key,
        "--user", "alerts", "--password", "s3cret", "--out", scratch.path,
      ])
    defer { server.stop() }
    var settings = settings(.starttls, port: server.port, ca: certificate.certificate)
    settings.username = "alerts"
    try await SMTPClient(settings: settings, password: "s3cret").send(message)
    let mail = try await waitForJSON(scratch.file("1.json"))
    #expect(mail["tls"] as? Bool == true)
    #expect(mail["authenticated"] as? Bool == true)
    #expect(mail["login"] as? String == "alerts")
    #expect(mail["mail_from"] as? String == "loupe@example.com")
    #expect(mail["rcpt_tos"] as? [String] == ["oncall@example.com", "sre@example.com"])
    let headers = try #require(mail["headers"] as? [String: String])
    #expect(headers["Subject"] == "[critical] Loupe: 3 findings — café ☕")
    #expect(headers["MIME-Version"] == "1.0")
    #expect(headers["To"] == "oncall@example.com, sre@example.com")
    #expect(headers["Date"]?.hasSuffix("+0000") == true)
    #expect(headers["Message-ID"]?.hasSuffix("@example.com>") == true)
    #expect(mail["content_type"] as? String == "multipart/alternative")
    let text = try #require(mail["text"] as? String)
    // Dot-stuffing undone by the server, quoted-printable decoded by the mail parser.
    #expect(text.contains("\n.a line that starts with a dot\n..two dots\n"))
    #expect(text.contains("message with = and trailing space \n"))
    let html = try #require(mail["html"] as? String)
    #expect(html.contains("<p>Top <b>findings</b> &amp; more</p>\n.dot line"))
  }

  @Test func sendsOverImplicitTLSWithAuthLogin() async throws {
    let scratch = try ScratchDirectory()
    let certificate = try TestCertificate(in: scratch)
    let server = try TestPeer(
      script: "smtp_sink.py",
      arguments: [
        "--mode", "implicit", "--cert", certificate.certificate, "--key", certificate.key,
        "--user", "alerts", "--password", "pa ss:wörd", "--out", scratch.path,
      ])
    defer { server.stop() }
    var settings = settings(.tls, port: server.port, ca: certificate.certificate)
    settings.username = "alerts"
    settings.auth = .login
    try await SMTPClient(settings: settings, password: "pa ss:wörd").send(message)
    let mail = try await waitForJSON(scratch.file("1.json"))
    #expect(mail["tls"] as? Bool == true)
    #expect(mail["authenticated"] as? Bool == true)
  }

  @Test func sendsPlainToALocalRelay() async throws {
    let scratch = try ScratchDirectory()
    let server = try TestPeer(
      script: "smtp_sink.py", arguments: ["--mode", "plain", "--out", scratch.path])
    defer { server.stop() }
    let text = MailMessage(
      from: "loupe@example.com", to: ["ops@example.com"], subject: "plain", text: ".\nbody",
      html: nil)
    try await SMTPClient(settings: settings(.none, port: server.port, ca: nil), password: nil)
      .send(text)
    let mail = try await waitForJSON(scratch.file("1.json"))
    #expect(mail["tls"] as? Bool == false)
    #expect(mail["content_type"] as? String == "text/plain")
    #expect(mail["text"] as? String == ".\nbody\n")
  }

  @Test func aWrongPasswordIsRefusedAtAuth() async throws {
    let scratch = try ScratchDirectory()
    let certificate = try TestCertificate(in: scratch)
    let server = try TestPeer(
      script: "smtp_sink.py",
      arguments: [
        "--mode", "starttls", "--cert", certificate.certificate, "--key", certificate.key,
        "--user", "alerts", "--password", "right", "--out", scratch.path,
      ])
    defer { server.stop() }
    var settings = settings(.starttls, port: server.port, ca: certificate.certificate)
    settings.username = "alerts"
    let error = await #expect(throws: SMTPError.self) {
      try await SMTPClient(settings: settings, password: "wrong").send(message)
    }
    #expect(error?.description.contains("AUTH PLAIN") == true)
    #expect(error?.description.contains("535") == true)
  }

  @Test func anUntrustedCertificateIsRefusedByDefault() async throws {
    let scratch = try ScratchDirectory()
    let certificate = try TestCertificate(in: scratch)
    let server = try TestPeer(
      script: "smtp_sink.py",
      arguments: [
        "--mode", "starttls", "--cert", certificate.certificate, "--key", certificate.key,
        "--out", scratch.path,
      ])
    defer { server.stop() }
    let error = await #expect(throws: SMTPError.self) {
      try await SMTPClient(settings: settings(.starttls, port: server.port, ca: nil), password: nil)
        .send(message)
    }
    #expect(error?.description.contains("certificate is not trusted") == true)
    #expect(!FileManager.default.fileExists(atPath: scratch.file("1.json")))
  }

  @Test func credentialsAreNeverSentUnencrypted() async throws {
    var settings = settings(.none, port: 1, ca: nil)
    settings.username = "alerts"
    let error = await #expect(throws: SMTPError.self) {
      try await SMTPClient(settings: settings, password: "x").send(message)
    }
    #expect(error?.description.contains("unencrypted") == true)
  }

  @Test func aSilentServerTimesOut() async throws {
    let listener = try SilentListener()
    var settings = settings(.none, port: listener.port, ca: nil)
    settings.host = "127.0.0.1"
    settings.timeout = 0.5
    let error = await #expect(throws: SMTPError.self) {
      try await SMTPClient(settings: settings, password: nil).send(message)
    }
    #expect(error?.description.contains("did not answer") == true)
  }

  @Test func aClosedPortIsAConnectionError() async throws {
    let port = try SilentListener().port  // closed again when the listener goes
    let error = await #expect(throws: SMTPError.self) {
      try await SMTPClient(
        settings: {
          var s = settings(.none, port: port, ca: nil)
          s.host = "127.0.0.1"
          return s
        }(), password: nil
      ).send(message)
    }
    #expect(error?.description.contains("cannot connect") == true)
  }
}
