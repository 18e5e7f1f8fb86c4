#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a bounded time.
#   Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET…]     (default 60 seconds; all targets)
# Prints each target's executions and whether it found anything; exits 1 when one crashed,
# hung (libFuzzer -timeout) or tripped AddressSanitizer. Findings go to Fuzz/crashes/<target>/,
# the growing corpus to Fuzz/work/<target>/ (both git-ignored); the committed seeds stay in
# Fuzz/corpus/<target>/. Reproduce a finding: .build-fuzz/x86_64-unknown-linux-gnu/release/crmcase-fuzz TARGET FILE
set -u
seconds=${1:-60}
shift || true
fuzz=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$fuzz")
all_targets=(scenario value set variants actuals sweep)
[ $# -gt 0 ] && targets=("$@") || targets=("${all_targets[@]}")

# Largest input per target, in bytes (the example files are up to 15 kB).
max_len() { case $1 in scenario) echo 20000;; variants) echo 24000;; actuals) echo 12000;; set) echo 1024;; *) echo 256;; esac; }

apt_install() {
    command -v apt-get >/dev/null || { echo "run.sh: $* is missing and there is no apt-get" >&2; exit 2; }
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" || { echo "run.sh: cannot install $*" >&2; exit 2; }
}
swiftc=$(command -v swiftc) || { echo "run.sh: no Swift toolchain on PATH" >&2; exit 2; }
toolchain=$(dirname "$(dirname "$(readlink -f "$swiftc")")")
pkg-config --exists gsl 2>/dev/null || apt_install libgsl-dev pkg-config
# libFuzzer and ASan runtimes: the Swift toolchain for Linux ships them; a clang runtime from apt
# would not be found by swiftc, so say so rather than guess.
if ! ls "$toolchain"/lib/swift/clang/lib/linux/libclang_rt.fuzzer*-x86_64.a >/dev/null 2>&1 &&
   ! ls "$toolchain"/lib/swift/clang/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1; then
    echo "run.sh: this Swift toolchain has no libFuzzer runtime (libclang_rt.fuzzer) under $toolchain/lib/swift/clang/lib;" >&2
    echo "        install a swift.org toolchain for Linux, which ships it." >&2
    exit 2
fi
# gold (the default linker) fails with an internal error on this link; lld links it.
[ -x "$toolchain/bin/ld.lld" ] || command -v ld.lld >/dev/null || apt_install lld

cd "$repo"
echo "== building (swift build -c release, fuzzer + address sanitizers) =="
start=$(date +%s)
swift build -c release --package-path Fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld \
    -Xcc -fsanitize=fuzzer-no-link,address 2>&1 | grep -v "Cannot export local symbol" | tail -n 20
build_status=${PIPESTATUS[0]}
echo "build: $(( $(date +%s) - start )) s"
[ "$build_status" = 0 ] || { echo "run.sh: build failed" >&2; exit 2; }
binary=.build-fuzz/$(uname -m)-unknown-linux-gnu/release/crmcase-fuzz

# No leak check at exit either (see -detect_leaks below).
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
failed=0
for target in "${targets[@]}"; do
    work=Fuzz/work/$target; crashes=Fuzz/crashes/$target; log=Fuzz/work/$target.log
    mkdir -p "$work" "$crashes"
    # Findings are crash-*, timeout-*, oom-* and leak-* files (slow-unit-* ones are only notes).
    findings() { ls "$crashes" | grep -cE '^(crash|timeout|oom|leak)-'; }
    before=$(findings)
    # -timeout: one input running longer than 60 s (wall clock) is reported as a hang; a real
    # scenario takes a few tenths of a second of CPU to parse under AddressSanitizer, far longer on a busy
    # machine. The outer timeout catches a fuzzer that no longer answers at all. Leaks are not
    # checked: Foundation's FileManager.contents(atPath:) leaks a page for an empty file
    # (swift 6.3.1), which the variants target meets at once.
    timeout -k 10 $((seconds + 120)) "$binary" "$target" "$work" "Fuzz/corpus/$target" \
        -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 -max_len="$(max_len "$target")" \
        -artifact_prefix="$crashes/" -print_final_stats=1 -detect_leaks=0 >"$log" 2>&1
    status=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    [ -n "$runs" ] || runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    after=$(findings)
    if [ "$status" = 0 ] && [ "$after" = "$before" ]; then
        printf '%-9s %10s executions in %s s: nothing found\n' "$target" "${runs:-?}" "$seconds"
    else
        failed=1
        printf '%-9s %10s executions: FOUND something (exit %s); inputs in %s/, log %s\n' \
            "$target" "${runs:-?}" "$status" "$crashes" "$log"
        grep -m 3 -E 'ERROR: libFuzzer|ERROR: AddressSanitizer|Fatal error|SUMMARY' "$log" | sed 's/^/    /'
    fi
done
exit $failed
