import Foundation
import HTTPTypes
import Hummingbird
import LoupeStore
import NIOCore

extension LoupeRoutes {
  /// Live ingest: `POST /api/v1/ingest/{stream}` with NDJSON, a JSON array (what Vector's and
  /// Fluent Bit's HTTP outputs send) or plain lines; the stream's current analysis and lines.
  static func addIngest(to router: Router<LoupeRequestContext>, _ server: ServerContext) {
    router.post("/api/v1/ingest/:stream") { request, context in
      guard context.csrfPasses(request) else { return csrfFailure() }
      let stream = try context.parameters.require("stream")
      guard validStreamName(stream) else {
        return JSONResponse.error(
          .badRequest, "a stream name holds letters, digits, - _ and . only")
      }
      let body: ByteBuffer
      do { body = try await request.body.collect(upTo: server.settings.maxIngestBytes) } catch {
        return JSONResponse.error(
          .contentTooLarge,
          "the body is larger than the limit of \(server.settings.maxIngestBytes) bytes")
      }
      let lines: [String]
      do {
        lines = try ingestLines(body, contentType: request.headers[.contentType])
      } catch {
        return JSONResponse.error(.badRequest, "\(error)")
      }
      guard !lines.isEmpty else { return JSONResponse.error(.badRequest, "no lines in the body") }
      // Acknowledged only once committed.
      let last = try await server.store.appendIngest(
        stream: stream, lines: lines, at: Date().timeIntervalSince1970)
      server.metrics.ingested(lines.count, stream: stream)
      await server.streams.notify(stream)
      return JSONResponse.object(
        ["stream": stream, "accepted": lines.count, "last_seq": last], status: .accepted)
    }
    router.get("/api/v1/streams") { _, _ in
      JSONResponse.object([
        "streams": try await server.store.streams().map {
          ["stream": $0.stream, "lines": $0.lines]
        }
      ])
    }
    router.get("/api/v1/streams/:stream") { _, context in
      let stream = try context.parameters.require("stream")
      let lines = try await server.store.ingestedCount(stream: stream)
      guard lines > 0 else { return JSONResponse.error(.notFound, "no stream \(stream)") }
      var object: [String: Any] = ["stream": stream, "lines": lines]
      if let id = await server.streams.analysisID(stream),
        let analysis = try await server.store.analysis(id: id)
      {
        object["analysis"] = JSONResponse.analysis(analysis, withSummary: false)
      }
      return JSONResponse.object(object)
    }
    router.get("/streams/:stream") { _, context in
      let stream = try context.parameters.require("stream")
      guard let id = await server.streams.analysisID(stream) else {
        return WebPages.html(
          WebPages.message("No analysis yet", "Stream \(stream) has no analysis yet."),
          status: .notFound)
      }
      var headers = HTTPFields()
      headers[.location] = "/analyses/\(id)"
      return Response(status: .seeOther, headers: headers)
    }
  }

  static func validStreamName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 100
      && name.unicodeScalars.allSatisfy {
        CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
      }
  }

  struct IngestError: Error, CustomStringConvertible {
    var description: String
  }

  /// The lines of an ingest body: a JSON array's elements (objects re-serialised, strings as
  /// they are), NDJSON's lines, or plain text's lines; blank lines are dropped.
  static func ingestLines(_ body: ByteBuffer, contentType: String?) throws -> [String] {
    let data = Data(buffer: body)
    let type = contentType?.lowercased() ?? ""
    let trimmedStart = data.first { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }
    if type.hasPrefix("application/json")
      || (trimmedStart == UInt8(ascii: "[") && !type.hasPrefix("text/"))
    {
      guard let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
        if type.hasPrefix("application/json"), trimmedStart == UInt8(ascii: "{") {
          return try ndjson(data)
        }
        throw IngestError(description: "the body is not a JSON array")
      }
      return try array.map { element in
        if let text = element as? String { return text }
        guard JSONSerialization.isValidJSONObject(element) else {
          throw IngestError(description: "a JSON array element is neither an object nor a string")
        }
        return String(
          decoding: try JSONSerialization.data(withJSONObject: element, options: [.sortedKeys]),
          as: UTF8.self)
      }
    }
    if type.contains("ndjson") || type.contains("jsonlines") || type.contains("x-json-stream") {
      return try ndjson(data)
    }
    return plainLines(data)
  }

  /// Lines split on `\n` bytes (a `\r` before it dropped), blank ones left out.
  static func plainLines(_ data: Data) -> [String] {
    data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
      .map { String(decoding: $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0, as: UTF8.self) }
      .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
  }

  static func ndjson(_ data: Data) throws -> [String] {
    let lines = plainLines(data)
    for (index, line) in lines.enumerated()
    where (try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed]))
      == nil
    {
      throw IngestError(description: "NDJSON line \(index + 1) is not valid JSON")
    }
    return lines
  }
}
