import Foundation
import HTTPTypes
import Hummingbird
import LoupeStore
import NIOCore

/// JSON bodies: encodable values in snake_case, and dictionaries.
enum JSONResponse {
  static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }()

  static func response(_ data: Data, status: HTTPResponse.Status) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json; charset=utf-8"
    return Response(
      status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// An encodable value.
  static func encode<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws
    -> Response
  {
    response(try encoder.encode(value), status: status)
  }

  /// A JSON object or array.
  static func object(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
    let data =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    return response(data, status: status)
  }

  /// `{"error": {"message": …}}` with a status.
  static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
    object(["error": ["message": message]], status: status)
  }

  /// An analysis as the API shows it: its columns, its URL and its summary.
  static func analysis(_ analysis: StoredAnalysis, withSummary: Bool) -> [String: Any] {
    var object: [String: Any] = [
      "id": analysis.id, "input_name": analysis.inputName, "format": analysis.format,
      "created_at": analysis.createdAt, "run_seconds": analysis.runSeconds,
      "records": analysis.records, "anomalies": analysis.anomalies,
      "url": "/analyses/\(analysis.id)", "api_url": "/api/v1/analyses/\(analysis.id)",
    ]
    if let config = try? JSONSerialization.jsonObject(with: Data(analysis.config.utf8)) {
      object["config"] = config
    }
    if withSummary,
      let summary = try? JSONSerialization.jsonObject(with: Data(analysis.summary.utf8))
    {
      object["summary"] = summary
    }
    return object
  }
}
