#!/usr/bin/env python3
"""Reads a report's Excel workbook back with openpyxl (a library that did not write it) and
compares every number with the report's CSV files.

    check_workbook.py FOLDER WORKBOOK

Checks, for the report folder FOLDER and its workbook (e.g. report.xlsx):
  - every CSV file but trials.csv has a sheet named as the file, holding its comment lines,
    header and every row: text as text, an empty field as an empty cell, and each number equal
    to the CSV's to the 16 significant digits the workbook stores (libxlsxwriter writes %.16G);
  - the Summary sheet holds every (metric, statistic) of summary.csv, and the Cash flow sheet
    every amount of cash-flow.csv, in their own layouts;
  - the sheets for people hold the CSV files' numbers: Cash fan (monthly.csv's cumulative cash),
    Drivers (sensitivity.csv), Plan vs actual (track.csv), Options (compare.csv), Sweep chart
    (sweep.csv);
  - the workbook holds native charts (xl/charts/chartN.xml), every series of which points at
    cells that hold numbers (at least one) and every category range at cells that are filled.
Prints `ok: N numbers, C charts, sheets: …` and exits 0, or prints each difference and exits 1.
"""
import csv
import io
import os
import re
import sys
import zipfile

import openpyxl


# A number as crmcase's CSV writer writes one (`1200`, `-3`, `0.25`, `2.5e-07`, `1e+16`); Python's
# float() would also take `1_200`, `nan` or `inf`, which are text in these files.
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")
# Columns of names and words: text even when one looks like a number (a segment called 2024).
TEXT_COLUMNS = {"metric", "statistic", "segment", "option", "input", "line", "kind", "series", "verdict",
                "calendar_month", "period", "as_written", "unit"}


def same(csv_text, cell, text=False):
    """Whether a CSV field and a workbook cell hold the same value."""
    if csv_text == "":
        return cell is None
    if text or not NUMBER.match(csv_text):
        return cell == csv_text
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return False
    return format(float(csv_text), ".16G") == format(float(cell), ".16G")


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    comments = []
    while lines and lines[0].startswith("# "):
        comments.append(lines.pop(0)[2:])
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    rows = [r for r in rows if r]
    return comments, rows[0], rows[1:]


def main():
    folder, name = sys.argv[1], sys.argv[2]
    path = os.path.join(folder, name)
    book = openpyxl.load_workbook(path, data_only=True)
    problems, numbers = [], 0

    def number_fields(row):
        return sum(1 for v in row if NUMBER.match(v))

    csv_names = sorted(n for n in os.listdir(folder) if n.endswith(".csv") and n != "trials.csv")
    for csv_name in csv_names:
        comments, header, rows = read_csv(os.path.join(folder, csv_name))
        if csv_name not in book.sheetnames:
            problems.append(f"no sheet {csv_name}")
            continue
        sheet = [list(r) for r in book[csv_name].iter_rows(values_only=True)]
        expected = [["# " + c] for c in comments] + [header] + rows
        if len(sheet) != len(expected):
            problems.append(f"{csv_name}: {len(sheet)} rows in the sheet, {len(expected)} in the file")
            continue
        for r, (want, got) in enumerate(zip(expected, sheet)):
            got = got + [None] * (len(want) - len(got))
            for c, field in enumerate(want):
                text = r < len(comments) + 1 or (c < len(header) and header[c] in TEXT_COLUMNS)
                if not same(field, got[c], text):
                    problems.append(f"{csv_name} row {r + 1} column {c + 1}: file {field!r}, sheet {got[c]!r}")
            numbers += number_fields(want)

    if "summary.csv" in csv_names:
        _, _, rows = read_csv(os.path.join(folder, "summary.csv"))
        sheet = [list(r) for r in book["Summary"].iter_rows(values_only=True)]
        top = next(i for i, r in enumerate(sheet) if r and r[0] == "metric")
        statistics = sheet[top][1:]
        table = {r[0]: dict(zip(statistics, r[1:])) for r in sheet[top + 1:] if r and r[0]}
        for metric, statistic, value in rows:
            got = table.get(metric, {}).get(statistic, "missing")
            if not same(value, got):
                problems.append(f"Summary: {metric} {statistic}: file {value!r}, sheet {got!r}")
            numbers += 1
        cells = sum(1 for r in table.values() for v in r.values() if v is not None)
        if cells != sum(1 for r in rows if r[2] != ""):
            problems.append(f"Summary holds {cells} values, summary.csv {len(rows)}")

    if "cash-flow.csv" in csv_names:
        _, header, rows = read_csv(os.path.join(folder, "cash-flow.csv"))
        sheet = [list(r) for r in book["Cash flow"].iter_rows(values_only=True)]
        top = next(i for i, r in enumerate(sheet) if r and r[1] == "Initial")
        # One sheet row per CSV column after period, first_month, last_month; one sheet column per CSV row.
        for k, column in enumerate(header[3:]):
            got_row = sheet[top + 1 + k]
            for j, row in enumerate(rows):
                if not same(row[3 + k], got_row[1 + j]):
                    problems.append(f"Cash flow: {column} {row[0]}: file {row[3 + k]!r}, sheet {got_row[1 + j]!r}")
                numbers += 1

    def sheet_rows(name):
        return [list(r) for r in book[name].iter_rows(values_only=True)]

    def column_check(sheet_name, key_of, expected, label):
        """expected: key -> list of CSV texts; key_of(row) gives a sheet row's key or None."""
        nonlocal numbers
        found = {}
        for row in sheet_rows(sheet_name):
            key = key_of(row)
            if key is not None:
                found[key] = row
        for key, texts in expected.items():
            row = found.get(key)
            if row is None:
                problems.append(f"{sheet_name}: no row for {key}")
                continue
            for (column, text) in texts:
                if not same(text, row[column]):
                    problems.append(f"{sheet_name} {key} {label[column] if column in label else column}: file {text!r}, sheet {row[column]!r}")
                numbers += 1

    if "monthly.csv" in csv_names and "Cash fan" in book.sheetnames:
        _, header, rows = read_csv(os.path.join(folder, "monthly.csv"))
        col = {h: i for i, h in enumerate(header)}
        cash = {r[0]: [(2, r[col["p10"]]), (3, r[col["p50"]]), (4, r[col["mean"]]), (5, r[col["p90"]])]
                for r in rows if r[col["series"]] == "cumulative_cash"}
        column_check("Cash fan", lambda r: str(r[0]) if isinstance(r[0], int) else None, cash, {})
    if "sensitivity.csv" in csv_names:
        _, header, rows = read_csv(os.path.join(folder, "sensitivity.csv"))
        effects = {r[0]: [(1, r[2]), (2, r[3]), (3, r[4]), (4, r[5]), (5, r[6])] for r in rows if r[1] in ("input", "risk")}
        column_check("Drivers", lambda r: r[0] if r and r[0] in effects else None, effects, {})
    if "track.csv" in csv_names:
        _, header, rows = read_csv(os.path.join(folder, "track.csv"))
        col = {h: i for i, h in enumerate(header)}

        def track_key(metric, segment, month):
            words = metric.replace("_", " ")
            return f"{words} — {segment}|{month}" if segment else f"{words}|{month}"
        plan = {track_key(r[col["metric"]], r[col["segment"]], r[0]):
                [(3, r[col["actual"]]), (4, r[col["forecast_p10"]]), (5, r[col["forecast_p50"]]), (6, r[col["forecast_p90"]])]
                for r in rows}
        column_check("Plan vs actual", lambda r: f"{r[0]}|{r[1]}" if r and isinstance(r[1], int) else None, plan, {})
    if "compare.csv" in csv_names:
        _, header, rows = read_csv(os.path.join(folder, "compare.csv"))
        sheet = sheet_rows("Options")
        top = next(i for i, r in enumerate(sheet) if r and r[0] == "metric and statistic")
        options = sheet[top][1:]
        table = {r[0]: dict(zip(options, r[1:])) for r in sheet[top + 1:] if r and r[0]}
        for option, metric, statistic, value in rows:
            got = table.get(f"{metric} {statistic}", {}).get(option, "missing")
            if not same(value, got):
                problems.append(f"Options: {option} {metric} {statistic}: file {value!r}, sheet {got!r}")
            numbers += 1
    if "sweep.csv" in csv_names:
        _, header, rows = read_csv(os.path.join(folder, "sweep.csv"))
        col = {h: i for i, h in enumerate(header)}
        sweep = {r[0]: [(1, r[col["npv_p5"]]), (2, r[col["npv_mean"]]), (3, r[col["npv_p95"]])] for r in rows}
        column_check("Sweep chart", lambda r: (format(float(r[0]), ".16G") if isinstance(r[0], (int, float)) else None),
                     {format(float(k), ".16G"): v for k, v in sweep.items()}, {})

    # Every chart's ranges: series on numbers, categories on filled cells.
    reference = re.compile(r"<c:(cat|val)>.*?<c:f>(.*?)</c:f>", re.S)
    with zipfile.ZipFile(path) as z:
        chart_files = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart") and n.endswith(".xml"))
        charts = len(chart_files)
        for name in chart_files:
            xml = z.read(name).decode("utf-8")
            found = reference.findall(xml)
            if not any(kind == "val" for kind, _ in found):
                problems.append(f"{name}: no series")
            for kind, ref in found:
                ref = ref.replace("&apos;", "'").replace("&amp;", "&")
                sheet_name, cells = ref.rsplit("!", 1)
                sheet_name = sheet_name.strip("'").replace("''", "'")
                values = [c.value for row in book[sheet_name][cells.replace("$", "")] for c in row]
                if kind == "val" and not any(isinstance(v, (int, float)) for v in values):
                    problems.append(f"{name}: the series {ref} holds no number")
                if kind == "val" and any(v is not None and not isinstance(v, (int, float)) for v in values):
                    problems.append(f"{name}: the series {ref} holds text")
                if kind == "cat" and any(v is None for v in values):
                    problems.append(f"{name}: the categories {ref} have an empty cell")

    for p in problems[:40]:
        print(p)
    if problems:
        print(f"{len(problems)} differences")
        return 1
    print(f"ok: {numbers} numbers, {charts} charts, sheets: {', '.join(book.sheetnames)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
