/// Recognises lines that continue the record above them: stack-trace frames, indented
/// continuation lines, `Caused by:`, Python traceback lines and PHP's numbered frames,
/// exception headers.
enum ContinuationLines {
  /// Whether the line at `span` continues the previous record.
  /// - Parameters:
  ///   - bytes: the buffer.
  ///   - span: a line that did not match the input's format.
  ///   - inTraceback: whether a Python traceback or a PHP stack trace is open above this line.
  static func isContinuation(
    _ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan, inTraceback: Bool
  )
    -> Bool
  {
    guard let first = span.isEmpty ? nil : bytes[span.start] else { return false }
    if first == 0x20 || first == 0x09 { return true }
    var cursor = ByteCursor(bytes, span)
    if cursor.consume("Caused by") || cursor.consume("Traceback (") || cursor.consume("... ")
      || cursor.consume("During handling") || cursor.consume("The above exception")
      || cursor.consume("Suppressed: ") || cursor.consume("Stack trace:")
    {
      return true
    }
    return isExceptionHeader(bytes, span)
      || (inTraceback && first != 0x5B && ByteClass.isLetter(first))
      || (inTraceback && isNumberedFrame(bytes, span))
  }

  /// Whether the line opens a traceback: Python's `Traceback (…`, PHP's `Stack trace:`.
  static func opensTraceback(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    var cursor = ByteCursor(bytes, span)
    return cursor.consume("Traceback (") || cursor.consume("Stack trace:")
  }

  /// A numbered frame of a PHP (or Ruby, gdb) stack trace: `#0 /var/www/index.php(3): …`.
  static func isNumberedFrame(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    var cursor = ByteCursor(bytes, span)
    guard cursor.consume(0x23), cursor.readInteger() != nil else { return false }
    return cursor.consume(0x20)
  }

  /// `java.lang.IllegalStateException: …`, `ValueError: …`, `com.x.FooError` alone.
  static func isExceptionHeader(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> Bool {
    var index = span.start
    while index < span.end {
      let byte = bytes[index]
      if ByteClass.isLetter(byte) || ByteClass.isDigit(byte) || byte == 0x2E || byte == 0x5F
        || byte == 0x24
      {
        index += 1
      } else {
        break
      }
    }
    guard index > span.start, index == span.end || bytes[index] == 0x3A else { return false }
    let name = UnsafeBufferPointer(rebasing: bytes[span.start..<index])
    return name.endsWith("Exception") || name.endsWith("Error") || name.endsWith("Throwable")
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Whether the bytes end with the ASCII `suffix`.
  func endsWith(_ suffix: StaticString) -> Bool {
    let count = suffix.utf8CodeUnitCount
    guard self.count >= count else { return false }
    let pointer = suffix.utf8Start
    for offset in 0..<count where self[self.count - count + offset] != pointer[offset] {
      return false
    }
    return true
  }
}
