import CRMModel
import Foundation
import Renderers
import ReportBuilders
import ReportDocument

/// The workshop's page: server-rendered HTML with the report's style and charts, the controls
/// on the left, the result of the latest what-if on the right, and the session's history below.
///
/// A little plain JavaScript (no framework, nothing fetched from the network) sends each change
/// to `/api/simulate` and swaps in the answer. The page works as a document without it: it
/// opens showing the baseline.
public enum WorkshopPage {
    public static func html(session: WorkshopSession, token: String?) -> String {
        let baseline = session.history.first
        var out = HTMLRenderer.head(title: "Workshop: \(session.title)", css: css)
        out += "<main class=\"workshop\" data-currency=\"\(HTMLText.escape(session.currency))\">\n"
        out += "<h1>What if? \(HTMLText.escape(session.title))</h1>\n"
        out += "<p class=\"lede\">Change a value or a risk: the whole case is simulated again on the same luck "
        out += "(seed \(session.seed)), so what moves is what the change does. The scenario file "
        out += "<code>\(HTMLText.escape(session.scenarioFile))</code> is never changed.</p>\n"
        out += "<div class=\"layout\">\n<form id=\"controls\" autocomplete=\"off\" onsubmit=\"return false\">\n"
        if !session.variants.isEmpty {
            out += "<h2>Levers and variants</h2>\n<label class=\"control\">Start from <select id=\"variant\">"
            out += "<option value=\"\" selected>the scenario as written</option>"
            for (k, variant) in session.variants.enumerated() {
                out += "<option value=\"\(k)\">\(HTMLText.escape(variant.label))</option>"
            }
            out += "</select></label>\n"
        }
        out += "<h2>Inputs that matter most</h2>\n"
        for control in session.controls where control.kind == .input {
            out += inputControl(control)
        }
        let risks = session.controls.filter { $0.kind == .risk }
        if !risks.isEmpty {
            out += "<h2>Risk events</h2>\n"
            for control in risks { out += riskControl(control) }
        }
        out += "<h2>Run</h2>\n<label class=\"control\">Trials <select id=\"trials\" name=\"trials\">"
        for n in session.trialChoices {
            let selected = n == session.defaultTrials ? " selected" : ""
            out += "<option value=\"\(n)\"\(selected)>\(Format.amountText(n))</option>"
        }
        out += "</select></label>\n"
        out += "<p class=\"buttons\"><button type=\"button\" id=\"reset\">Back to the scenario</button></p>\n"
        out += "<h2>Keep it</h2>\n<label class=\"control\">Variant name <input id=\"variant-name\" type=\"text\" "
        out += "placeholder=\"e.g. Only 60 % adopt\"></label>\n"
        out += "<p class=\"buttons\"><button type=\"button\" id=\"save\">Save as variant</button> "
        out += "<button type=\"button\" id=\"report\">Write report</button></p>\n"
        out += "<p id=\"file-message\" class=\"message\" role=\"status\"></p>\n"
        out += "</form>\n<section id=\"result\" aria-live=\"polite\">\n"
        out += "<div id=\"delta\" class=\"delta\">\(deltaHTML(baseline))</div>\n"
        out += "<div id=\"problems\" class=\"problem\" role=\"alert\"></div>\n"
        out += "<div id=\"report-view\">\(HTMLRenderer(drawFigure: FigureDrawing.svg).fragment(session.baseline.summary))</div>\n"
        if let drivers = session.driversHTML {
            out += "<h2>What drives the result (the scenario as written)</h2>\n"
            out += "<p class=\"lede\">The inputs on the left are the top of this ranking. It is the baseline's; a change "
            out += "does not recompute it, which would take a sensitivity analysis per change.</p>\n"
            out += "<div id=\"drivers\">\(drivers)</div>\n"
        }
        out += "</section>\n</div>\n"
        out += "<h2>Tried in this session</h2>\n<div class=\"table-wrap\"><table id=\"history\"><thead><tr>"
        out += "<th>Changes</th><th class=\"num\">Trials</th><th class=\"num\">Expected NPV</th>"
        out += "<th class=\"num\">Δ NPV (95 %)</th><th class=\"num\">Chance of a loss</th><th class=\"num\">Δ chance</th></tr></thead>\n<tbody>"
        for tried in session.history { out += historyRow(tried) }
        out += "</tbody></table></div>\n</main>\n"
        // Each lever's values, for the fields it fills (path → value as the variant writes it).
        let levers = session.variants.map { variant in
            Dictionary(variant.overrides.map { ($0.path, $0.value) }, uniquingKeysWith: { _, last in last })
        }
        out += "<script>\nconst WORKSHOP = { token: \(token.map(jsString) ?? "null"), trials: \(session.defaultTrials), "
        out += "variants: \(jsonLiteral(levers)) };\n"
        out += script + "</script>\n</body>\n</html>\n"
        return out
    }

    static func inputControl(_ c: WorkshopControl) -> String {
        let id = "input-" + String(Uncertain.fnv1a(c.path), radix: 16)
        return "<div class=\"control\" data-path=\"\(HTMLText.escape(c.path))\"><label for=\"\(id)\"><code>\(HTMLText.escape(c.label))</code> "
            + "<span class=\"unit\">\(HTMLText.escape(c.unit))</span></label>"
            + "<input id=\"\(id)\" class=\"value\" type=\"text\" value=\"\(HTMLText.escape(c.baseline))\" "
            + "data-baseline=\"\(HTMLText.escape(c.baseline))\" spellcheck=\"false\">"
            + "<span class=\"field-problem\" role=\"alert\"></span></div>\n"
    }

    static func riskControl(_ c: WorkshopControl) -> String {
        "<div class=\"control\" data-path=\"\(HTMLText.escape(c.path))\"><label>\(HTMLText.escape(c.label)) "
            + "<select class=\"risk\"><option value=\"scenario\" selected>as in the scenario (\(HTMLText.escape(c.baseline)))</option>"
            + "<option value=\"off\">off</option><option value=\"certain\">certain</option></select></label>"
            + "<span class=\"field-problem\" role=\"alert\"></span></div>\n"
    }

    static func deltaHTML(_ tried: WorkshopResponse.Tried?) -> String {
        guard let t = tried else { return "" }
        return "<p><strong>Expected NPV</strong> <span class=\"q\" id=\"npv\">\(HTMLText.escape(t.npvText))</span>; "
            + "change from the scenario as written: <span class=\"q\" id=\"delta-npv\">\(HTMLText.escape(t.deltaNPVText))</span>. "
            + "<strong>Chance of a loss</strong> <span class=\"q\" id=\"loss\">\(HTMLText.escape(t.chanceOfLossText))</span> "
            + "(change: <span class=\"q\" id=\"delta-loss\">\(HTMLText.escape(t.deltaChanceOfLossText))</span>).</p>"
    }

    static func historyRow(_ t: WorkshopResponse.Tried) -> String {
        let changes = t.changes.isEmpty ? "the scenario as written" : t.changes.joined(separator: "; ")
        return "<tr><td>\(HTMLText.escape(changes))</td><td class=\"num\">\(Format.amountText(t.trials))</td>"
            + "<td class=\"num\">\(HTMLText.escape(t.npvText))</td><td class=\"num\">\(HTMLText.escape(t.deltaNPVText))</td>"
            + "<td class=\"num\">\(HTMLText.escape(t.chanceOfLossText))</td><td class=\"num\">\(HTMLText.escape(t.deltaChanceOfLossText))</td></tr>"
    }

    /// A value as a JavaScript literal inside `<script>` (JSON, with `</` broken up).
    static func jsonLiteral(_ value: [[String: String]]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }

    /// A JavaScript string literal (JSON is one).
    static func jsString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode([text])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast()).replacingOccurrences(of: "</", with: "<\\/")
    }

    static let css = """
    main.workshop { max-width: 1440px; }
    .lede { color: var(--muted); max-width: 110ch; }
    .layout { display: grid; grid-template-columns: minmax(280px, 360px) 1fr; gap: 28px; align-items: start; }
    #controls h2 { font-size: 16px; margin: 18px 0 8px; }
    #controls h2:first-child { margin-top: 0; }
    .control { display: block; margin: 0 0 10px; font-size: 13.5px; }
    .control label { display: block; }
    .control input[type=text], .control select { width: 100%; font: inherit; padding: 4px 6px; margin-top: 2px;
      border: 1px solid var(--rule); border-radius: 4px; }
    .control input.changed, .control select.changed { border-color: var(--accent); background: #fffaf5; }
    .unit { color: var(--muted); font-size: 12px; }
    .field-problem, .problem { color: var(--accent); font-size: 13px; }
    .field-problem:empty, .problem:empty, .message:empty { display: none; }
    .buttons button { font: inherit; padding: 5px 12px; margin: 0 6px 6px 0; border: 1px solid var(--ink);
      background: #fff; border-radius: 4px; cursor: pointer; }
    .message { font-size: 13px; }
    .delta { background: var(--band); padding: 10px 14px; border-radius: 4px; margin-bottom: 14px; }
    .delta p { margin: 0; max-width: none; }
    body.busy #result { opacity: 0.55; }
    .delta.outdated { opacity: 0.45; text-decoration: line-through; }
    .buttons button:disabled { opacity: 0.5; cursor: wait; }
    @media (max-width: 900px) { .layout { grid-template-columns: 1fr; } }

    """

    /// The page's behaviour: each change is posted, the newest answer wins, the rest is the DOM.
    static let script = #"""
    (function () {
      const tab = Math.random().toString(36).slice(2) + Date.now().toString(36);
      let sequence = 0, shown = 0, pending = null;
      window.crmcaseLatencies = [];
      const $ = (s) => document.querySelector(s);
      const headers = { "Content-Type": "application/json" };
      if (WORKSHOP.token) headers["X-Workshop-Token"] = WORKSHOP.token;

      // The settings on the page; only a simulation takes a new request number.
      function settings() {
        const values = {}, risks = {};
        document.querySelectorAll(".control[data-path]").forEach((div) => {
          const input = div.querySelector("input.value"), select = div.querySelector("select.risk");
          if (input) { values[div.dataset.path] = input.value; input.classList.toggle("changed", input.value.trim() !== input.dataset.shown); }
          if (select) { risks[div.dataset.path] = select.value; select.classList.toggle("changed", select.value !== "scenario"); }
        });
        const variant = $("#variant") && $("#variant").value !== "" ? parseInt($("#variant").value, 10) : null;
        if ($("#variant")) $("#variant").classList.toggle("changed", variant !== null);
        return { tab: tab, sequence: sequence, trials: parseInt($("#trials").value, 10), values: values, risks: risks, variant: variant };
      }

      // A lever shows its own values in the fields it sets; the others show the scenario's.
      function fillFromVariant() {
        const k = $("#variant") && $("#variant").value !== "" ? parseInt($("#variant").value, 10) : null;
        const values = k === null ? {} : WORKSHOP.variants[k];
        document.querySelectorAll(".control[data-path]").forEach((div) => {
          const input = div.querySelector("input.value");
          if (!input) return;
          const value = Object.prototype.hasOwnProperty.call(values, div.dataset.path) ? values[div.dataset.path] : input.dataset.baseline;
          input.value = value;
          input.dataset.shown = value;
        });
      }

      function showProblems(problems) {
        document.querySelectorAll(".field-problem").forEach((span) => { span.textContent = ""; });
        const general = [];
        (problems || []).forEach((p) => {
          const div = p.path ? document.querySelector('.control[data-path="' + CSS.escape(p.path) + '"]') : null;
          if (div) div.querySelector(".field-problem").textContent = p.message; else general.push(p.message);
        });
        $("#problems").textContent = general.join(" ");
      }

      async function simulate() {
        const started = performance.now();
        sequence += 1;
        const body = settings();
        if (pending) pending.abort();
        const controller = new AbortController();
        pending = controller;
        document.body.classList.add("busy");
        let answer;
        try {
          const response = await fetch("/api/simulate", { method: "POST", headers: headers, body: JSON.stringify(body), signal: controller.signal });
          if (!response.ok) throw new Error("the server answered " + response.status + ": " + (await response.text()).slice(0, 300));
          answer = await response.json();
        } catch (e) {
          if (e.name === "AbortError") return;
          if (body.sequence === sequence) {
            document.body.classList.remove("busy");
            $("#problems").textContent = "No answer (" + e.message + "). Is crmcase workshop still running?";
            document.body.dataset.status = "error";
          }
          return;
        }
        if (answer.sequence < sequence || answer.status === "stale") return;
        window.crmcaseLast = answer;
        document.body.classList.remove("busy");
        showProblems(answer.problems);
        if (answer.status === "ok") {
          $("#report-view").innerHTML = answer.html;
          $("#delta").innerHTML = answer.deltaHTML;
          $("#delta").classList.remove("outdated");
          $("#history tbody").innerHTML = answer.historyHTML;
        } else {
          // The figures shown are of the last settings that could be run, not of these.
          $("#delta").classList.add("outdated");
        }
        shown = answer.sequence;
        document.body.dataset.shown = String(shown);
        document.body.dataset.status = answer.status;
        window.crmcaseLatencies.push(performance.now() - started);
      }

      let timer = null;
      function soon() { clearTimeout(timer); timer = setTimeout(simulate, 250); }
      document.querySelectorAll("input.value").forEach((input) => {
        input.addEventListener("input", soon);
        input.addEventListener("change", () => { clearTimeout(timer); simulate(); });
      });
      document.querySelectorAll("select.risk").forEach((select) => select.addEventListener("change", simulate));
      $("#trials").addEventListener("change", simulate);
      if ($("#variant")) $("#variant").addEventListener("change", () => { fillFromVariant(); simulate(); });
      $("#reset").addEventListener("click", () => {
        if ($("#variant")) $("#variant").value = "";
        fillFromVariant();
        document.querySelectorAll("select.risk").forEach((select) => { select.value = "scenario"; });
        simulate();
      });

      async function file(path, extra) {
        clearTimeout(timer);
        const body = Object.assign(settings(), extra || {});
        const buttons = [$("#save"), $("#report")];
        buttons.forEach((b) => { b.disabled = true; });
        $("#file-message").textContent = "…";
        try {
          const response = await fetch(path, { method: "POST", headers: headers, body: JSON.stringify(body) });
          if (!response.ok) throw new Error("the server answered " + response.status);
          const answer = await response.json();
          $("#file-message").textContent = answer.message;
          document.body.dataset.fileStatus = answer.ok ? "ok" : "refused";
        } catch (e) {
          $("#file-message").textContent = "No answer (" + e.message + ").";
          document.body.dataset.fileStatus = "error";
        } finally {
          buttons.forEach((b) => { b.disabled = false; });
        }
      }
      $("#save").addEventListener("click", () => file("/api/save-variant", { name: $("#variant-name").value }));
      $("#report").addEventListener("click", () => file("/api/report"));
      document.querySelectorAll("input.value").forEach((input) => { input.dataset.shown = input.dataset.baseline; });
      document.body.dataset.shown = "0";
      document.body.dataset.ready = "1";
    })();

    """#
}

extension Format {
    static func amountText(_ n: Int) -> String { amount(Double(n)) }
}
