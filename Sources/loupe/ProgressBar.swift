import Foundation
import LoupeCore

/// A progress bar on standard error for runs that take more than a second, drawn only when
/// standard error is a terminal: `[########..........]  45%  app.log: running detectors`.
final class ProgressBar: @unchecked Sendable {
  private let sink: ProgressSink
  private let lock = NSLock()
  private var stopped = false
  private var drawn = false
  private let finished = DispatchSemaphore(value: 0)

  init(sink: ProgressSink) { self.sink = sink }

  /// Whether a bar should be drawn at all.
  static var wanted: Bool {
    isatty(2) != 0 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
  }

  /// Starts drawing after one second, every fifth of a second.
  func start() {
    Thread.detachNewThread { [self] in
      var waited = 0.0
      while !isStopped {
        Thread.sleep(forTimeInterval: 0.2)
        waited += 0.2
        if waited >= 1, !isStopped { draw() }
      }
      finished.signal()
    }
  }

  /// Stops and clears the bar.
  func stop() {
    lock.lock()
    stopped = true
    lock.unlock()
    finished.wait()
    if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }

  private var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped
  }

  private func draw() {
    let (fraction, input, step) = sink.snapshot
    let width = 24
    let filled = Int((fraction * Double(width)).rounded(.down))
    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
    let percent = String(format: "%3d%%", Int(fraction * 100))
    let text = "\r\u{1B}[K[\(bar)] \(percent)  \(input.suffix(40)): \(step)"
    FileHandle.standardError.write(Data(text.utf8))
    drawn = true
  }
}
