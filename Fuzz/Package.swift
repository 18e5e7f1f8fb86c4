// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for crmcase's parsers; see Fuzz/run.sh and README.md ("Fuzzing").
// Built with the sanitizer flags given on the command line (run.sh):
//   swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
//     -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address
// One executable holds every target; its first argument names the target.
let package = Package(
    name: "crmcase-fuzz",
    platforms: [.macOS(.v15)],
    // Named, since a path package is otherwise known by its folder's name (e.g. a worktree's).
    dependencies: [.package(name: "crmcase", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "crmcase-fuzz",
            dependencies: [
                "CFuzzDriver",
                .product(name: "CRMCase", package: "crmcase"),
            ]
        ),
    ]
)
