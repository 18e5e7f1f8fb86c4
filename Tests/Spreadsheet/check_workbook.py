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
  - the workbook holds native charts (xl/charts/chartN.xml), and how many.
Prints `ok: N numbers, C charts, sheets: …` and exits 0, or prints each difference and exits 1.
"""
import csv
import io
import os
import sys
import zipfile

import openpyxl


def same(csv_text, cell):
    """Whether a CSV field and a workbook cell hold the same value."""
    if csv_text == "":
        return cell is None
    try:
        x = float(csv_text)
    except ValueError:
        return cell == csv_text
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        return False
    return format(x, ".16G") == format(float(cell), ".16G")


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
        return sum(1 for v in row if v != "" and is_number(v))

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
                if not same(field, got[c]):
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

    with zipfile.ZipFile(path) as z:
        charts = sum(1 for n in z.namelist() if n.startswith("xl/charts/chart") and n.endswith(".xml"))

    for p in problems[:40]:
        print(p)
    if problems:
        print(f"{len(problems)} differences")
        return 1
    print(f"ok: {numbers} numbers, {charts} charts, sheets: {', '.join(book.sheetnames)}")
    return 0


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


if __name__ == "__main__":
    sys.exit(main())
