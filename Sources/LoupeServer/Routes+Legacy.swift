import Foundation
import HTTPTypes
import Hummingbird
import LoupeStore

extension LoupeRoutes {
  /// The endpoints of the earlier Flask tool: `POST /detect`, `GET /api/session`,
  /// `POST /clear-session`.
  static func addLegacy(to router: Router<LoupeRequestContext>, _ server: ServerContext) {
    router.post("/detect") { request, context in
      guard context.csrfPasses(request) else {
        return JSONResponse.object(
          ["success": false, "error": "CSRF check failed"], status: .forbidden)
      }
      do {
        let analysis = try await analyse(request, server, owner: context.sessionID ?? "api")
        return JSONResponse.object([
          "success": true, "error": NSNull(), "analysis_id": analysis.id,
          "url": "/analyses/\(analysis.id)", "records": analysis.records,
          "anomalies": analysis.anomalies,
        ])
      } catch let failure as RequestFailure {
        return JSONResponse.object(
          ["success": false, "error": failure.message], status: failure.status)
      }
    }
    router.get("/api/session") { _, context in
      let latest = try await server.store.analyses(
        owner: context.sessionID ?? "", limit: 1, offset: 0
      ).first
      var model: Any = NSNull()
      if let config = latest.flatMap({
        try? JSONSerialization.jsonObject(with: Data($0.config.utf8)) as? [String: Any]
      }) {
        model =
          config["model"] ?? (config["detectors"] as? [String])?.joined(separator: ",") ?? NSNull()
      }
      return JSONResponse.object([
        "session_id": context.sessionID ?? "",
        "current_file": latest?.inputName ?? NSNull(),
        "current_model": model,
        "has_results": latest != nil,
      ])
    }
    router.post("/clear-session") { request, context in
      var formToken: String?
      if request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded")
        == true
      {
        let body = try await request.body.collect(upTo: 64 * 1024)
        formToken =
          URLComponents(string: "?" + String(buffer: body))?.queryItems?.first {
            $0.name == "csrf_token"
          }?.value ?? ""
      }
      guard context.csrfPasses(request, formToken: formToken) else {
        return JSONResponse.object(
          ["success": false, "error": "CSRF check failed"], status: .forbidden)
      }
      let deleted = try await server.store.deleteAll(owner: context.sessionID ?? "")
      if formToken != nil {
        var headers = HTTPFields()
        headers[.location] = "/"
        return Response(status: .seeOther, headers: headers)
      }
      return JSONResponse.object(["success": true, "deleted": deleted])
    }
  }
}
