import LoupeCore
import LoupeStore

/// The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`. A test checks
/// that its paths and methods are exactly the router's `/api/v1` routes.
enum OpenAPIDocument {
  struct Operation {
    var method: String
    var path: String
    var summary: String
    var parameters: [[String: Any]] = []
    var requestBody: [String: Any]?
    var responses: [String: String]
  }

  static func pathParameter(_ name: String) -> [String: Any] {
    ["name": name, "in": "path", "required": true, "schema": ["type": "string"]]
  }

  static func queryParameter(_ name: String, _ schema: [String: Any], _ description: String)
    -> [String: Any]
  {
    ["name": name, "in": "query", "required": false, "schema": schema, "description": description]
  }

  static var upload: [String: Any] {
    [
      "required": true,
      "content": [
        "multipart/form-data": [
          "schema": [
            "type": "object", "required": ["file"],
            "properties": [
              "file": ["type": "string", "format": "binary"],
              "model": [
                "type": "string",
                "description":
                  "isolation_forest, autoencoder, a comma-separated detector list, or model:NAME",
              ],
            ],
          ]
        ],
        "application/json": [
          "schema": [
            "type": "object", "required": ["lines"],
            "properties": [
              "name": ["type": "string"], "lines": ["type": "array", "items": ["type": "string"]],
              "detectors": ["type": "string"], "model": ["type": "string"],
            ],
          ]
        ],
      ],
    ]
  }

  static var operations: [Operation] {
    [
      Operation(
        method: "post", path: "/api/v1/analyses", summary: "Analyse an uploaded file or lines",
        requestBody: upload,
        responses: [
          "201": "The analysis, with its summary", "400": "Bad choice of detectors or body",
          "413": "Larger than the upload limit", "415": "Not multipart or JSON",
          "422": "Not a log (binary or empty)",
        ]),
      Operation(
        method: "get", path: "/api/v1/analyses", summary: "List analyses, newest first",
        parameters: [
          queryParameter("limit", ["type": "integer", "maximum": 500], "at most this many (50)"),
          queryParameter("offset", ["type": "integer"], "skip this many"),
        ], responses: ["200": "The analyses"]),
      Operation(
        method: "get", path: "/api/v1/analyses/{id}", summary: "One analysis and its summary",
        parameters: [pathParameter("id")],
        responses: ["200": "The analysis", "404": "No such analysis"]),
      Operation(
        method: "delete", path: "/api/v1/analyses/{id}", summary: "Delete an analysis",
        parameters: [pathParameter("id")], responses: ["204": "Deleted", "404": "No such analysis"]),
      Operation(
        method: "get", path: "/api/v1/analyses/{id}/findings",
        summary: "A page of an analysis's findings",
        parameters: [
          pathParameter("id"),
          queryParameter(
            "severity", ["type": "string", "enum": Severity.allCases.map(\.rawValue)],
            "only this severity"),
          queryParameter(
            "q", ["type": "string"], "text in the message, reason, component or template id"),
          queryParameter(
            "sort", ["type": "string", "enum": FindingQuery.orderNames], "line, score or severity"),
          queryParameter("page", ["type": "integer", "minimum": 1], "1-based page"),
          queryParameter(
            "page_size", ["type": "integer", "maximum": 500], "findings per page (50)"),
        ], responses: ["200": "The page", "400": "Bad severity", "404": "No such analysis"]),
      Operation(
        method: "post", path: "/api/v1/ingest/{stream}",
        summary: "Append lines to a stream (NDJSON, a JSON array or plain lines)",
        parameters: [pathParameter("stream")],
        requestBody: [
          "required": true,
          "content": [
            "application/x-ndjson": ["schema": ["type": "string"]],
            "application/json": ["schema": ["type": "array", "items": [String: Any]()]],
            "text/plain": ["schema": ["type": "string"]],
          ],
        ],
        responses: [
          "202": "Stored durably; analysis follows", "400": "Malformed body",
          "413": "Larger than the ingest limit",
        ]),
      Operation(
        method: "get", path: "/api/v1/streams", summary: "The streams and their line counts",
        responses: ["200": "The streams"]),
      Operation(
        method: "get", path: "/api/v1/streams/{stream}",
        summary: "A stream and its current analysis", parameters: [pathParameter("stream")],
        responses: ["200": "The stream", "404": "No such stream"]),
      Operation(
        method: "get", path: "/api/v1/models", summary: "The saved models",
        responses: ["200": "Their names"]),
      Operation(
        method: "put", path: "/api/v1/models/{name}", summary: "Save a model from loupe train",
        parameters: [pathParameter("name")],
        requestBody: [
          "required": true, "content": ["application/json": ["schema": ["type": "object"]]],
        ],
        responses: ["201": "Saved", "400": "Not a Loupe model or a bad name"]),
      Operation(
        method: "get", path: "/api/v1/openapi.json", summary: "This document",
        responses: ["200": "OpenAPI 3.1"]),
    ]
  }

  /// The document.
  static var document: [String: Any] {
    var paths: [String: [String: Any]] = [:]
    for operation in operations {
      var entry: [String: Any] = [
        "summary": operation.summary,
        "operationId": operation.method
          + operation.path.replacingOccurrences(of: "/", with: "_")
          .replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
          .replacingOccurrences(of: ".", with: "_"),
        "responses": operation.responses.mapValues { ["description": $0] },
      ]
      if !operation.parameters.isEmpty { entry["parameters"] = operation.parameters }
      if let body = operation.requestBody { entry["requestBody"] = body }
      paths[operation.path, default: [:]][operation.method] = entry
    }
    return [
      "openapi": "3.1.0",
      "info": [
        "title": "Loupe", "version": Loupe.version,
        "description":
          "Log anomaly detection: upload logs, read findings, ingest streams. No authentication: bind to loopback or put a proxy in front.",
      ],
      "paths": paths,
    ]
  }
}
