/**
 * Secrets in MCP client configurations: which env/header names and values are secrets, which values
 * are placeholders the client fills in (`${input:x}`, `${env:X}`, `${X}`), and redaction of secret
 * values inside arguments and URLs. Secret values are never copied into the model, a warning or a note.
 */

export const REDACTED = '[redacted]';

/** Name parts that mark a secret (split on _ - . and case changes). */
const SECRET_PARTS = new Set([
  'KEY',
  'APIKEY',
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'PWD',
  'PASS',
  'PASSPHRASE',
  'CREDENTIAL',
  'CREDENTIALS',
  'AUTH',
  'AUTHORIZATION',
  'BEARER',
  'COOKIE',
  'SESSION',
  'DSN',
  'PAT',
  'SIG',
  'SIGNATURE',
  'PRIVATE',
]);
const SECRET_INFIX = /(TOKEN|SECRET|PASSWORD|PASSWD|APIKEY|API_KEY|PRIVATEKEY|PRIVATE_KEY|ACCESSKEY|ACCESS_KEY|CLIENTSECRET)/;

/** True when an env variable, header or flag name says it holds a secret. */
export function isSecretName(name: string): boolean {
  const upper = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/^-+/, '');
  if (SECRET_INFIX.test(upper.replace(/[-.]/g, '_'))) return true;
  return upper.split(/[^A-Z0-9]+/).some((p) => SECRET_PARTS.has(p.replace(/\d+$/, '')));
}

const KNOWN_TOKEN = [
  /^(sk|rk|pk)-[A-Za-z0-9_-]{16,}/, // OpenAI, Anthropic (sk-ant-), Stripe-like
  /^(sk|rk|pk)_(live|test)_[A-Za-z0-9]{10,}/, // Stripe
  /^gh[pousr]_[A-Za-z0-9]{20,}/, // GitHub
  /^github_pat_[A-Za-z0-9_]{20,}/,
  /^glpat-[A-Za-z0-9_-]{16,}/, // GitLab
  /^xox[abposr]-[A-Za-z0-9-]{10,}/, // Slack
  /^A(KIA|SIA)[0-9A-Z]{16}$/, // AWS access key id
  /^AIza[0-9A-Za-z_-]{30,}/, // Google API key
  /^hf_[A-Za-z0-9]{20,}/, // Hugging Face
  /^npm_[A-Za-z0-9]{30,}/, // npm
  /^lin_(api|oauth)_[A-Za-z0-9]{20,}/, // Linear
  /^sntry[su]_[A-Za-z0-9+/=_-]{20,}/, // Sentry
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/, // JWT
  /^-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** A URL carrying a password in its user-info part. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:[^/@\s]+@/i;

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function looksLikePath(v: string): boolean {
  return /^(\/|~|\.{1,2}\/|[A-Za-z]:[\\/]|\\\\)/.test(v) || (/[\\/]/.test(v) && !/:\/\//.test(v) && /\.[A-Za-z0-9]{1,5}$/.test(v));
}

/** A value that is a secret whatever its name: a known token format, a URL with a password, a long random string. */
export function looksLikeSecretValue(v: string): boolean {
  const s = v.trim();
  if (s.length < 8) return false;
  const bare = s.replace(/^(Bearer|Basic|Token|Bot)\s+/i, '');
  if (KNOWN_TOKEN.some((re) => re.test(bare))) return true;
  if (URL_WITH_PASSWORD.test(s)) return true;
  if (/\s/.test(bare) || looksLikePath(bare) || /^[a-z][a-z0-9+.-]*:\/\//i.test(bare)) return false;
  // A long random-looking string: upper and lower case and digits, base64/hex alphabet only, high entropy.
  if (bare.length >= 32 && /^[A-Za-z0-9+/=_-]+$/.test(bare) && /[A-Z]/.test(bare) && /[a-z]/.test(bare) && /[0-9]/.test(bare) && entropy(bare) >= 4) return true;
  return false;
}

/** Placeholders clients fill in: ${input:id}, ${env:NAME}, ${NAME}, ${NAME:-default}, $NAME, ${{ secrets.X }}. */
const PLACEHOLDER = /\$\{\{[^}]{0,200}\}\}|\$\{([^}]{1,200})\}|\$([A-Za-z_][A-Za-z0-9_]{0,100})/g;

export interface ValueShape {
  /** Placeholder kinds found: input (prompted by the client), env (its environment), store (a secrets store), other (${workspaceFolder}...). */
  readonly placeholders: readonly ('input' | 'env' | 'store' | 'other')[];
  /** The text left once placeholders are removed (defaults of ${X:-default} included). */
  readonly literal: string;
}

const CLIENT_VARIABLES = new Set(['workspaceFolder', 'workspaceFolderBasename', 'userHome', 'pathSeparator', 'cwd', 'file', 'fileDirname']);

export function shapeOf(value: string): ValueShape {
  const kinds: ('input' | 'env' | 'store' | 'other')[] = [];
  const defaults: string[] = [];
  const literal = value.replace(PLACEHOLDER, (m, inner: string | undefined, bare: string | undefined) => {
    if (m.startsWith('${{')) kinds.push('store');
    else if (bare !== undefined) kinds.push('env');
    else if (inner !== undefined) {
      if (inner.startsWith('input:')) kinds.push('input');
      else if (inner.startsWith('env:')) kinds.push('env');
      else if (CLIENT_VARIABLES.has(inner) || (inner.includes(':') && !inner.includes(':-'))) kinds.push('other');
      else {
        kinds.push('env');
        const d = inner.indexOf(':-');
        if (d >= 0) defaults.push(inner.slice(d + 2));
      }
    }
    return ' ';
  });
  return { placeholders: kinds, literal: `${literal} ${defaults.join(' ')}`.trim() };
}

export type SecretStorage = 'hardcoded' | 'env' | 'unknown';

/**
 * For an env value or header value named `name`: undefined when it is not a secret, else where the
 * secret lives. A literal secret is `hardcoded`; a placeholder for an environment variable is `env`;
 * one the client prompts for or keeps in its own store is `unknown`.
 */
export function secretStorage(name: string, value: string): SecretStorage | undefined {
  const shape = shapeOf(value);
  const literal = shape.literal.replace(/^(Bearer|Basic|Token|Bot)\b/i, '').trim();
  const secretName = isSecretName(name);
  if (literal !== '' && looksLikeSecretValue(literal)) return 'hardcoded';
  if (secretName && literal !== '' && !isHarmlessLiteral(literal)) return 'hardcoded';
  if (!secretName && !looksLikeSecretValue(value)) return undefined;
  if (shape.placeholders.includes('env')) return 'env';
  if (shape.placeholders.length > 0) return 'unknown';
  return undefined;
}

/** Values a secret-named variable may hold that are not secrets: flags, numbers, paths, plain URLs. */
function isHarmlessLiteral(v: string): boolean {
  if (/^(true|false|yes|no|on|off|none|null|0|1|-?\d+)$/i.test(v)) return true;
  if (looksLikePath(v)) return true;
  if (/^https?:\/\/[^@\s?]+$/i.test(v)) return true;
  return false;
}

/** Flags whose next argument (or `=value`) is a secret. */
export function isSecretFlag(arg: string): boolean {
  if (!arg.startsWith('-')) return false;
  const name = arg.replace(/^-+/, '').split('=')[0] ?? '';
  return name !== '' && isSecretName(name);
}

export interface Redaction {
  /** The arguments with secret values replaced by REDACTED. */
  readonly args: string[];
  /** Indexes of arguments that held a secret. */
  readonly secretAt: number[];
}

/** Redact secret values in an argument list (`--token X`, `--api-key=X`, `-e KEY=X`, bare tokens). */
export function redactArgs(args: readonly string[]): Redaction {
  const out: string[] = [];
  const secretAt: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const prev = i > 0 ? (args[i - 1] ?? '') : '';
    const eq = a.indexOf('=');
    if (a.startsWith('-') && eq > 0 && isSecretFlag(a.slice(0, eq))) {
      const value = a.slice(eq + 1);
      if (value !== '' && shapeOf(value).literal !== '') {
        out.push(`${a.slice(0, eq + 1)}${REDACTED}`);
        secretAt.push(i);
        continue;
      }
    }
    if (isSecretFlag(prev) && !prev.includes('=') && !a.startsWith('-') && shapeOf(a).literal !== '' && !isHarmlessLiteral(a)) {
      out.push(REDACTED);
      secretAt.push(i);
      continue;
    }
    // KEY=value pairs (docker -e, env-style arguments).
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(a);
    if (kv && secretStorage(kv[1] ?? '', kv[2] ?? '') === 'hardcoded') {
      out.push(`${kv[1] ?? ''}=${REDACTED}`);
      secretAt.push(i);
      continue;
    }
    if (looksLikeSecretValue(a) || URL_WITH_PASSWORD.test(a)) {
      out.push(/^[a-z][a-z0-9+.-]*:\/\//i.test(a) ? redactUrl(a).url : REDACTED);
      secretAt.push(i);
      continue;
    }
    out.push(a);
  }
  return { args: out, secretAt };
}

/** Redact a password in the user-info part and secret-named query parameters of a URL. */
export function redactUrl(url: string): { url: string; secret: boolean } {
  let secret = false;
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/:@\s]*):([^/@\s]+)@/i, (_m, scheme: string, user: string) => {
    secret = true;
    return `${scheme}${user}:${REDACTED}@`;
  });
  out = out.replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (m, sep: string, key: string, value: string) => {
    if (value === '' || shapeOf(value).literal === '') return m;
    if (isSecretName(key) || looksLikeSecretValue(value)) {
      secret = true;
      return `${sep}${key}=${REDACTED}`;
    }
    return m;
  });
  return { url: out, secret };
}

/** The credential type a secret's name suggests. */
export function credentialType(name: string): 'api-key' | 'oauth-token' | 'password' | 'private-key' | 'session-token' {
  const u = name.toUpperCase();
  if (/PASS(WORD|WD|PHRASE)?\b|PWD/.test(u)) return 'password';
  if (/PRIVATE/.test(u)) return 'private-key';
  if (/OAUTH|BEARER|AUTHORIZATION/.test(u)) return 'oauth-token';
  if (/COOKIE|SESSION/.test(u)) return 'session-token';
  return 'api-key';
}
