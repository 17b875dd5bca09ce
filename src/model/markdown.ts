/** Markdown helpers for the generated reference documents (format, catalogue, report format). */

/** Text for one cell of a Markdown table: pipes escaped, line breaks turned into spaces. */
export function tableCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r\n?|\n/g, ' ');
}
