/*
 * Secrets: what looks like one (by name, by value), and references to Secrets. Anything the
 * library renders into a ConfigMap or a plain env value is checked here, whatever the key is called.
 */
import { describe } from './describe';
import { secretKeyProblem, secretNameProblem } from './names';

/** Names of variables and settings that hold secrets. */
const SECRET_NAME = /(PASSW(OR)?D|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY|CLIENT_?SECRET|DATABASE_URL|DSN|(^|_)PAT($|_)|(^|_)PWD($|_)|SESSION_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY)/i;

/** Whether a variable or setting named `name` would hold a secret. */
export function looksLikeSecretName(name: unknown): boolean {
  return typeof name === 'string' && SECRET_NAME.test(name.replace(/[-.]/g, '_'));
}

/** Well-known formats of credentials. */
const SECRET_VALUES: readonly [RegExp, string][] = [
  [/\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/, 'a GitHub token'],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub fine-grained token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\bsk-[A-Za-z0-9_-]{20,}/, 'an API secret key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/, 'a JSON Web Token'],
  [/-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, 'a PEM private key'],
];

/**
 * What secret `value` looks like (`"a GitHub token"`, `"a URL with a password"`, ...), or
 * undefined. Used on everything rendered in plain text: ConfigMaps, plain env values.
 */
export function secretLookingValue(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length < 8) return undefined;
  for (const [re, what] of SECRET_VALUES) if (re.test(value)) return what;
  if (urlCredentials(value)) return 'a URL with credentials (user info)';
  return undefined;
}

/**
 * Whether a URL-looking string carries credentials: the one rule for every URL the library
 * takes (repositories, registries, endpoints, mirrors). Any user info in a URL counts (a token
 * is often the user: `https://x-access-token@host/...`), except a plain user name in ssh's
 * forms (`ssh://git@host/...`, scp-like `git@host:org/repo`), where ssh authenticates with a
 * key; there a password or a secret-looking user counts.
 */
export function urlCredentials(text: string): boolean {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#@\s]+)@/.exec(text);
  if (m) return /^(ssh|git\+ssh)$/i.test(m[1]) ? sshUserIsCredential(m[2]) : true;
  const scp = /^([^/@\s]+)@[^/:\s]+:/.exec(text);
  return scp ? sshUserIsCredential(scp[1]) : false;
}

function sshUserIsCredential(userInfo: string): boolean {
  return userInfo.includes(':') || secretLookingValue(userInfo) !== undefined;
}

/** Every secret-looking string below `value` (maps and lists walked), with its relative path. */
export function secretLookingValues(value: unknown, path = ''): { path: string; what: string }[] {
  const out: { path: string; what: string }[] = [];
  const walk = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      const what = secretLookingValue(v);
      if (what) out.push({ path: at, what });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}[${i}]`));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
    }
  };
  walk(value, path);
  return out;
}

/**
 * A reference to one key of a Secret.
 * @see https://kubernetes.io/docs/concepts/configuration/secret/
 */
export interface SecretRef {
  /** The Secret's name (a DNS subdomain name), in the namespace of the workload that reads it. */
  readonly name: string;
  /**
   * The key in the Secret's `data`.
   * @default - none: required where the reader needs one key (`secretRefProblems(ref, true)`)
   */
  readonly key?: string;
}

/** Every problem of a Secret reference, by field (`name`, `key`, or `` for the reference itself). */
export function secretRefProblems(ref: unknown, keyRequired = false): { field: string; problem: string }[] {
  if (typeof ref !== 'object' || ref === null || Array.isArray(ref)) {
    return [{ field: '', problem: `expected a Secret reference { name, key }, got ${describe(ref)}` }];
  }
  const r = ref as Record<string, unknown>;
  const out: { field: string; problem: string }[] = [];
  const nameProblem = secretNameProblem(r.name);
  if (nameProblem) out.push({ field: 'name', problem: r.name === undefined ? 'required: the Secret\'s name' : nameProblem });
  if (r.key !== undefined || keyRequired) {
    const keyProblem = secretKeyProblem(r.key);
    if (keyProblem) out.push({ field: 'key', problem: r.key === undefined ? 'required: the key in the Secret' : keyProblem });
  }
  for (const k of Object.keys(r)) {
    if (k !== 'name' && k !== 'key') out.push({ field: k, problem: 'unknown key; a Secret reference has name and key' });
  }
  return out;
}
