/// The web app's stylesheet and script, served from `/static/` so that the pages' Content
/// Security Policy can forbid inline code and every outside source.
enum StaticAssets {
  static let css = """
    :root { --fg:#1d2430; --muted:#5b6577; --line:#d9dee7; --bg:#f6f7fa; --accent:#2454c5;
      --critical:#b3141b; --high:#e0571d; --medium:#c99700; --low:#2f7db6; }
    * { box-sizing: border-box; }
    body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
      background: var(--bg); margin: 0; }
    header { background: #fff; border-bottom: 1px solid var(--line); padding: 10px 24px;
      display: flex; gap: 16px; align-items: center; }
    header a.brand { font-weight: 700; font-size: 18px; color: var(--fg); text-decoration: none; }
    main { max-width: 1200px; margin: 0 auto; padding: 20px 24px; }
    h1 { font-size: 20px; margin: 8px 0 16px; } h2 { font-size: 16px; margin: 24px 0 8px; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px;
      margin-bottom: 16px; }
    .drop { border: 2px dashed var(--line); border-radius: 8px; padding: 28px; text-align: center;
      color: var(--muted); }
    .drop.over { border-color: var(--accent); background: #eef3ff; }
    .row { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin-top: 12px; }
    button, .button { background: var(--accent); color: #fff; border: 0; border-radius: 6px;
      padding: 7px 14px; font: inherit; cursor: pointer; text-decoration: none; }
    button.secondary { background: #fff; color: var(--fg); border: 1px solid var(--line); }
    table { border-collapse: collapse; width: 100%; background: #fff; }
    th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left;
      vertical-align: top; }
    th { background: #eef1f6; font-weight: 600; }
    td.message { font-family: ui-monospace, Menlo, monospace; font-size: 12px; word-break: break-all; }
    td.reason { color: var(--muted); font-size: 12px; }
    .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px;
      margin-bottom: 16px; }
    .tile { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
    .tile .value { font-size: 22px; font-weight: 700; } .tile .label { color: var(--muted); }
    .sev { display: inline-block; padding: 1px 7px; border-radius: 10px; color: #fff; font-size: 12px; }
    .sev.critical { background: var(--critical); } .sev.high { background: var(--high); }
    .sev.medium { background: var(--medium); } .sev.low { background: var(--low); }
    .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; }
    .charts .card img { max-width: 100%; height: auto; }
    .error { background: #fdecec; border: 1px solid #f3b4b4; color: #8a1116; padding: 10px 12px;
      border-radius: 6px; }
    .muted { color: var(--muted); } .pager { margin: 10px 0; display: flex; gap: 10px; }
    """

  static let javascript = """
    "use strict";
    // Drag-and-drop onto the upload area fills the file input and sends the form.
    document.addEventListener("DOMContentLoaded", function () {
      var drop = document.getElementById("drop");
      var input = document.getElementById("file");
      var form = document.getElementById("upload");
      if (!drop || !input || !form) { return; }
      ["dragenter", "dragover"].forEach(function (name) {
        drop.addEventListener(name, function (event) {
          event.preventDefault(); drop.classList.add("over");
        });
      });
      ["dragleave", "drop"].forEach(function (name) {
        drop.addEventListener(name, function (event) {
          event.preventDefault(); drop.classList.remove("over");
        });
      });
      drop.addEventListener("drop", function (event) {
        if (event.dataTransfer && event.dataTransfer.files.length > 0) {
          input.files = event.dataTransfer.files;
          form.submit();
        }
      });
      input.addEventListener("change", function () {
        var label = document.getElementById("chosen");
        if (label && input.files.length > 0) { label.textContent = input.files[0].name; }
      });
    });
    """
}
