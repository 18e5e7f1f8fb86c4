#!/usr/bin/env bash
# The README's main command. On a fresh machine it installs what is missing (GSL, libxlsxwriter and the tests' tools through apt and pip),
# builds crmcase in release, and writes the report of every example scenario to Reports/ (and,
# where Scenarios/<name>.actuals.csv exists, its follow-up to Reports/<name>-follow-up/; for a
# variants file Scenarios/<name>.variants.yaml, the comparison of its options to Reports/<name>-compare/;
# and the README's sweep of the seats licensed to Reports/car-dealership-sweep/).
#
#   scripts/setup.sh            everything
#   scripts/setup.sh --deps     only install what is missing
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages: GSL (the numeric foundation) and pkg-config to find it; headless Chromium
# and a font for the browser test of the HTML reports (Tests/CRMCaseTests/BrowserTests.swift).
missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists gsl; then missing+=(libgsl-dev); fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v parallel >/dev/null 2>&1 || missing+=(parallel)   # the GNU parallel test of sharded runs
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)   # the workshop's browser test
# libxlsxwriter writes the reports' Excel workbooks; LibreOffice (no GUI) opens them in a test.
if ! pkg-config --exists xlsxwriter 2>/dev/null; then missing+=(libxlsxwriter-dev); fi
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
# A single-node Slurm for the test of `crmcase slurm` on a real scheduler (Tests/Slurm/run_on_slurm.sh).
command -v slurmctld >/dev/null 2>&1 || missing+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || missing+=(munge)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "== installing ${missing[*]}" >&2
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends "${missing[@]}"
fi
# PyPI packages of the tests, each written by someone else than crmcase: Selenium drives Chromium
# in the workshop's browser test (Tests/Browser/workshop_test.py); jsonschema and PyYAML check
# the scenario schema (Tests/Schema/check_schema.py); openpyxl reads the Excel workbooks back
# (Tests/Spreadsheet/check_workbook.py); SciPy is the reference for the inputs' percentiles
# (Tests/Reference/check_report_tables.py).
pip_install() {
    python3 -m pip install --quiet "$@" || python3 -m pip install --quiet --break-system-packages "$@"
}
python3 -c 'import selenium' >/dev/null 2>&1 || { echo "== installing selenium (PyPI)" >&2; pip_install 'selenium>=4.10'; }
python3 -c 'import jsonschema, yaml' >/dev/null 2>&1 || { echo "== installing jsonschema, PyYAML (PyPI)" >&2; pip_install 'jsonschema>=4.18' 'PyYAML>=6'; }
python3 -c 'import openpyxl' >/dev/null 2>&1 || { echo "== installing openpyxl (PyPI)" >&2; pip_install 'openpyxl>=3.1'; }
python3 -c 'import scipy' >/dev/null 2>&1 || { echo "== installing SciPy (PyPI)" >&2; pip_install 'scipy>=1.10'; }
echo "== GSL $(pkg-config --modversion gsl); $(chromium --version 2>/dev/null || echo 'chromium missing')" >&2

if [ "${1:-}" = "--deps" ]; then exit 0; fi

echo "== building crmcase (release)" >&2
swift build -c release --product crmcase

for scenario in Scenarios/*.yaml; do
    case "$scenario" in
        *.variants.yaml)
            # A variants file: its options side by side, in Reports/<name>-compare/.
            name="$(basename "$scenario" .variants.yaml)"
            .build/release/crmcase compare "$scenario" --out "Reports/$name-compare"
            continue ;;
    esac
    .build/release/crmcase run "$scenario" --quiet
    # A scenario with an actuals file beside it also gets its follow-up report.
    actuals="${scenario%.yaml}.actuals.csv"
    if [ -f "$actuals" ]; then
        .build/release/crmcase track "$scenario" --actuals "$actuals"
    fi
done

# One sweep, the README's example: the NPV against the number of seats licensed.
.build/release/crmcase sweep Scenarios/car-dealership.yaml --vary licences.seats=20:50:10 --quiet
