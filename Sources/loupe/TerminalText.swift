/// Log text made safe for one terminal line: cut to a length, line breaks and tabs turned into
/// spaces, and every other control character (an escape sequence's ESC, a bell, a backspace)
/// shown as U+FFFD, so a log line cannot move the cursor, clear the screen or retitle the
/// window of the person reading Loupe's output.
enum TerminalText {
  /// The first `limit` characters of `text`, on one line, without control characters.
  static func line(_ text: String, limit: Int) -> String {
    String(
      text.prefix(limit).map { character -> Character in
        if character.isNewline || character == "\t" { return " " }
        let control = character.unicodeScalars.contains {
          $0.properties.generalCategory == .control
        }
        return control ? "\u{FFFD}" : character
      })
  }
}
