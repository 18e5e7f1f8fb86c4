// swift-tools-version: 6.0
import PackageDescription

// Data flows one way, and the modules show it:
//   ScenarioFormat (YAML → Scenario, with CRMModel's monthly model)
//   → MonteCarlo (the engine: trials → per-trial outcomes, and their statistics and sensitivity)
//   → Tracking (the follow-up: actuals against the trials, the re-forecast)
//   → ReportBuilders (analysis → ReportDocument: sections, sentences with typed quantities,
//     tables, figures as data) → Renderers (Markdown, CSV, HTML with SVG from Charts).
// UseCases (run, follow-up, compare, sweep, provenance, report folders) is what the CLI, a
// server or a cluster job calls; CRMCaseCLI holds only the commands and the ErrorPresenter.
// GSLSupport is the only module that talks to the GNU Scientific Library; Tabular reads and
// writes CSV with positions; Charts draws SVG charts from plain values and depends on nothing;
// Spreadsheet writes Excel workbooks (sheets, cells, native charts) through libxlsxwriter.
let package = Package(
    name: "crmcase",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "crmcase", targets: ["crmcase"]),
        .library(name: "CRMCase", targets: ["CRMModel", "ScenarioFormat", "MonteCarlo", "ReportBuilders", "Tracking", "UseCases"]),
        .library(name: "Charts", targets: ["Charts"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // The workshop's web server (crmcase workshop) and what it names directly.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        .target(name: "GSLSupport", dependencies: ["CGSL"]),
        // Excel workbooks with native charts, through libxlsxwriter (a system C library like GSL).
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"]), .brew(["libxlsxwriter"])]
        ),
        .target(name: "Spreadsheet", dependencies: ["CXLSXWriter"]),
        .target(name: "CRMModel", dependencies: ["GSLSupport"]),
        .target(name: "ScenarioFormat", dependencies: ["CRMModel", "GSLSupport", "Yams"]),
        .target(name: "MonteCarlo", dependencies: ["CRMModel", "GSLSupport"]),
        // CSV read with the line and column of every field, written with rows that match the header.
        .target(name: "Tabular"),
        .target(name: "Tracking", dependencies: ["CRMModel", "MonteCarlo", "ScenarioFormat", "GSLSupport", "Tabular"]),
        // Analysis → ReportDocument (content, no format) → Renderers (Markdown, CSV, HTML/SVG).
        .target(name: "ReportDocument"),
        .target(name: "ReportBuilders", dependencies: ["CRMModel", "MonteCarlo", "Tracking", "ReportDocument", "Tabular"]),
        .target(name: "Renderers", dependencies: ["ReportDocument", "Charts", "Tabular"]),
        .target(name: "UseCases", dependencies: ["CRMModel", "ScenarioFormat", "MonteCarlo", "Tracking", "ReportDocument", "ReportBuilders", "Renderers", "GSLSupport", "Spreadsheet", "Tabular"]),
        // The live what-if page: a session (baseline, controls, history) on the use cases, its
        // page, and the Hummingbird server that serves it.
        .target(
            name: "Workshop",
            dependencies: [
                "CRMModel", "ScenarioFormat", "MonteCarlo", "ReportDocument", "ReportBuilders", "Renderers", "UseCases",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .target(
            name: "CRMCaseCLI",
            dependencies: [
                "CRMModel", "ScenarioFormat", "MonteCarlo", "Tracking", "UseCases", "GSLSupport", "Tabular", "Workshop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "crmcase", dependencies: ["CRMCaseCLI"]),
        // Deterministic SVG charts from plain values; depends on nothing else in crmcase.
        .target(name: "Charts"),
        .testTarget(
            name: "CRMCaseTests",
            dependencies: ["GSLSupport", "CRMModel", "ScenarioFormat", "MonteCarlo", "ReportDocument", "ReportBuilders", "Renderers", "Tracking", "Tabular", "UseCases", "CRMCaseCLI", "Workshop", "Spreadsheet"]
        ),
        .testTarget(name: "ChartTests", dependencies: ["Charts"]),
    ]
)
