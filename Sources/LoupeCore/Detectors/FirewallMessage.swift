/// A connection as a firewall's message states it: the kernel's (iptables, UFW) `SRC=10.0.0.9
/// DST=10.0.0.1 … DPT=22`, or Cisco ASA's `src outside:198.51.100.6/40001 dst
/// inside:10.0.0.5/22`.
enum FirewallMessage {
  private static let kernelSource = Array(" SRC=".utf8)
  private static let kernelDestination = Array(" DST=".utf8)
  private static let kernelPort = Array(" DPT=".utf8)
  private static let asaSource = Array(" src ".utf8)
  private static let asaDestination = Array(" dst ".utf8)

  /// Whether messages of a template can state a connection (checked once per template).
  static func mayState(_ template: String) -> Bool {
    template.contains("DPT=") || (template.contains("src ") && template.contains(" dst "))
  }

  /// The connection in `span` of `bytes`, if it states one.
  static func connection(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan)
    -> ScanDetector.Connection?
  {
    // The message may start with the key: search from one byte before, as after a space.
    let searched = ByteSpan(max(0, span.start - 1), span.end)
    if let portAt = ByteClass.firstIndex(of: kernelPort, in: bytes, searched),
      let sourceAt = ByteClass.firstIndex(of: kernelSource, in: bytes, searched)
    {
      let source = token(bytes, from: sourceAt + kernelSource.count, span.end)
      let port = token(bytes, from: portAt + kernelPort.count, span.end)
      guard !source.isEmpty, let number = ByteClass.integer(bytes, port) else { return nil }
      let host = ByteClass.firstIndex(of: kernelDestination, in: bytes, searched).map {
        Hashing.fnv1a(bytes, token(bytes, from: $0 + kernelDestination.count, span.end))
      }
      return ScanDetector.Connection(
        source: string(bytes, source), host: host ?? 0, port: number)
    }
    guard let sourceAt = ByteClass.firstIndex(of: asaSource, in: bytes, searched),
      let destinationAt = ByteClass.firstIndex(of: asaDestination, in: bytes, searched),
      let source = endpoint(bytes, token(bytes, from: sourceAt + asaSource.count, span.end)),
      let destination = endpoint(
        bytes, token(bytes, from: destinationAt + asaDestination.count, span.end)),
      let number = ByteClass.integer(bytes, destination.port)
    else { return nil }
    return ScanDetector.Connection(
      source: string(bytes, source.host), host: Hashing.fnv1a(bytes, destination.host),
      port: number)
  }

  /// ASA's `interface:address/port`: the address and the port.
  private static func endpoint(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> (
    host: ByteSpan, port: ByteSpan
  )? {
    guard let colon = (span.start..<span.end).first(where: { bytes[$0] == 0x3A }),
      let slash = (colon..<span.end).first(where: { bytes[$0] == 0x2F }), slash > colon + 1
    else { return nil }
    return (ByteSpan(colon + 1, slash), ByteSpan(slash + 1, span.end))
  }

  private static func token(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ end: Int)
    -> ByteSpan
  {
    var index = start
    while index < end, bytes[index] != 0x20, bytes[index] != 0x09 { index += 1 }
    return ByteSpan(start, index)
  }

  private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ span: ByteSpan) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[span.start..<span.end]), as: UTF8.self)
  }
}
