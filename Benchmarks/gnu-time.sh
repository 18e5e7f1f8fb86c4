# Helpers for reading GNU time -v logs, sourced by the benchmark scripts (compare.sh,
# sharded-run.sh). Installs GNU time if it is missing.

if [ ! -x /usr/bin/time ]; then
    echo "== installing GNU time" >&2
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update && apt-get install -y time
    else
        sudo apt-get update && sudo apt-get install -y time
    fi
fi

# Wall time in seconds from a GNU time -v log ("Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23"),
# with DECIMALS decimals (default 3): wall_seconds LOG [DECIMALS].
wall_seconds() {
    awk -F': ' -v decimals="${2:-3}" '/Elapsed \(wall clock\) time/ {
        n = split($NF, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]
        printf "%." decimals "f", s
    }' "$1"
}
# Peak resident memory in MB from a GNU time -v log ("Maximum resident set size (kbytes): 123456"),
# with DECIMALS decimals (default 1): peak_mb LOG [DECIMALS].
peak_mb() {
    awk -F': ' -v decimals="${2:-1}" '/Maximum resident set size/ { printf "%." decimals "f", $NF / 1024 }' "$1"
}
