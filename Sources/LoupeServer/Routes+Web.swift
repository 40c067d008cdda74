import Foundation
import HTTPTypes
import Hummingbird
import LoupeCore
import LoupeStore
import NIOCore

extension LoupeRoutes {
  /// The web app: upload page, analysis pages, downloads, static files.
  static func addWeb(to router: Router<LoupeRequestContext>, _ server: ServerContext) {
    router.get("/") { _, context in
      let owner = context.sessionID ?? ""
      let history = try await server.store.analyses(owner: owner, limit: 50, offset: 0)
      return WebPages.html(
        WebPages.index(
          history: history, models: try await server.store.modelNames(),
          csrf: context.csrfToken ?? "", maxUploadBytes: server.settings.maxUploadBytes))
    }
    router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
    router.get("/static/loupe.css") { _, _ in
      asset(StaticAssets.css, type: "text/css; charset=utf-8")
    }
    router.get("/static/loupe.js") { _, _ in
      asset(StaticAssets.javascript, type: "text/javascript; charset=utf-8")
    }
    router.post("/upload") { request, context in
      let form: UploadedForm
      do throws(UploadError) {
        form = try await UploadReceiver.receive(
          request, limit: server.settings.maxUploadBytes,
          directory: server.settings.uploadDirectory)
      } catch {
        return try await indexWithError(server, context, error.description, status: error.status)
      }
      defer { if let file = form.file { try? FileManager.default.removeItem(atPath: file.path) } }
      guard context.csrfPasses(request, formToken: form.fields["csrf_token"] ?? "") else {
        return try await indexWithError(
          server, context,
          "the form expired or came from another site (CSRF check failed); reload and try again",
          status: .forbidden)
      }
      guard let file = form.file else {
        return try await indexWithError(
          server, context, "choose a file to analyse", status: .badRequest)
      }
      do throws(AnalysisFailure) {
        let (detectors, model) = try choice(form.fields["model"])
        let analysis = try await server.runner.run(
          .file(file.path), name: file.name, owner: context.sessionID ?? "", detectors: detectors,
          modelName: model)
        var headers = HTTPFields()
        headers[.location] = "/analyses/\(analysis.id)"
        return Response(status: .seeOther, headers: headers)
      } catch {
        return try await indexWithError(
          server, context, error.description, status: HTTPResponse.Status(code: error.status))
      }
    }
    router.get("/analyses/:id") { request, context in
      let id = try context.parameters.require("id")
      guard let analysis = try await server.store.analysis(id: id) else {
        return WebPages.html(
          WebPages.message("Not found", "There is no analysis \(id)."), status: .notFound)
      }
      let query = findingQuery(request)
      let page = try await server.store.findings(analysis: id, query: query)
      let sessions = try await server.store.sessions(analysis: id)
      return WebPages.html(
        WebPages.analysis(analysis, page: page, query: query, sessions: sessions))
    }
    router.get("/analyses/:id/report") { _, context in
      let id = try context.parameters.require("id")
      guard let analysis = try await server.store.analysis(id: id) else {
        return JSONResponse.error(.notFound, "no analysis \(id)")
      }
      var headers = HTTPFields()
      headers[.contentType] = "text/html; charset=utf-8"
      // The report is self-contained: inline style and script, nothing from outside.
      headers[.contentSecurityPolicy] =
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
      return Response(
        status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: analysis.report)))
    }
    router.get("/analyses/:id/summary.json") { _, context in
      let id = try context.parameters.require("id")
      guard let analysis = try await server.store.analysis(id: id) else {
        return JSONResponse.error(.notFound, "no analysis \(id)")
      }
      return download(analysis.summary, type: "application/json", name: "\(id)_summary.json")
    }
    router.get("/analyses/:id/findings.csv") { _, context in
      let id = try context.parameters.require("id")
      guard try await server.store.analysis(id: id) != nil else {
        return JSONResponse.error(.notFound, "no analysis \(id)")
      }
      var csv =
        "line,timestamp,level,component,template_id,score,severity,detectors,reason,message\n"
      for finding in try await allFindings(server, id) {
        csv +=
          [
            String(finding.line), finding.timestamp ?? "", finding.level ?? "",
            TextEscaping.csv(finding.component ?? ""), finding.templateId,
            String(format: "%.4f", finding.score), finding.severity.rawValue,
            finding.detectors.joined(separator: ";"), TextEscaping.csv(finding.reason),
            TextEscaping.csv(finding.message),
          ].joined(separator: ",") + "\n"
      }
      return download(csv, type: "text/csv; charset=utf-8", name: "\(id)_anomalies.csv")
    }
    router.get("/analyses/:id/findings.json") { _, context in
      let id = try context.parameters.require("id")
      guard try await server.store.analysis(id: id) != nil else {
        return JSONResponse.error(.notFound, "no analysis \(id)")
      }
      let data = try JSONResponse.encoder.encode(try await allFindings(server, id))
      return download(
        String(decoding: data, as: UTF8.self), type: "application/json",
        name: "\(id)_anomalies.json")
    }
  }

  static func allFindings(_ server: ServerContext, _ id: String) async throws -> [StoredFinding] {
    var all: [StoredFinding] = []
    var page = 1
    while true {
      let batch = try await server.store.findings(
        analysis: id, query: FindingQuery(page: page, pageSize: 500))
      all += batch.findings
      if batch.findings.count < 500 { return all }
      page += 1
    }
  }

  static func asset(_ text: String, type: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = type
    headers[.cacheControl] = "max-age=3600"
    return Response(
      status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func download(_ text: String, type: String, name: String) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = type
    headers[.contentDisposition] = "attachment; filename=\"\(name)\""
    return Response(
      status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func indexWithError(
    _ server: ServerContext, _ context: LoupeRequestContext, _ message: String,
    status: HTTPResponse.Status
  ) async throws -> Response {
    let history = try await server.store.analyses(
      owner: context.sessionID ?? "", limit: 50, offset: 0)
    return WebPages.html(
      WebPages.index(
        history: history, models: try await server.store.modelNames(),
        csrf: context.csrfToken ?? "",
        error: message, maxUploadBytes: server.settings.maxUploadBytes), status: status)
  }

  /// A `model` form field: `model:NAME` for a saved model, else a detector choice.
  static func choice(_ field: String?) throws(AnalysisFailure) -> ([String]?, String?) {
    if let field, field.hasPrefix("model:") { return (nil, String(field.dropFirst(6))) }
    return (try AnalysisRunner.detectors(for: field), nil)
  }

  /// `?severity=&q=&sort=&page=&page_size=`.
  static func findingQuery(_ request: Request) -> FindingQuery {
    let parameters = request.uri.queryParameters
    return FindingQuery(
      severity: parameters.get("severity").flatMap { Severity(rawValue: $0.lowercased()) },
      search: parameters.get("q"),
      order: parameters.get("sort").flatMap { FindingQuery.Order(rawValue: $0) } ?? .line,
      page: parameters.get("page", as: Int.self) ?? 1,
      pageSize: parameters.get("page_size", as: Int.self) ?? 50)
  }
}
