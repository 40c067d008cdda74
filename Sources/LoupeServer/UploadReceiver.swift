import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

/// Why an upload was refused, with its HTTP status.
public struct UploadError: Error, CustomStringConvertible, Sendable {
  /// 400 malformed, 413 too large, 415 not multipart.
  public var status: HTTPResponse.Status
  /// The sentence.
  public var description: String
}

/// A multipart form as received: its small fields and its file, written to disk.
struct UploadedForm {
  /// Text fields (each cut to 4 KiB).
  var fields: [String: String] = [:]
  /// The file part: where it was written, the name the client gave, its size.
  var file: (path: String, name: String, bytes: Int)?
}

/// Streams a `multipart/form-data` body to disk as it arrives: the file part goes to a file
/// with a random name in the upload directory (the client's file name is only a label, and
/// one holding a path is refused), the size limit is enforced while reading, and nothing is
/// buffered whole.
enum UploadReceiver {
  /// The boundary of a multipart content type.
  static func boundary(_ contentType: String?) -> String? {
    guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else {
      return nil
    }
    for parameter in contentType.split(separator: ";").dropFirst() {
      let pair = parameter.split(separator: "=", maxSplits: 1).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      if pair.count == 2, pair[0].lowercased() == "boundary" {
        let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        return value.isEmpty || value.count > 70 ? nil : value
      }
    }
    return nil
  }

  /// The `name` and `filename` of a `Content-Disposition: form-data` header.
  static func disposition(_ value: String) -> (name: String?, filename: String?) {
    var name: String?
    var filename: String?
    var rest = Substring(value)
    while let semicolon = rest.firstIndex(of: ";") {
      rest = rest[rest.index(after: semicolon)...]
      let trimmed = rest.drop { $0 == " " }
      guard let equals = trimmed.firstIndex(of: "=") else { break }
      let key = trimmed[..<equals].lowercased()
      var after = trimmed[trimmed.index(after: equals)...]
      var parsed = ""
      if after.first == "\"" {
        after = after.dropFirst()
        var escaped = false
        var end = after.endIndex
        for index in after.indices {
          let character = after[index]
          if escaped {
            parsed.append(character)
            escaped = false
          } else if character == "\\" {
            escaped = true
          } else if character == "\"" {
            end = index
            break
          } else {
            parsed.append(character)
          }
        }
        rest = end < after.endIndex ? after[after.index(after: end)...] : ""
      } else {
        let end = after.firstIndex(of: ";") ?? after.endIndex
        parsed = String(after[..<end])
        rest = after[end...]
      }
      if key == "name" { name = parsed }
      if key == "filename" { filename = parsed }
    }
    return (name, filename)
  }

  /// A client's file name that is safe to show: refused when it holds a path.
  static func displayName(_ filename: String) throws(UploadError) -> String {
    let trimmed = filename.trimmingCharacters(in: .whitespaces)
    if trimmed.contains("/") || trimmed.contains("\\") || trimmed == ".." || trimmed == "."
      || trimmed.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 })
    {
      throw UploadError(
        status: .badRequest,
        description: "the file name '\(String(trimmed.prefix(80)))' is not a plain file name")
    }
    return trimmed.isEmpty ? "upload" : String(trimmed.prefix(200))
  }

  /// The parts' state while the body streams through the parser.
  private final class Collector {
    let directory: String
    let limit: Int
    var headers: [(String, String)] = []
    var inPart = false
    var started = false
    var fieldName: String?
    var fieldBytes: [UInt8] = []
    var handle: FileHandle?
    var filePath: String?
    var fileName: String?
    var fileBytes = 0
    var form = UploadedForm()
    var error: UploadError?

    init(directory: String, limit: Int) {
      self.directory = directory
      self.limit = limit
    }

    func header(_ name: String, _ value: String) {
      if !inPart {
        inPart = true
        started = false
        headers = []
      }
      headers.append((name, value))
    }

    func start() {
      guard !started else { return }
      started = true
      let value = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
      let (name, filename) = UploadReceiver.disposition(value)
      fieldName = name
      fieldBytes = []
      if let filename, name == "file" || form.file == nil {
        do {
          fileName = try UploadReceiver.displayName(filename)
        } catch {
          self.error = error
          return
        }
        let path = (directory as NSString).appendingPathComponent(
          "loupe-upload-\(UUID().uuidString.lowercased())")
        guard FileManager.default.createFile(atPath: path, contents: nil),
          let handle = FileHandle(forWritingAtPath: path)
        else {
          error = UploadError(status: .internalServerError, description: "cannot store the upload")
          return
        }
        self.handle = handle
        filePath = path
        fileBytes = 0
      }
    }

    func body(_ buffer: inout ByteBuffer) {
      start()
      guard error == nil else { return }
      let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
      if let handle {
        fileBytes += bytes.count
        if fileBytes > limit {
          error = UploadError(
            status: .contentTooLarge,
            description: "the upload is larger than the limit of \(limit) bytes")
          return
        }
        handle.write(Data(bytes))
      } else if fieldBytes.count < 4096 {
        fieldBytes += bytes.prefix(4096 - fieldBytes.count)
      }
    }

    func complete() {
      start()
      inPart = false
      if let handle, let filePath {
        try? handle.close()
        self.handle = nil
        form.file = (filePath, fileName ?? "upload", fileBytes)
        self.filePath = nil
      } else if let fieldName {
        form.fields[fieldName] = String(decoding: fieldBytes, as: UTF8.self)
      }
    }

    func discard() {
      try? handle?.close()
      if let filePath { try? FileManager.default.removeItem(atPath: filePath) }
      if let file = form.file { try? FileManager.default.removeItem(atPath: file.path) }
    }
  }

  /// Reads the form.
  /// - Throws: ``UploadError``; nothing is left on disk when it throws.
  static func receive(_ request: Request, limit: Int, directory: String) async throws(UploadError)
    -> UploadedForm
  {
    guard let boundary = boundary(request.headers[.contentType]) else {
      throw UploadError(
        status: .unsupportedMediaType,
        description: "send the file as multipart/form-data with a boundary")
    }
    let parser = MultipartParser(boundary: boundary)
    let collector = Collector(directory: directory, limit: limit)
    parser.onHeader = { collector.header($0, $1) }
    parser.onBody = { collector.body(&$0) }
    parser.onPartComplete = { collector.complete() }
    do {
      for try await chunk in request.body {
        try parser.execute(chunk)
        if let error = collector.error { throw error }
      }
    } catch let error as UploadError {
      collector.discard()
      throw error
    } catch {
      collector.discard()
      throw UploadError(status: .badRequest, description: "malformed multipart body: \(error)")
    }
    if collector.inPart || collector.handle != nil {
      collector.discard()
      throw UploadError(
        status: .badRequest, description: "malformed multipart body: it ends inside a part")
    }
    return collector.form
  }
}
