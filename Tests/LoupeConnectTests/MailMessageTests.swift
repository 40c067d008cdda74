import Foundation
import Testing

@testable import LoupeConnect

/// The e-mail's MIME rendering.
@Suite struct MailMessageTests {
  @Test func quotedPrintableKeepsLinesShortAndEscapesWhatItMust() {
    let long = String(repeating: "é=x ", count: 40)
    let encoded = MailMessage.quotedPrintable("a \nb\t\n" + long)
    let lines = encoded.components(separatedBy: "\r\n")
    #expect(lines[0] == "a=20")
    #expect(lines[1] == "b=09")
    #expect(lines.allSatisfy { $0.utf8.count <= 76 })
    #expect(lines[2].hasPrefix("=C3=A9=3Dx "))
    #expect(lines.dropLast().dropFirst(2).allSatisfy { $0.hasSuffix("=") })
  }

  @Test func headersAreEncodedAndCannotBeInjected() {
    #expect(MailMessage.encodedHeader("plain subject") == "plain subject")
    #expect(MailMessage.encodedHeader("a\r\nBcc: x@y.z") == "a  Bcc: x@y.z")
    let encoded = MailMessage.encodedHeader(String(repeating: "ü", count: 40))
    #expect(encoded.hasPrefix("=?UTF-8?B?"))
    #expect(encoded.components(separatedBy: "\r\n ").allSatisfy { $0.count <= 75 })
  }

  @Test func dataIsDotStuffedAndTerminated() {
    let stuffed = MailMessage.dotStuffed("a\r\n.b\r\n..c\r\n.\r\n")
    #expect(stuffed == "a\r\n..b\r\n...c\r\n..\r\n.\r\n")
    let message = MailMessage(
      from: "a@b.c", to: ["d@e.f"], subject: "s", text: "t", html: "<p>h</p>",
      date: Date(timeIntervalSince1970: 0))
    let rendered = message.rendered(boundarySeed: 255)
    #expect(rendered.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
    #expect(rendered.contains("boundary=\"loupe-ff\""))
    #expect(rendered.hasSuffix("--loupe-ff--\r\n"))
  }
}
