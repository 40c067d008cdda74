import Testing

@testable import LoupeCore

@Suite struct NeedleSetTests {
  /// The one-pass search finds what searching for each needle in turn finds: the lowest index
  /// of any needle present, case-insensitively, within the span only.
  @Test func agreesWithSearchingEachNeedle() {
    let set = NeedleSet(RuleCatalog.uriMarkers)
    var random = SeededRandom(seed: 11)
    let alphabet = Array("abc./%2eEOR1=' <SCRIPT>unio selct+-/etcpaswd$(".utf8)
    for _ in 0..<3000 {
      var text = (0..<random.nextIndex(60)).map { _ in alphabet[random.nextIndex(alphabet.count)] }
      if random.nextIndex(4) == 0 {
        let marker = RuleCatalog.uriMarkers[random.nextIndex(RuleCatalog.uriMarkers.count)]
        text.insert(
          contentsOf: Array(marker.uppercased().utf8), at: random.nextIndex(text.count + 1))
      }
      let start = random.nextIndex(3)
      let span = ByteSpan(min(start, text.count), text.count)
      text.withUnsafeBufferPointer { bytes in
        let expected = set.needles.firstIndex { RuleCatalog.contains(bytes, span, $0) }
        #expect(
          set.firstNeedle(in: bytes, span) == expected, "\(String(decoding: text, as: UTF8.self))")
      }
    }
    let uri = Array("/a/B/../../ETC/PASSWD".utf8)
    uri.withUnsafeBufferPointer { bytes in
      // "../" comes first in the list, though "/etc/passwd" is also there.
      #expect(set.firstNeedle(in: bytes, ByteSpan(0, bytes.count)) == 0)
      // A needle that runs past the span's end is not found.
      #expect(set.firstNeedle(in: bytes, ByteSpan(10, bytes.count - 1)) == nil)
    }
  }
}
