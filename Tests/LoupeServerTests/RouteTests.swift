import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoupeCore
import LoupeServer
import LoupeStore
import NIOCore
import Testing

/// The routes, in process.
@Suite struct RouteTests {
  func postLines(_ client: some TestClientProtocol, name: String = "api.log") async throws
    -> String
  {
    let body = try JSONSerialization.data(withJSONObject: ["name": name, "lines": TestLogs.lines])
    return try await client.execute(
      uri: "/api/v1/analyses", method: .post, headers: [.contentType: "application/json"],
      body: ByteBuffer(bytes: body)
    ) { response in
      #expect(response.status == .created)
      #expect(response.headers[.location]?.hasPrefix("/api/v1/analyses/") == true)
      return response.json["id"] as? String ?? ""
    }
  }

  /// In process, and over a real socket.
  static let modes = ["router", "live"]

  static func mode(_ name: String) -> TestingSetup { name == "live" ? .live : .router }

  @Test(arguments: StoreFixture.kinds, modes)
  func restAPIAnalysesListsPagesAndDeletes(kind: String, mode: String) async throws {
    let server = try await TestServer.make(store: kind)
    try await server.app.test(Self.mode(mode)) { client in
      let id = try await postLines(client)
      try await client.execute(uri: "/api/v1/analyses", method: .get) { response in
        let list = response.json["analyses"] as? [[String: Any]] ?? []
        #expect(list.map { $0["id"] as? String } == [id])
      }
      try await client.execute(uri: "/api/v1/analyses/\(id)", method: .get) { response in
        #expect(response.status == .ok)
        let summary = response.json["summary"] as? [String: Any]
        #expect(summary?["records"] as? Int == 1200)
        #expect(response.json["input_name"] as? String == "api.log")
      }
      try await client.execute(
        uri: "/api/v1/analyses/\(id)/findings?q=refused&page_size=1", method: .get
      ) { response in
        #expect(response.json["total"] as? Int == 2)
        #expect((response.json["findings"] as? [Any])?.count == 1)
      }
      try await client.execute(
        uri: "/api/v1/analyses/\(id)/findings?severity=critical", method: .get
      ) { response in
        let findings = response.json["findings"] as? [[String: Any]] ?? []
        #expect(findings.allSatisfy { $0["severity"] as? String == "critical" })
      }
      try await client.execute(uri: "/api/v1/analyses/\(id)/findings?severity=awful", method: .get)
      {
        #expect($0.status == .badRequest)
      }
      try await client.execute(uri: "/api/v1/analyses/\(id)", method: .delete) {
        #expect($0.status == .noContent)
      }
      for uri in ["/api/v1/analyses/\(id)", "/api/v1/analyses/\(id)/findings", "/analyses/\(id)"] {
        try await client.execute(uri: uri, method: .get) { #expect($0.status == .notFound) }
      }
      try await client.execute(uri: "/api/v1/analyses/\(id)", method: .delete) {
        #expect($0.status == .notFound)
      }
    }
    await server.discard()
  }

  @Test(arguments: modes) func uploadsAreStreamedAndBadOnesGetA4xx(mode: String) async throws {
    let uploads = NSTemporaryDirectory() + "loupe-uploads-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: uploads) }
    let server = try await TestServer.make {
      $0.maxUploadBytes = 200_000
      $0.uploadDirectory = uploads
    }
    try await server.app.test(Self.mode(mode)) { client in
      func upload(_ body: MultipartBody, contentType: String? = nil) async throws -> (
        HTTPResponse.Status, [String: Any]
      ) {
        try await client.execute(
          uri: "/api/v1/analyses", method: .post,
          headers: [.contentType: contentType ?? body.contentType], body: body.buffer
        ) { ($0.status, $0.json) }
      }
      let good = try await upload(
        MultipartBody(parts: [
          ("file", "app.log", TestLogs.text), ("model", nil, Data("autoencoder".utf8)),
        ]))
      #expect(good.0 == .created)
      #expect(
        (good.1["config"] as? [String: Any])?["detectors"] as? [String] == [
          "autoencoder", "rules", "rare", "fields", "extremes", "secrets", "flood", "burst",
          "bruteforce", "scan", "rate",
        ])
      let oversize = try await upload(
        MultipartBody(parts: [("file", "big.log", Data(repeating: 65, count: 300_000))]))
      #expect(oversize.0 == .contentTooLarge)
      let binary = try await upload(
        MultipartBody(parts: [("file", "blob.bin", Data((0..<4096).map { UInt8($0 % 256) }))]))
      #expect(binary.0 == .unprocessableContent)
      #expect(
        ((binary.1["error"] as? [String: Any])?["message"] as? String)?.contains("blob.bin") == true
      )
      let traversal = try await upload(
        MultipartBody(parts: [("file", "../../etc/passwd", TestLogs.text)]))
      #expect(traversal.0 == .badRequest)
      let unknown = try await upload(
        MultipartBody(parts: [
          ("file", "app.log", TestLogs.text), ("model", nil, Data("magic".utf8)),
        ]))
      #expect(unknown.0 == .badRequest)
      let noFile = try await upload(MultipartBody(parts: [("model", nil, Data("iforest".utf8))]))
      #expect(noFile.0 == .badRequest)
      // A body cut off inside the file part.
      var truncated = MultipartBody(parts: [("file", "app.log", TestLogs.text)]).buffer
      truncated.moveWriterIndex(to: truncated.writerIndex - 40)
      try await client.execute(
        uri: "/api/v1/analyses", method: .post,
        headers: [.contentType: MultipartBody().contentType], body: truncated
      ) { #expect($0.status == .badRequest) }
      try await client.execute(
        uri: "/api/v1/analyses", method: .post, headers: [.contentType: "text/csv"],
        body: ByteBuffer(string: "a,b")
      ) { #expect($0.status == .unsupportedMediaType) }
      // Nothing else broke.
      try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
    }
    // Every upload, good or refused, is gone from the upload directory.
    #expect(try FileManager.default.contentsOfDirectory(atPath: uploads) == [])
    await server.discard()
  }

  @Test func browserFormsNeedTheSessionsCSRFTokenAndPagesEscapeLogText() async throws {
    let server = try await TestServer.make()
    try await server.app.test(.router) { client in
      let session = try await BrowserSession.start(client)
      #expect(session.cookie.hasPrefix("loupe_session="))
      #expect(session.token.count == 64)
      func upload(token: String) async throws -> (HTTPResponse.Status, String?) {
        let body = MultipartBody(parts: [
          ("csrf_token", nil, Data(token.utf8)), ("file", "app.log", TestLogs.text),
          ("model", nil, Data("isolation_forest".utf8)),
        ])
        return try await client.execute(
          uri: "/upload", method: .post,
          headers: session.headers([.contentType: body.contentType]), body: body.buffer
        ) { ($0.status, $0.headers[.location]) }
      }
      // A token with its first character changed (to one it does not already have).
      let forged = (session.token.hasPrefix("0") ? "1" : "0") + session.token.dropFirst()
      #expect(try await upload(token: forged).0 == .forbidden)
      let (status, location) = try await upload(token: session.token)
      #expect(status == .seeOther)
      let page = try #require(location)
      try await client.execute(uri: page, method: .get, headers: session.headers()) { response in
        #expect(response.status == .ok)
        let csp = response.headers[.contentSecurityPolicy] ?? ""
        #expect(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"))
        #expect(response.text.contains("&lt;script&gt;alert("))
        #expect(!response.text.contains("<script>alert("))
        #expect(response.text.contains("id=\"findings-table\""))
        #expect(response.text.contains("src=\"data:image/svg+xml;base64,"))
      }
      try await client.execute(
        uri: page + "?severity=critical&sort=score", method: .get, headers: session.headers()
      ) { response in
        #expect(response.text.contains("<option value=\"critical\" selected>"))
        #expect(!response.text.contains("class=\"sev low\""))
      }
      try await client.execute(uri: page + "/findings.csv", method: .get) { response in
        #expect(response.text.hasPrefix("line,timestamp,level,component,template_id"))
        #expect(response.headers[.contentDisposition]?.contains("attachment") == true)
      }
      try await client.execute(uri: page + "/report", method: .get) { response in
        #expect(response.text.contains("<!DOCTYPE html>"))
      }
      // Another browser sees none of it.
      let other = try await BrowserSession.start(client)
      try await client.execute(uri: "/", method: .get, headers: other.headers()) { response in
        #expect(response.text.contains("No analyses in this session yet."))
      }
      try await client.execute(uri: "/", method: .get, headers: session.headers()) { response in
        #expect(response.text.contains("app.log"))
      }
      // API calls with the cookie need the token too; without the cookie they need none.
      try await client.execute(
        uri: page.replacingOccurrences(of: "/analyses/", with: "/api/v1/analyses/"),
        method: .delete, headers: session.headers()
      ) {
        #expect($0.status == .forbidden)
      }
    }
    await server.discard()
  }

  @Test func theFlaskToolsEndpointsWork() async throws {
    let server = try await TestServer.make()
    try await server.app.test(.router) { client in
      let session = try await BrowserSession.start(client)
      try await client.execute(uri: "/api/session", method: .get, headers: session.headers()) {
        #expect($0.json["has_results"] as? Bool == false)
        #expect(
          $0.json["session_id"] as? String
            == String(session.cookie.dropFirst("loupe_session=".count)))
      }
      let body = MultipartBody(parts: [
        ("file", "app.log", TestLogs.text), ("model", nil, Data("isolation_forest".utf8)),
      ])
      try await client.execute(
        uri: "/detect", method: .post,
        headers: session.headers([
          .contentType: body.contentType, .csrfTokenForTests: session.token,
        ]),
        body: body.buffer
      ) { response in
        #expect(response.json["success"] as? Bool == true)
        #expect(response.json["analysis_id"] is String)
      }
      try await client.execute(
        uri: "/detect", method: .post,
        headers: session.headers([.contentType: body.contentType]), body: body.buffer
      ) { response in
        #expect(response.status == .forbidden)
        #expect(response.json["success"] as? Bool == false)
      }
      try await client.execute(uri: "/api/session", method: .get, headers: session.headers()) {
        #expect($0.json["has_results"] as? Bool == true)
        #expect($0.json["current_file"] as? String == "app.log")
      }
      try await client.execute(
        uri: "/clear-session", method: .post,
        headers: session.headers([.csrfTokenForTests: session.token])
      ) { #expect($0.json["deleted"] as? Int == 1) }
      try await client.execute(uri: "/api/session", method: .get, headers: session.headers()) {
        #expect($0.json["has_results"] as? Bool == false)
      }
      // A script without a session gets a JSON error for a bad upload.
      try await client.execute(
        uri: "/detect", method: .post, headers: [.contentType: "multipart/form-data; boundary=x"],
        body: ByteBuffer(string: "garbage")
      ) { response in
        #expect(response.status == .badRequest)
        #expect(response.json["success"] as? Bool == false)
      }
    }
    await server.discard()
  }

  @Test func openAPIDocumentMatchesTheRoutes() async throws {
    let server = try await TestServer.make()
    let router = LoupeRoutes.router(server.context)
    let routes = Set(
      router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" }
        .filter { $0.contains(" /api/v1/") }
        .map {
          $0.replacingOccurrences(of: #":([a-z]+)"#, with: "{$1}", options: .regularExpression)
        })
    try await server.app.test(.router) { client in
      try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
        let paths = response.json["paths"] as? [String: [String: Any]] ?? [:]
        var documented = Set<String>()
        for (path, methods) in paths {
          for method in methods.keys { documented.insert("\(method) \(path)") }
        }
        #expect(documented == routes)
        #expect(response.json["openapi"] as? String == "3.1.0")
      }
    }
    await server.discard()
  }

  @Test func healthAndMetrics() async throws {
    let server = try await TestServer.make()
    try await server.app.test(.router) { client in
      _ = try await postLines(client)
      try await client.execute(uri: "/healthz", method: .get) {
        #expect($0.json["status"] as? String == "ok")
      }
      try await client.execute(uri: "/metrics", method: .get) { response in
        #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = response.text
        #expect(
          text.contains(
            "loupe_http_requests_total{method=\"POST\",route=\"/api/v1/analyses\",status=\"201\"} 1"
          ))
        #expect(text.contains("loupe_analyses_total 1"))
        #expect(text.contains("# TYPE loupe_analysis_duration_seconds histogram"))
        #expect(text.contains("loupe_findings_total{severity=\"critical\"}"))
      }
    }
    await server.discard()
  }

  @Test(arguments: StoreFixture.kinds) func ingestedStreamsAreAnalysedAsTheyGrow(kind: String)
    async throws
  {
    let server = try await TestServer.make(store: kind)
    try await server.app.test(.router) { client in
      let lines = TestLogs.lines
      let ndjson = lines.prefix(600).map {
        String(
          decoding: try! JSONSerialization.data(
            withJSONObject: ["message": $0], options: [.sortedKeys]),
          as: UTF8.self)
      }
      try await client.execute(
        uri: "/api/v1/ingest/web", method: .post, headers: [.contentType: "application/x-ndjson"],
        body: ByteBuffer(string: ndjson.joined(separator: "\n"))
      ) { response in
        #expect(response.status == .accepted)
        #expect(response.json["accepted"] as? Int == 600)
      }
      try await client.execute(
        uri: "/api/v1/ingest/web", method: .post, headers: [.contentType: "application/json"],
        body: ByteBuffer(
          bytes: try JSONSerialization.data(
            withJSONObject: lines.dropFirst(600).prefix(300).map { ["message": $0] }))
      ) { #expect($0.json["last_seq"] as? Int == 900) }
      try await client.execute(
        uri: "/api/v1/ingest/plain", method: .post, headers: [.contentType: "text/plain"],
        body: ByteBuffer(string: lines.joined(separator: "\r\n"))
      ) { #expect($0.json["accepted"] as? Int == 1200) }
      try await client.execute(
        uri: "/api/v1/ingest/web", method: .post, headers: [.contentType: "application/x-ndjson"],
        body: ByteBuffer(string: "{\"ok\":1}\n{broken")
      ) { #expect($0.status == .badRequest) }
      try await client.execute(
        uri: "/api/v1/ingest/bad%2Fname", method: .post, body: ByteBuffer(string: "x")
      ) {
        #expect($0.status == .badRequest)
      }
      await server.context.streams.waitUntilIdle()
      try await client.execute(uri: "/api/v1/streams/plain", method: .get) { response in
        let analysis = response.json["analysis"] as? [String: Any]
        #expect(analysis?["records"] as? Int == 1200)
        #expect((analysis?["anomalies"] as? Int ?? 0) > 0)
      }
      try await client.execute(uri: "/api/v1/streams/web", method: .get) { response in
        #expect(response.json["lines"] as? Int == 900)
        // The messages are application log lines: their headers give the levels.
        #expect((response.json["analysis"] as? [String: Any])?["format"] as? String == "json+app")
      }
      try await client.execute(uri: "/api/v1/streams", method: .get) { response in
        let streams = response.json["streams"] as? [[String: Any]] ?? []
        #expect(streams.compactMap { $0["stream"] as? String } == ["plain", "web"])
      }
      try await client.execute(uri: "/metrics", method: .get) {
        #expect($0.text.contains("loupe_ingested_lines_total{stream=\"web\"} 900"))
      }
    }
    await server.discard()
  }
}

extension HTTPField.Name {
  static let csrfTokenForTests = HTTPField.Name("X-CSRF-Token")!
}
