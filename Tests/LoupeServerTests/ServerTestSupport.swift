import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LoupeCore
import LoupeServer
import LoupeStore
import NIOCore

/// A server over a fresh SQLite file (or a fresh PostgreSQL database), thrown away after.
struct TestServer {
  let context: ServerContext
  let discard: @Sendable () async -> Void

  static func make(
    store kind: String = "sqlite", configure: (inout ServerSettings) -> Void = { _ in }
  ) async throws -> TestServer {
    var settings = ServerSettings()
    settings.port = 0
    settings.streamInterval = 0.05
    settings.uploadDirectory = NSTemporaryDirectory()
    configure(&settings)
    let (store, _, discard) = try await StoreFixture.make(kind)
    return TestServer(
      context: ServerContext(store: store, settings: settings, followUp: nil), discard: discard)
  }

  var app: some ApplicationProtocol { LoupeRoutes.application(context) }
}

/// Fresh stores for the server tests: SQLite always, PostgreSQL when `.ci/run` started one.
enum StoreFixture {
  static let postgresURL = ProcessInfo.processInfo.environment["LOUPE_TEST_POSTGRES_URL"]
  static var kinds: [String] { postgresURL == nil ? ["sqlite"] : ["sqlite", "postgres"] }

  static func make(_ kind: String) async throws -> (
    SQLResultStore, String, @Sendable () async -> Void
  ) {
    if kind == "postgres", let url = postgresURL {
      let name =
        "loupe_srv_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
      let admin = try PostgresExecutor(url: url)
      try await admin.execute("CREATE DATABASE \(name)", [])
      var components = URLComponents(string: url)
      components?.path = "/" + name
      let location = components?.string ?? url
      let store = try await StoreOpener.open(location)
      return (
        store, location,
        {
          await store.close()
          try? await admin.execute("DROP DATABASE \(name)", [])
          await admin.close()
        }
      )
    }
    let path = NSTemporaryDirectory() + "loupe-server-\(UUID().uuidString).sqlite"
    let store = try await StoreOpener.open(path)
    return (
      store, path,
      {
        await store.close()
        for suffix in ["", "-wal", "-shm"] {
          try? FileManager.default.removeItem(atPath: path + suffix)
        }
      }
    )
  }
}

/// A multipart/form-data body.
struct MultipartBody {
  static let boundary = "loupe-test-boundary-7f3a"
  var parts: [(name: String, filename: String?, data: Data)] = []

  var contentType: String { "multipart/form-data; boundary=\(Self.boundary)" }

  var buffer: ByteBuffer {
    var data = Data()
    for part in parts {
      data += Data("--\(Self.boundary)\r\n".utf8)
      var disposition = "Content-Disposition: form-data; name=\"\(part.name)\""
      if let filename = part.filename { disposition += "; filename=\"\(filename)\"" }
      data += Data((disposition + "\r\n").utf8)
      if part.filename != nil { data += Data("Content-Type: application/octet-stream\r\n".utf8) }
      data += Data("\r\n".utf8) + part.data + Data("\r\n".utf8)
    }
    data += Data("--\(Self.boundary)--\r\n".utf8)
    return ByteBuffer(bytes: data)
  }
}

/// A small log with findings, one of them holding markup.
enum TestLogs {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let sample = root.appendingPathComponent("Samples/app.log").path

  static var lines: [String] {
    (0..<1200).map { index in
      let time = String(format: "2024-03-01 10:%02d:%02d", index / 60 % 60, index % 60)
      switch index {
      case 300: return "\(time) FATAL [Kernel] out of memory <script>alert('x')</script> killed"
      case 600, 900: return "\(time) ERROR [Db] connection refused by db-\(index % 3)"
      default: return "\(time) INFO [Gateway] request \(index) served in \(index % 40 + 10) ms"
      }
    }
  }

  static var text: Data { Data((lines.joined(separator: "\n") + "\n").utf8) }
}

extension TestResponse {
  var text: String { String(buffer: body) }
  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
  }
}

/// The session cookie and CSRF token a browser gets from `GET /`.
struct BrowserSession {
  var cookie: String
  var token: String

  static func start(_ client: some TestClientProtocol) async throws -> BrowserSession {
    try await client.execute(uri: "/", method: .get) { response in
      let setCookie = response.headers[.setCookie] ?? ""
      let cookie = String(setCookie.split(separator: ";").first ?? "")
      let html = response.text
      let marker = "name=\"csrf_token\" value=\""
      let start = html.range(of: marker)?.upperBound
      let token = start.map { String(html[$0...].prefix { $0 != "\"" }) } ?? ""
      return BrowserSession(cookie: cookie, token: token)
    }
  }

  func headers(_ extra: HTTPFields = [:]) -> HTTPFields {
    var headers = extra
    headers[.cookie] = cookie
    return headers
  }
}
