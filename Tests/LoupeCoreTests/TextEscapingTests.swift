import Foundation
import Testing

@testable import LoupeCore

@Suite struct TextEscapingTests {
  @Test(arguments: [
    "plain", "quote \" and \\ backslash", "line\nbreak\r\ttab", "bell \u{07} nul \u{00}",
    "café 😀 <script>",
  ])
  func jsonRoundTrips(text: String) throws {
    let literal = TextEscaping.json(text)
    let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
    #expect(decoded == [text])
  }

  @Test func csvQuotesOnlyWhenNeeded() {
    #expect(TextEscaping.csv("plain") == "plain")
    #expect(TextEscaping.csv("a,b") == "\"a,b\"")
    #expect(TextEscaping.csv("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(TextEscaping.csv("two\nlines") == "\"two\nlines\"")
  }
}
