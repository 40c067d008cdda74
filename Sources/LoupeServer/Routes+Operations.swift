import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension LoupeRoutes {
  /// `GET /healthz` and `GET /metrics`.
  static func addOperations(to router: Router<LoupeRequestContext>, _ server: ServerContext) {
    router.get("/healthz") { _, _ in
      do {
        _ = try await server.store.analyses(owner: "healthz", limit: 1, offset: 0)
        return JSONResponse.object(["status": "ok"])
      } catch {
        return JSONResponse.object(
          ["status": "error", "error": "the database does not answer"], status: .serviceUnavailable)
      }
    }
    router.get("/metrics") { _, _ in
      var headers = HTTPFields()
      headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
      return Response(
        status: .ok, headers: headers,
        body: .init(byteBuffer: ByteBuffer(string: server.metrics.text())))
    }
  }
}
