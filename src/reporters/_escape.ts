/**
 * Escaping for report formats. Model text is untrusted (descriptions are often written by third
 * parties): every value that came from the model goes through one of these before it is emitted.
 */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g; // eslint-disable-line no-control-regex

/** Visible escapes for control, bidirectional and zero-width characters. */
export function neutralise(s: string): string {
  return s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Inline Markdown text (never at the start of a line): neutralised, then every character that can
 * open emphasis, code, links, HTML or a table cell is backslash-escaped or written as an entity,
 * so the text renders literally on GitHub.
 */
export function mdText(value: unknown, max = 500): string {
  let s = neutralise(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  if (s.length > max) s = s.slice(0, max) + '…';
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]()|~])/g, '\\$1')
    // Every line ending CommonMark knows (LF, CRLF and a lone CR) becomes a space: text cannot start a line.
    .replace(/\r\n?|\n/g, ' ')
    .replace(/^(\s*)(=|@)/, '$1\\$2');
}

/**
 * A Markdown code span that cannot be broken out of: picks a fence longer than any backtick run
 * inside. In a table cell, pipes are escaped (GitHub reads an unescaped pipe as a column break).
 */
export function mdCode(value: unknown, max = 200, inTable = true): string {
  let s = neutralise(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))).replace(/\r\n?|\n/g, ' ');
  if (s.length > max) s = s.slice(0, max) + '…';
  let longest = 0;
  for (const m of s.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s === '' ? ' ' : '';
  return `${fence}${pad}${inTable ? s.replace(/\|/g, '\\|') : s}${pad}${fence}`;
}

const JSON_INVISIBLE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * JSON whose bytes are inert: JSON.stringify already escapes C0 controls; this also writes DEL, C1,
 * bidirectional, zero-width and line-separator characters as \uXXXX escapes. They can only occur
 * inside strings, so the parsed data is unchanged (nothing is lost), but no viewer can be tricked.
 */
export function inertJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
