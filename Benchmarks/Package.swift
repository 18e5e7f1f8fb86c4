// swift-tools-version: 6.1
import PackageDescription

// Benchmarks of crmcase's trial loop, apart from the main package so that its tests and CI never
// build ordo-one/benchmark (see Benchmarks/README.md).
//
// - `MainLoop` (package-benchmark, malloc counts through its MallocInterposer trait):
//     swift package --package-path Benchmarks --scratch-path .build-bench benchmark
// - `crmcase-allocations`: heap allocations per trial of the engine's main loop, one number for
//   Benchmarks/compare.sh (malloc-interposer's counters, no LD_PRELOAD).
let package = Package(
    name: "crmcase-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named, since a path package is otherwise known by its folder's name (e.g. a worktree's).
        .package(name: "crmcase", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
    ],
    targets: [
        .executableTarget(
            name: "MainLoop",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CRMCase", package: "crmcase"),
            ],
            path: "Benchmarks/MainLoop",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "crmcase-allocations",
            dependencies: [
                .product(name: "CRMCase", package: "crmcase"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ],
            path: "Sources/crmcase-allocations"
        ),
    ]
)
