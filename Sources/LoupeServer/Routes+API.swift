import Foundation
import HTTPTypes
import Hummingbird
import LoupeCore
import LoupeStore
import NIOCore

extension LoupeRoutes {
  /// The versioned REST API under `/api/v1`.
  static func addAPI(to router: Router<LoupeRequestContext>, _ server: ServerContext) {
    router.post("/api/v1/analyses") { request, context in
      guard context.csrfPasses(request) else { return csrfFailure() }
      let owner = context.cookieSent ? (context.sessionID ?? "api") : "api"
      do {
        let analysis = try await analyse(request, server, owner: owner)
        var response = JSONResponse.object(
          JSONResponse.analysis(analysis, withSummary: true), status: .created)
        response.headers[.location] = "/api/v1/analyses/\(analysis.id)"
        return response
      } catch let failure as RequestFailure {
        return JSONResponse.error(failure.status, failure.message)
      }
    }
    router.get("/api/v1/analyses") { request, context in
      let parameters = request.uri.queryParameters
      let limit = min(500, max(1, parameters.get("limit", as: Int.self) ?? 50))
      let offset = max(0, parameters.get("offset", as: Int.self) ?? 0)
      let owner = context.cookieSent ? context.sessionID : nil
      let analyses = try await server.store.analyses(owner: owner, limit: limit, offset: offset)
      return JSONResponse.object([
        "analyses": analyses.map { JSONResponse.analysis($0, withSummary: false) },
        "limit": limit, "offset": offset,
      ])
    }
    router.get("/api/v1/analyses/:id") { _, context in
      let id = try context.parameters.require("id")
      guard let analysis = try await server.store.analysis(id: id) else {
        return JSONResponse.error(.notFound, "no analysis \(id)")
      }
      var object = JSONResponse.analysis(analysis, withSummary: true)
      object["alerts"] = try await server.store.alerts(analysis: id).map {
        ["rule": $0.rule, "key": $0.key, "severity": $0.severity.rawValue, "title": $0.title]
      }
      return JSONResponse.object(object)
    }
    router.get("/api/v1/analyses/:id/findings") { request, context in
      let id = try context.parameters.require("id")
      guard try await server.store.analysis(id: id) != nil else {
        return JSONResponse.error(.notFound, "no analysis \(id)")
      }
      if let text = request.uri.queryParameters.get("severity"), !text.isEmpty,
        Severity(rawValue: text.lowercased()) == nil
      {
        return JSONResponse.error(.badRequest, "severity must be low, medium, high or critical")
      }
      return try JSONResponse.encode(
        try await server.store.findings(analysis: id, query: findingQuery(request)))
    }
    router.delete("/api/v1/analyses/:id") { request, context in
      guard context.csrfPasses(request) else { return csrfFailure() }
      let id = try context.parameters.require("id")
      guard try await server.store.delete(analysis: id) else {
        return JSONResponse.error(.notFound, "no analysis \(id)")
      }
      return Response(status: .noContent)
    }
    router.get("/api/v1/models") { _, _ in
      JSONResponse.object(["models": try await server.store.modelNames()])
    }
    router.put("/api/v1/models/:name") { request, context in
      guard context.csrfPasses(request) else { return csrfFailure() }
      let name = try context.parameters.require("name")
      guard !name.isEmpty, name.count <= 100,
        name.unicodeScalars.allSatisfy({
          CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
        })
      else {
        return JSONResponse.error(.badRequest, "a model name holds letters, digits, - _ and . only")
      }
      let body: ByteBuffer
      do { body = try await request.body.collect(upTo: 256 * 1024 * 1024) } catch {
        return JSONResponse.error(.contentTooLarge, "the model is larger than 256 MB")
      }
      let data = Data(buffer: body)
      do throws(LoupeModel.LoadError) { _ = try LoupeModel.decode(data, name: name) } catch {
        return JSONResponse.error(.badRequest, error.description)
      }
      try await server.store.saveModel(name: name, body: String(decoding: data, as: UTF8.self))
      return JSONResponse.object(["name": name, "saved": true], status: .created)
    }
    router.get("/api/v1/openapi.json") { _, _ in
      JSONResponse.object(OpenAPIDocument.document)
    }
  }

  /// A failed API request: its status and message.
  struct RequestFailure: Error {
    var status: HTTPResponse.Status
    var message: String
  }

  static func csrfFailure() -> Response {
    JSONResponse.error(
      .forbidden, "CSRF check failed: send the X-CSRF-Token header with the session's token")
  }

  /// Runs an analysis from a multipart upload (`file`, `model` or `detectors`) or a JSON body
  /// (`{"name", "lines": [...], "detectors" or "model"}`).
  static func analyse(_ request: Request, _ server: ServerContext, owner: String) async throws
    -> StoredAnalysis
  {
    let contentType = request.headers[.contentType]?.lowercased() ?? ""
    do {
      if contentType.hasPrefix("multipart/form-data") {
        let form: UploadedForm
        do throws(UploadError) {
          form = try await UploadReceiver.receive(
            request, limit: server.settings.maxUploadBytes,
            directory: server.settings.uploadDirectory)
        } catch {
          throw RequestFailure(status: error.status, message: error.description)
        }
        defer { if let file = form.file { try? FileManager.default.removeItem(atPath: file.path) } }
        guard let file = form.file else {
          throw RequestFailure(status: .badRequest, message: "the form has no file part")
        }
        let (detectors, model) = try choice(form.fields["model"] ?? form.fields["detectors"])
        return try await server.runner.run(
          .file(file.path), name: file.name, owner: owner, detectors: detectors, modelName: model)
      }
      if contentType.hasPrefix("application/json") {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: server.settings.maxUploadBytes) } catch {
          throw RequestFailure(
            status: .contentTooLarge,
            message: "the body is larger than the limit of \(server.settings.maxUploadBytes) bytes")
        }
        guard
          let object = try? JSONSerialization.jsonObject(with: Data(buffer: body))
            as? [String: Any],
          let lines = object["lines"] as? [String], !lines.isEmpty
        else {
          throw RequestFailure(
            status: .badRequest, message: "send {\"lines\": [\"…\", …]} with at least one line")
        }
        let name = (object["name"] as? String).map { String($0.prefix(200)) } ?? "lines"
        let (detectors, model) = try choice(
          (object["model"] as? String) ?? (object["detectors"] as? String))
        return try await server.runner.run(
          .lines(lines), name: name, owner: owner, detectors: detectors, modelName: model)
      }
    } catch let failure as AnalysisFailure {
      throw RequestFailure(
        status: HTTPResponse.Status(code: failure.status), message: failure.description)
    }
    throw RequestFailure(
      status: .unsupportedMediaType,
      message: "send multipart/form-data with a file part, or application/json with lines")
  }
}
