/// The fields of an HTTP request, under the names web servers and log shippers give them, so
/// that a JSON or CSV access log — nginx's `escape=json` format, Caddy, Traefik's JSON
/// (`DownstreamStatus`, `RequestPath`…), Elastic Common Schema, Google Cloud's `httpRequest`,
/// an IIS log shipped by NXLog — is judged as the access-log parser's records are: by
/// status class, 5xx bursts, attack markers in the URI, scanner user agents, response sizes.
public enum RequestField: CaseIterable, Sendable {
  /// The response status.
  case status
  /// The request's URI or path.
  case uri
  /// The request method.
  case method
  /// The response size in bytes.
  case bytes
  /// The client's address.
  case client
  /// The user agent.
  case userAgent

  /// The names of the field, the access-log parser's own first.
  public var names: [String] {
    switch self {
    case .status:
      [
        "status", "http.status", "status_code", "statusCode", "http.status_code",
        "http.response.status_code", "response.status", "response_status", "http_status",
        "HTTPRetCode", "sc-status", "sc_status", "responseStatus.code", "DownstreamStatus",
        "httpRequest.status",
      ]
    case .uri:
      [
        "uri", "request_uri", "http.path", "http.uri", "http.url", "http.target", "url.path",
        "url.original", "request.uri", "path", "url", "BaseURL", "cs-uri-stem", "cs_uri_stem",
        "requestURI", "RequestPath", "httpRequest.requestUrl",
      ]
    case .method:
      [
        "method", "http.method", "request_method", "http.request.method", "request.method",
        "HTTPMethod", "cs-method", "cs_method", "RequestMethod", "httpRequest.requestMethod",
      ]
    case .bytes:
      [
        "bytes", "body_bytes_sent", "bytes_sent", "http.response.body.bytes", "response_bytes",
        "response.size", "response_size", "size", "sc-bytes", "sc_bytes",
        "DownstreamContentSize", "httpRequest.responseSize",
      ]
    case .client:
      [
        "client", "remote_addr", "client_ip", "clientip", "client.ip", "source.ip", "remote_ip",
        "http.client_ip", "SourceIP", "c-ip", "c_ip", "ClientHost", "request.remote_ip",
        "request.client_ip", "httpRequest.remoteIp",
      ]
    case .userAgent:
      [
        "user_agent", "userAgent", "UserAgent", "http.user_agent", "user_agent.original",
        "http_user_agent", "useragent", "cs(User-Agent)", "cs_user_agent",
        "request_User-Agent", "httpRequest.userAgent",
      ]
    }
  }

  /// The name this input gives the field: the one of ``names`` most often present among its
  /// first records, or the parser's own when none is.
  public func name(in records: [LogRecord]) -> String {
    let names = self.names
    var counts = [Int](repeating: 0, count: names.count)
    for record in records.prefix(200) {
      for field in record.fields {
        if let index = names.firstIndex(of: field.name) { counts[index] += 1 }
      }
    }
    guard let best = counts.indices.max(by: { (counts[$0], $1) < (counts[$1], $0) }),
      counts[best] > 0
    else { return names[0] }
    return names[best]
  }

  /// A lookup of the field under the name this input gives it.
  public func lookup(in records: [LogRecord]) -> FieldLookup {
    FieldLookup(name(in: records))
  }
}
