import CZlib

/// Gzip decompression through zlib, tolerant of truncated and multi-member files.
public enum Gzip {
  /// Whether `bytes` start with the gzip magic number `1f 8b`.
  /// - Parameter bytes: the first bytes of an input.
  /// - Returns: `true` for gzip data.
  public static func isGzip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
  }

  /// The outcome of decompressing possibly damaged gzip data.
  public struct Result: Sendable {
    /// Every byte that could be decompressed.
    public var bytes: [UInt8]
    /// Why decompression stopped early, when it did (truncated or corrupt data).
    public var problem: String?
  }

  /// Decompresses gzip data (all members), keeping whatever precedes damage.
  /// - Parameter input: the compressed bytes.
  /// - Returns: the decompressed bytes and, if the data was damaged, what went wrong.
  /// - Complexity: O(*n*) in the decompressed size.
  public static func decompress(_ input: [UInt8]) -> Result {
    var output: [UInt8] = []
    output.reserveCapacity(input.count * 4)
    var stream = z_stream()
    // 15 + 32: a zlib or gzip header, detected automatically.
    guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { return Result(bytes: [], problem: "zlib could not be initialised") }
    defer { inflateEnd(&stream) }

    let chunkSize = 1 << 18
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    var problem: String?
    input.withUnsafeBufferPointer { inBuffer in
      guard let base = inBuffer.baseAddress else { return }
      var consumed = 0
      while consumed < inBuffer.count {
        stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
        stream.avail_in = UInt32(min(inBuffer.count - consumed, Int(UInt32.max)))
        let before = Int(stream.avail_in)
        var status: Int32 = Z_OK
        repeat {
          status = chunk.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = UInt32(chunkSize)
            let code = inflate(&stream, Z_NO_FLUSH)
            let produced = chunkSize - Int(stream.avail_out)
            output.append(contentsOf: outBuffer[0..<produced])
            return code
          }
        } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
        consumed += before - Int(stream.avail_in)
        switch status {
        case Z_STREAM_END:
          // Another gzip member may follow (as `cat a.gz b.gz` makes); skip zero padding.
          while consumed < inBuffer.count && inBuffer[consumed] == 0 { consumed += 1 }
          if consumed < inBuffer.count { inflateReset(&stream) }
        case Z_OK, Z_BUF_ERROR:
          problem = "the gzip data is truncated; kept the \(output.count) bytes before the cut"
          return
        default:
          problem = "the gzip data is corrupt after \(output.count) decompressed bytes; kept those"
          return
        }
      }
    }
    return Result(bytes: output, problem: problem)
  }
}
