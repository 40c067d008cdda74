import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Builds output lines as bytes and writes them in large blocks, so that generating millions
/// of lines costs no `String` per line. A value type, passed `inout`, so that appending costs no
/// run-time exclusivity check; ``close()`` ends it.
public struct LineWriter {
  private var buffer: [UInt8] = []
  private let descriptor: Int32
  private let ownsDescriptor: Bool
  /// The path written to (`-` for standard output), for messages.
  public let path: String
  private var scratch: [UInt8]
  /// Lines finished so far.
  public private(set) var lineCount = 0

  /// A write problem, naming the file.
  public struct WriteError: Error, CustomStringConvertible {
    /// The sentence for the user.
    public var description: String
  }

  /// Opens `path` for writing (truncating it), or standard output for `-`.
  /// - Throws: ``WriteError`` when the file cannot be created.
  public init(path: String) throws(WriteError) {
    scratch = [UInt8](repeating: 0, count: 24)
    self.path = path
    if path == "-" {
      descriptor = 1
      ownsDescriptor = false
    } else {
      descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      guard descriptor >= 0 else {
        throw WriteError(description: "\(path): cannot create: \(String(cString: strerror(errno)))")
      }
      ownsDescriptor = true
    }
    buffer.reserveCapacity(1 << 20)
  }

  /// Writes what is buffered and closes the file.
  /// - Throws: ``WriteError`` when the file cannot be written.
  public mutating func close() throws(WriteError) {
    try flush()
    if ownsDescriptor { _ = Glibc.close(descriptor) }
  }

  /// Appends raw bytes to the current line.
  public mutating func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

  /// Appends text to the current line.
  public mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

  /// Appends one byte.
  public mutating func append(byte: UInt8) { buffer.append(byte) }

  /// Appends an integer in decimal, zero-padded to `width` digits.
  public mutating func append(_ value: Int, width: Int = 0) {
    var rest = value.magnitude
    if value < 0 { buffer.append(0x2D) }
    var count = 0
    repeat {
      scratch[count] = UInt8(rest % 10) + 0x30
      count += 1
      rest /= 10
    } while rest > 0
    if width > count { buffer.append(contentsOf: repeatElement(0x30, count: width - count)) }
    while count > 0 {
      count -= 1
      buffer.append(scratch[count])
    }
  }

  /// Appends a number with `decimals` digits after the point.
  public mutating func append(_ value: Double, decimals: Int) {
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((abs(value) * Double(scale)).rounded())
    if value < 0 && scaled > 0 { buffer.append(0x2D) }
    append(scaled / scale)
    if decimals > 0 {
      buffer.append(0x2E)
      append(scaled % scale, width: decimals)
    }
  }

  /// Ends the current line, flushing to the file when the block is full.
  /// - Throws: ``WriteError`` when the file cannot be written.
  public mutating func endLine() throws(WriteError) {
    buffer.append(0x0A)
    lineCount += 1
    if buffer.count >= 1 << 20 { try flush() }
  }

  /// Writes what is buffered.
  /// - Throws: ``WriteError`` when the file cannot be written.
  public mutating func flush() throws(WriteError) {
    var written = 0
    let total = buffer.count
    var failure: Int32 = 0
    buffer.withUnsafeBytes { bytes in
      guard let base = bytes.baseAddress else { return }
      while written < total {
        let count = write(descriptor, base + written, total - written)
        if count < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        written += count
      }
    }
    buffer.removeAll(keepingCapacity: true)
    if failure != 0 {
      throw WriteError(description: "\(path): write failed: \(String(cString: strerror(failure)))")
    }
  }
}
