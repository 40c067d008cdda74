import Foundation

/// One input that Loupe will read: a path to a regular file, or standard input.
public enum InputLocation: Sendable, Hashable {
  /// A file on disk, by the path given or found in a directory.
  case file(String)
  /// Standard input (`-` on the command line).
  case standardInput

  /// The name shown in messages and used for output file names.
  public var displayName: String {
    switch self {
    case .file(let path): path
    case .standardInput: "-"
    }
  }
}

/// Expands command-line arguments into the inputs to read, and says what it skipped and why.
public enum InputCollector {
  /// The inputs found, in a deterministic order, and the paths that were skipped.
  public struct Collection: Sendable {
    /// Inputs to read, in argument order; a directory's files sorted by path.
    public var inputs: [InputLocation] = []
    /// Paths that were not read, each with the reason.
    public var skipped: [InputProblem] = []
  }

  /// File name extensions that are never logs (images, archives other than gzip, binaries).
  static let ignoredExtensions: Set<String> = [
    "png", "jpg", "jpeg", "gif", "pdf", "zip", "tar", "xz", "bz2", "7z", "exe", "so", "dylib",
    "o", "a", "class", "jar", "pyc", "sqlite", "db", "ico", "woff", "woff2",
  ]

  /// Expands `arguments` (files, directories, `-`) into inputs.
  /// - Parameter arguments: the paths as given on the command line.
  /// - Returns: the inputs and the skipped paths with reasons.
  public static func collect(_ arguments: [String]) -> Collection {
    var collection = Collection()
    let fileManager = FileManager.default
    for argument in arguments {
      if argument == "-" {
        collection.inputs.append(.standardInput)
        continue
      }
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: argument, isDirectory: &isDirectory) else {
        collection.skipped.append(
          InputProblem(file: argument, message: "no such file or directory"))
        continue
      }
      if isDirectory.boolValue {
        collectDirectory(argument, into: &collection)
      } else {
        collection.inputs.append(.file(argument))
      }
    }
    return collection
  }

  private static func collectDirectory(_ directory: String, into collection: inout Collection) {
    let fileManager = FileManager.default
    guard let enumerator = fileManager.enumerator(atPath: directory) else {
      collection.skipped.append(
        InputProblem(file: directory, message: "the directory cannot be listed"))
      return
    }
    var found: [String] = []
    while let relative = enumerator.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      let path = (directory as NSString).appendingPathComponent(relative)
      if name.hasPrefix(".") {
        if (try? fileManager.attributesOfItem(atPath: path)[.type] as? FileAttributeType)
          == .typeDirectory
        {
          enumerator.skipDescendants()
        }
        continue
      }
      guard let attributes = try? fileManager.attributesOfItem(atPath: path),
        let type = attributes[.type] as? FileAttributeType
      else {
        collection.skipped.append(InputProblem(file: path, message: "skipped: cannot be examined"))
        continue
      }
      switch type {
      case .typeDirectory:
        continue
      case .typeRegular:
        let ext = (name as NSString).pathExtension.lowercased()
        if ignoredExtensions.contains(ext) {
          collection.skipped.append(
            InputProblem(file: path, message: "skipped: .\(ext) files are not logs"))
        } else if !fileManager.isReadableFile(atPath: path) {
          collection.skipped.append(InputProblem(file: path, message: "skipped: permission denied"))
        } else {
          found.append(path)
        }
      case .typeSymbolicLink:
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
          found.append(path)
        } else {
          collection.skipped.append(
            InputProblem(file: path, message: "skipped: a broken or directory symbolic link"))
        }
      default:
        collection.skipped.append(
          InputProblem(file: path, message: "skipped: not a regular file"))
      }
    }
    if found.isEmpty && !collection.skipped.contains(where: { $0.file.hasPrefix(directory) }) {
      collection.skipped.append(
        InputProblem(file: directory, message: "the directory holds no files"))
    }
    collection.inputs.append(contentsOf: found.sorted().map { .file($0) })
  }
}
