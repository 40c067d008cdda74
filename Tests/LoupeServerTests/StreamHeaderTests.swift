import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoupeCore
import LoupeServer
import LoupeStore
import NIOCore
import Testing

/// An ingested CSV stream keeps its column names once its header scrolls out of the window.
@Suite struct StreamHeaderTests {
  @Test(arguments: StoreFixture.kinds) func aLongCSVStreamIsStillReadAsCSV(kind: String)
    async throws
  {
    let server = try await TestServer.make(store: kind) { $0.streamWindow = 100 }
    let rows = (0..<300).map {
      String(
        format: "2024-01-15T08:%02d:%02dZ,/page/%d,%d,%d", $0 / 60 % 60, $0 % 60, $0 % 7,
        $0 == 250 ? 503 : 200, 100 + $0 % 13)
    }
    try await server.app.test(.router) { client in
      try await client.execute(
        uri: "/api/v1/ingest/metrics", method: .post, headers: [.contentType: "text/plain"],
        body: ByteBuffer(string: (["time,path,status,duration_ms"] + rows).joined(separator: "\n"))
      ) { #expect($0.json["accepted"] as? Int == 301) }
      await server.context.streams.waitUntilIdle()
      try await client.execute(uri: "/api/v1/streams/metrics", method: .get) { response in
        let analysis = response.json["analysis"] as? [String: Any]
        #expect(analysis?["format"] as? String == "csv")
        // The window's 100 rows, under the header put in front of them.
        #expect(analysis?["records"] as? Int == 100)
      }
    }
    await server.discard()
  }
}
