/** Terminal output helpers: everything printed passes through `safe()` so model text stays inert. */
import pc from 'picocolors';
import type { Diagnostic } from '../model/diagnostics.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Colours on (a terminal, and NO_COLOR unset). */
  color: boolean;
  /**
   * A transient status line on standard error (overwritten by the next one; '' clears it). Present
   * only on an interactive terminal outside CI; long runs use it to show which phase they are in.
   */
  progress?: (line: string) => void;
}

/** Replace control characters (ANSI escapes included) and bidi/invisible characters with visible escapes. */
export function safe(text: string): string {
  return text.replace(
    // Intentional: control characters are what this replaces.
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\ufeff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  );
}

/** `file:line:column  CODE  message  (hint)` */
export function formatDiagnostic(d: Diagnostic, color: boolean): string {
  const where = `${d.file ?? '<input>'}${d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : ''}`;
  const code = color ? (d.severity === 'error' ? pc.red(d.code) : pc.yellow(d.code)) : d.code;
  const hint = d.hint ? `  (${d.hint})` : '';
  return safe(`${where}  ${code}  ${d.message}${hint}`);
}
