import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads an input's bytes into memory, decompressing gzip (detected by magic bytes).
public enum InputReader {
  /// Reads `location` whole.
  /// - Parameter location: the file or standard input.
  /// - Returns: the buffer and, if the data was damaged but partly usable, the problem.
  /// - Throws: ``InputProblem`` when nothing can be read (missing file, permission, I/O).
  public static func read(_ location: InputLocation) throws(InputProblem) -> (
    SourceBuffer, InputProblem?
  ) {
    let name = location.displayName
    let raw: [UInt8]
    switch location {
    case .standardInput:
      raw = try readAll(fileDescriptor: 0, name: name)
    case .file(let path):
      let descriptor = open(path, O_RDONLY)
      guard descriptor >= 0 else {
        throw InputProblem(file: name, message: "cannot open: \(String(cString: strerror(errno)))")
      }
      defer { close(descriptor) }
      var info = stat()
      if fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
        throw InputProblem(file: name, message: "is a directory")
      }
      raw = try readAll(fileDescriptor: descriptor, name: name, sizeHint: Int(info.st_size))
    }
    guard Gzip.isGzip(raw) else { return (SourceBuffer(name: name, bytes: raw), nil) }
    let result = Gzip.decompress(raw)
    let buffer = SourceBuffer(name: name, bytes: result.bytes, wasCompressed: true)
    if let problem = result.problem {
      if result.bytes.isEmpty {
        throw InputProblem(file: name, message: problem)
      }
      return (buffer, InputProblem(file: name, message: problem))
    }
    return (buffer, nil)
  }

  private static func readAll(fileDescriptor: Int32, name: String, sizeHint: Int = 0)
    throws(InputProblem) -> [UInt8]
  {
    // A regular file is read straight into an array of its size (no zero-filling, no second
    // copy); what follows (a pipe, a file still being written) is read in chunks.
    var failure: Int32 = 0
    var bytes = [UInt8](unsafeUninitializedCapacity: max(sizeHint, 0)) { buffer, initialized in
      guard let base = buffer.baseAddress else { return }
      while initialized < buffer.count {
        let count = Glibc.read(fileDescriptor, base + initialized, buffer.count - initialized)
        if count > 0 {
          initialized += count
        } else if count == 0 {
          return
        } else if errno != EINTR {
          failure = errno
          return
        }
      }
    }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while failure == 0 {
      let count = chunk.withUnsafeMutableBytes { buffer -> Int in
        guard let base = buffer.baseAddress else { return 0 }
        return Glibc.read(fileDescriptor, base, buffer.count)
      }
      if count > 0 {
        bytes.append(contentsOf: chunk[0..<count])
      } else if count == 0 {
        break
      } else if errno != EINTR {
        failure = errno
      }
    }
    if failure != 0 {
      throw InputProblem(file: name, message: "read failed: \(String(cString: strerror(failure)))")
    }
    return bytes
  }
}
