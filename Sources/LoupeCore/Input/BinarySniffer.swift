/// Tells text from binary data by looking at the first bytes of an input.
public enum BinarySniffer {
  /// Whether `bytes` look like binary data rather than a text log: NUL bytes, or more than
  /// 10% control bytes other than tab, CR, LF, form feed and escape, in the first 64 KiB.
  /// - Parameter bytes: the input.
  /// - Returns: `true` for binary data.
  public static func isBinary(_ bytes: [UInt8]) -> Bool {
    let sample = bytes.prefix(65_536)
    guard !sample.isEmpty else { return false }
    var control = 0
    var nul = 0
    for byte in sample {
      if byte == 0 {
        nul += 1
      } else if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C
        && byte != 0x1B
      {
        control += 1
      }
    }
    return nul * 100 > sample.count || (nul + control) * 10 > sample.count
  }
}
