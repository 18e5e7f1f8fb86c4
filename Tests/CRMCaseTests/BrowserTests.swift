import Foundation
import Testing

/// The HTML reports as a reader sees them: every example's HTML report (the ones in `Reports/`,
/// which `scripts/setup.sh` writes and `.ci/run` checks) is opened in Debian's headless
/// Chromium, rendered to a screenshot and printed to an A4 PDF, and its rendered page must hold
/// the verdict and every chart of the report folder.
///
/// `scripts/setup.sh` installs `chromium`. Set `CRMCASE_SCREENSHOTS=DIR` to keep the screenshots
/// and PDFs for a look.
@Suite("HTML reports in a real browser", .serialized)
struct BrowserTests {
    /// Each HTML report of the examples, with the word its opening sentence starts with.
    static let reports: [(file: String, opening: String)] = {
        let reports = CLI.packageRoot.appendingPathComponent("Reports")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: reports.path))?.sorted() ?? []
        return folders.flatMap { folder -> [(file: String, opening: String)] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: reports.appendingPathComponent(folder).path)) ?? []
            return names.filter { $0.hasSuffix(".html") }.sorted().map { name in
                ("Reports/\(folder)/\(name)", name == "sweep.html" ? "Summary." : "Verdict")
            }
        }
    }()

    static func chromium() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs headless Chromium on `file` with `action` (e.g. `--dump-dom`).
    static func browse(_ file: URL, _ action: [String]) throws -> CLI.Result {
        guard let chromium = chromium() else {
            Issue.record("headless Chromium is not installed: run scripts/setup.sh --deps (it installs Debian's chromium).")
            return CLI.Result(status: -1, stdout: "", stderr: "")
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        return try CLI.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                      "--user-data-dir=\(profile.path)", "--no-first-run"] + action + [file.absoluteString],
                           in: FileManager.default.temporaryDirectory)
    }

    @Test("The examples have HTML reports")
    func examplesHaveHTML() {
        let files = Self.reports.map(\.file)
        for required in ["report.html", "track.html", "compare.html", "sweep.html"] {
            #expect(files.contains { $0.hasSuffix("/" + required) }, "no \(required) in Reports/")
        }
    }

    @Test("Each HTML report renders with its verdict and every chart", arguments: reports.map(\.file))
    func renders(_ relative: String) throws {
        let file = CLI.packageRoot.appendingPathComponent(relative)
        let folder = file.deletingLastPathComponent()
        let html = try String(contentsOf: file, encoding: .utf8)
        let opening = Self.reports.first { $0.file == relative }!.opening

        // Self-contained: nothing is fetched from anywhere.
        for pattern in ["src=\"http", "href=\"http", "url(http", "<script", "<link", "@import"] {
            #expect(!html.contains(pattern), "\(relative) contains \(pattern)")
        }

        // The page as the browser built it: the verdict, and one inline chart per SVG file of its
        // report (the figures of one HTML file are the SVG files written for it).
        let dom = try Self.browse(file, ["--dump-dom"])
        #expect(dom.status == 0, "chromium --dump-dom failed: \(dom.stderr.suffix(500))")
        #expect(dom.stdout.contains("<strong>\(opening)"), "\(relative): no \(opening) sentence in the rendered page")
        let stem = file.deletingPathExtension().lastPathComponent
        let svgs = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".svg") }
        let figures = dom.stdout.components(separatedBy: "<figure id=\"figure-").dropFirst()
        #expect(!figures.isEmpty, "\(relative) has no figures")
        for figure in figures {
            let name = String(figure.prefix { $0 != "\"" })
            #expect(figure.contains("<svg"), "\(relative): figure \(name) has no chart")
            #expect(svgs.contains("\(name).svg"), "\(relative): figure \(name) has no \(name).svg beside it")
        }
        if ["report", "track", "compare", "sweep"].contains(stem) {
            #expect(figures.count == svgs.count, "\(relative): \(figures.count) figures, \(svgs.count) SVG files")
        }

        // A screenshot and an A4 PDF, as a reader would see and print it.
        let keep = ProcessInfo.processInfo.environment["CRMCASE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
        let out = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("crmcase-shots-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: out) } }
        let name = folder.lastPathComponent + "-" + stem
        let png = out.appendingPathComponent(name + ".png"), pdf = out.appendingPathComponent(name + ".pdf")
        let shot = try Self.browse(file, ["--screenshot=\(png.path)", "--window-size=1280,1600"])
        #expect(shot.status == 0, "chromium --screenshot failed: \(shot.stderr.suffix(500))")
        let pngBytes = (try? Data(contentsOf: png)) ?? Data()
        #expect(pngBytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && pngBytes.count > 20_000, "\(relative): the screenshot is empty")
        let print = try Self.browse(file, ["--print-to-pdf=\(pdf.path)", "--no-pdf-header-footer"])
        #expect(print.status == 0, "chromium --print-to-pdf failed: \(print.stderr.suffix(500))")
        let pdfBytes = (try? Data(contentsOf: pdf)) ?? Data()
        #expect(pdfBytes.starts(with: Array("%PDF".utf8)), "\(relative): no PDF")
        // The summary is a page of its own, so every report prints on at least two pages.
        let text = String(decoding: pdfBytes, as: UTF8.self)
        let pageObject = try NSRegularExpression(pattern: "/Type\\s*/Page(?!s)")
        let pages = pageObject.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(pages >= 2, "\(relative): the PDF has \(pages) page(s)")
    }
}
