/// Escaping for the text formats Loupe writes.
public enum TextEscaping {
  /// A CSV cell: quoted (with `"` doubled) when it holds a comma, quote, CR or LF.
  public static func csv(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
      return text
    }
    var output: [UInt8] = [0x22]
    output.reserveCapacity(text.utf8.count + 8)
    for byte in text.utf8 {
      output.append(byte)
      if byte == 0x22 { output.append(0x22) }
    }
    output.append(0x22)
    return String(decoding: output, as: UTF8.self)
  }

  /// Text for HTML or SVG: `& < > " '` become entities, so log text can never become markup.
  public static func html(_ text: String) -> String {
    guard text.utf8.contains(where: { [0x26, 0x3C, 0x3E, 0x22, 0x27].contains($0) }) else {
      return text
    }
    var output = ""
    output.reserveCapacity(text.utf8.count + 16)
    for character in text.unicodeScalars {
      switch character {
      case "&": output += "&amp;"
      case "<": output += "&lt;"
      case ">": output += "&gt;"
      case "\"": output += "&quot;"
      case "'": output += "&#39;"
      default: output.unicodeScalars.append(character)
      }
    }
    return output
  }

  /// JSON to embed in an HTML `<script type="application/json">` block: `<`, `>` and `&` are
  /// written as `\u003c`, `\u003e`, `\u0026`, so no log text can close the script element.
  public static func scriptJSON(_ json: String) -> String {
    let utf8 = json.utf8
    guard utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 }) else { return json }
    var output: [UInt8] = []
    output.reserveCapacity(utf8.count + 64)
    for byte in utf8 {
      switch byte {
      case 0x3C: output += Array("\\u003c".utf8)
      case 0x3E: output += Array("\\u003e".utf8)
      case 0x26: output += Array("\\u0026".utf8)
      default: output.append(byte)
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// A JSON string literal, quotes included.
  public static func json(_ text: String) -> String {
    let utf8 = text.utf8
    guard utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
      return "\"" + text + "\""
    }
    var output: [UInt8] = [0x22]
    output.reserveCapacity(utf8.count + 16)
    for byte in utf8 {
      switch byte {
      case 0x22: output += [0x5C, 0x22]
      case 0x5C: output += [0x5C, 0x5C]
      case 0x0A: output += [0x5C, 0x6E]
      case 0x0D: output += [0x5C, 0x72]
      case 0x09: output += [0x5C, 0x74]
      case ..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        output += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      default: output.append(byte)
      }
    }
    output.append(0x22)
    return String(decoding: output, as: UTF8.self)
  }
}
