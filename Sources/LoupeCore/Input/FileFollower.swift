import Foundation

/// Follows a growing file as `tail -F` does: reads what was appended since the last poll and
/// returns its complete lines (a partial last line waits for its newline), reopens the path
/// when the file was replaced (rotation: the rest of the old file is read first) and starts
/// again from the top when it was truncated. A missing file is waited for.
public final class FileFollower {
  /// Where a follower stands, to save and resume.
  public struct Position: Sendable, Codable, Equatable {
    /// The file's device and inode when it was last read.
    public var device: UInt64
    /// The inode.
    public var inode: UInt64
    /// Bytes read so far.
    public var offset: UInt64
    /// Lines returned so far, over all files the path has named.
    public var lines: Int

    /// Creates a position.
    public init(device: UInt64, inode: UInt64, offset: UInt64, lines: Int) {
      self.device = device
      self.inode = inode
      self.offset = offset
      self.lines = lines
    }
  }

  /// The path followed.
  public let path: String
  private var handle: FileHandle?
  private var identity: (device: UInt64, inode: UInt64)?
  private var offset: UInt64 = 0
  private var partial: [UInt8] = []
  /// Lines returned so far.
  public private(set) var lines = 0
  /// What happened that the user should know (rotation, truncation), drained by the caller.
  public var events: [String] = []

  /// Starts following `path`: from its end (`fromStart` false), from its start, or from a
  /// saved position when the file is still the same one and not shorter.
  public init(path: String, fromStart: Bool, resume: Position? = nil) {
    self.path = path
    guard let status = Self.status(path) else { return }
    open(status)
    if let resume, resume.device == status.device, resume.inode == status.inode,
      resume.offset <= status.size
    {
      offset = resume.offset
      lines = resume.lines
    } else {
      offset = fromStart ? 0 : status.size
      if let resume { lines = resume.lines }
    }
    try? handle?.seek(toOffset: offset)
  }

  deinit { try? handle?.close() }

  /// The position to save.
  public var position: Position {
    Position(
      device: identity?.device ?? 0, inode: identity?.inode ?? 0, offset: offset, lines: lines)
  }

  private static func status(_ path: String) -> (device: UInt64, inode: UInt64, size: UInt64)? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return (UInt64(info.st_dev), UInt64(info.st_ino), UInt64(info.st_size))
  }

  private func open(_ status: (device: UInt64, inode: UInt64, size: UInt64)) {
    try? handle?.close()
    handle = FileHandle(forReadingAtPath: path)
    identity = handle == nil ? nil : (status.device, status.inode)
    offset = 0
    partial = []
  }

  /// The complete lines appended since the last poll.
  public func poll() -> [String] {
    var output: [String] = []
    let status = Self.status(path)
    if let status, let identity, status.device != identity.device || status.inode != identity.inode
    {
      // Rotated: finish the old file, then start on the new one.
      output += read()
      if !partial.isEmpty {
        output.append(String(decoding: partial, as: UTF8.self))
        partial = []
      }
      events.append("\(path): rotated; following the new file")
      open(status)
    } else if let status, identity == nil {
      open(status)
      events.append("\(path): appeared")
    } else if let status, status.size < offset {
      events.append("\(path): truncated; reading from the start")
      offset = 0
      partial = []
      try? handle?.seek(toOffset: 0)
    }
    output += read()
    lines += output.count
    return output
  }

  private func read() -> [String] {
    guard let handle else { return [] }
    var lines: [String] = []
    while let data = try? handle.read(upToCount: 1 << 20), !data.isEmpty {
      offset += UInt64(data.count)
      var start = partial.count
      partial += data
      var lineStart = 0
      while let newline = partial[start...].firstIndex(of: UInt8(ascii: "\n")) {
        var end = newline
        if end > lineStart, partial[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        lines.append(String(decoding: partial[lineStart..<end], as: UTF8.self))
        lineStart = newline + 1
        start = lineStart
      }
      partial.removeFirst(lineStart)
      if partial.count > 4 << 20 {
        // A "line" of 4 MiB without a newline: pass it on rather than grow without bound.
        lines.append(String(decoding: partial, as: UTF8.self))
        partial = []
      }
    }
    return lines
  }
}
