/** A plain text table (cli-table3 is not a bench dependency): columns padded, numbers right-aligned. */
export function formatTable(head: string[], rows: string[][]): string {
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const numeric = (s: string) => /^[-+0-9.e]+$/.test(s) || s === '-';
  const line = (r: string[]) => r.map((s, c) => (c > 2 && numeric(s) ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
