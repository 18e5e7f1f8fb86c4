/// The report's style sheet, inline in every HTML report: quiet, print-first (A4), readable in
/// grey scale; numbers in tabular figures and right-aligned.
public enum HTMLStyle {
    public static let css = """
    :root { --ink: #1d2733; --muted: #5b6673; --rule: #d5dae0; --band: #eef1f4; --accent: #9b1c1c; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; color: var(--ink); background: #fff;
      font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1080px; margin: 0 auto; padding: 28px 32px 48px; }
    h1 { font-size: 26px; line-height: 1.25; margin: 0 0 16px; }
    h2 { font-size: 20px; margin: 36px 0 10px; padding-top: 8px; border-top: 2px solid var(--ink); }
    h3 { font-size: 16px; margin: 24px 0 8px; }
    p { margin: 0 0 12px; max-width: 78ch; }
    .summary > p:first-of-type { font-size: 17px; max-width: none; }
    code { font: 0.88em/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--band);
      padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
    .q { white-space: nowrap; font-variant-numeric: tabular-nums; }
    .callout { border-left: 4px solid var(--accent); background: #f8f1f1; padding: 8px 14px; margin: 0 0 16px; }
    .callout p { margin: 0; }
    .notes { font-size: 13px; color: var(--muted); }
    .table-wrap { overflow-x: auto; margin: 0 0 18px; }
    table { border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
    caption { text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 4px; }
    th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: left; }
    th { border-bottom: 1.5px solid var(--ink); font-weight: 600; }
    td.num, th.num { text-align: right; white-space: nowrap; }
    tr.total td { font-weight: 700; border-top: 1.5px solid var(--ink); }
    figure { margin: 8px 0 22px; break-inside: avoid; }
    figure svg { display: block; width: 100%; max-width: 760px; height: auto; }
    figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; max-width: 78ch; }
    .figure-row { display: flex; flex-wrap: wrap; gap: 12px 24px; }
    .figure-row figure { flex: 1 1 440px; min-width: 0; }
    .figure-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 10px 20px; }
    .figure-grid figure { margin: 0 0 8px; min-width: 0; }
    .figure-grid figcaption { font-size: 12px; }
    .summary { break-after: page; }
    ul { padding-left: 22px; } li { margin-bottom: 4px; }
    @page { size: A4; margin: 14mm 12mm; }
    @media print {
      body { font-size: 10.5pt; }
      main { max-width: none; padding: 0; }
      h2 { break-after: avoid; }
      table { font-size: 8.5pt; }
      tr { break-inside: avoid; }
      thead { display: table-header-group; }
      .figure-row figure { flex-basis: 45%; }
      .figure-grid { grid-template-columns: repeat(2, 1fr); }
      a { color: inherit; text-decoration: none; }
    }

    """
}
