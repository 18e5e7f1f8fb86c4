// swift-tools-version: 6.0
import PackageDescription

// Data flows one way: ScenarioFormat (YAML → Scenario) → MonteCarlo (trials → statistics)
// → Reports (Markdown + CSV). CRMModel holds the monthly business-case model itself;
// GSLSupport is the only module that talks to the GNU Scientific Library. Tracking holds the
// follow-up: actuals files, expected versus realized, and the re-forecast. Charts draws SVG
// charts from plain values and depends on nothing.
let package = Package(
    name: "crmcase",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "crmcase", targets: ["crmcase"]),
        .library(name: "CRMCase", targets: ["CRMModel", "ScenarioFormat", "MonteCarlo", "Reports", "Tracking"]),
        // For the fuzz targets in Fuzz/ (a separate package), which need `SweepRange`.
        .library(name: "CRMCaseCLI", targets: ["CRMCaseCLI"]),
        .library(name: "Charts", targets: ["Charts"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]
        ),
        .target(name: "GSLSupport", dependencies: ["CGSL"]),
        .target(name: "CRMModel", dependencies: ["GSLSupport"]),
        .target(name: "ScenarioFormat", dependencies: ["CRMModel", "GSLSupport", "Yams"]),
        .target(name: "MonteCarlo", dependencies: ["CRMModel", "GSLSupport"]),
        .target(name: "Reports", dependencies: ["CRMModel", "MonteCarlo"]),
        .target(
            name: "Tracking",
            dependencies: [
                "CRMModel", "MonteCarlo", "ScenarioFormat", "Reports", "GSLSupport",
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        .target(
            name: "CRMCaseCLI",
            dependencies: [
                "CRMModel", "ScenarioFormat", "MonteCarlo", "Reports", "Tracking", "GSLSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "crmcase", dependencies: ["CRMCaseCLI"]),
        // Deterministic SVG charts from plain values; depends on nothing else in crmcase.
        .target(name: "Charts"),
        .testTarget(
            name: "CRMCaseTests",
            dependencies: ["GSLSupport", "CRMModel", "ScenarioFormat", "MonteCarlo", "Reports", "Tracking", "CRMCaseCLI"]
        ),
        .testTarget(name: "ChartTests", dependencies: ["Charts"]),
    ]
)
