/*
 * URLs: absolute http(s) URLs, base URLs, embedded credentials, plain HTTP only for loopback.
 */
import { describe } from './describe';
import { urlCredentials } from './secrets';

/** Options of {@link httpUrlProblem}. */
export interface HttpUrlRule {
  /**
   * Only a base URL: no path beyond `/`, no query, no fragment.
   * @default false
   */
  readonly base?: boolean;
  /**
   * Plain `http://` allowed: `true` anywhere, `"loopback"` only for localhost, 127.0.0.1 and ::1.
   * @default false (https only, anywhere)
   */
  readonly http?: boolean | 'loopback';
  /**
   * What the URL is, for the message.
   * @default - `a base URL like "https://registry.example.com"` when `base`, else `an absolute http(s) URL`
   */
  readonly what?: string;
}

/** The hosts the Registry Server (and the library) treat as loopback. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1';
}

/** Why `url` is not an absolute http(s) URL of the kind `rule` asks for. Credentials in a URL are always refused. */
export function httpUrlProblem(url: unknown, rule: HttpUrlRule = {}): string | undefined {
  const what = rule.what ?? (rule.base ? 'a base URL like "https://registry.example.com"' : 'an absolute http(s) URL');
  if (typeof url !== 'string') return `expected ${what}, got ${describe(url)}`;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${JSON.stringify(url)} is not ${what}`;
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || !u.hostname) return `${JSON.stringify(url)} is not ${what}`;
  if (u.username || u.password || urlCredentials(url)) {
    return 'has credentials in the URL (user info): they would be rendered in plain text; pass them by Secret reference';
  }
  if (rule.base && ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash)) return `${JSON.stringify(url)} is not ${what}`;
  if (u.protocol === 'http:' && rule.http !== true) {
    if (rule.http !== 'loopback') return `${JSON.stringify(url)} uses plain http; use https`;
    if (!isLoopbackHost(u.hostname)) return `${JSON.stringify(url)} uses plain http, which is only allowed for localhost, 127.0.0.1 or [::1]; use https`;
  }
  return undefined;
}

/**
 * Whether `url` names an in-cluster Service (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.<domain>`,
 * anything under `cluster.local`):
 * reachable only from inside the same cluster. `namespaces` are the platform's namespaces, used
 * to recognise the `svc.ns` short form.
 */
export function isServiceDnsUrl(url: string, namespaces: readonly string[] = []): boolean {
  const host = hostOf(url)?.replace(/\.$/, ''); // a fully qualified name may end in a dot
  if (host === undefined) return false;
  if (isLoopbackHost(host) || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')) return false;
  if (!host.includes('.')) return true;
  if (host.endsWith('.svc') || host.includes('.svc.') || host.endsWith('.cluster.local')) return true;
  const parts = host.split('.');
  return parts.length === 2 && namespaces.includes(parts[1]);
}

/** The host of an absolute URL, lower-cased, or undefined when it is not one. */
export function hostOf(url: unknown): string | undefined {
  return parsed(url)?.hostname.toLowerCase();
}

/** `host:port` of an absolute URL, lower-cased (two servers may share a host on different ports), or undefined when it is not one. */
export function hostAndPortOf(url: unknown): string | undefined {
  return parsed(url)?.host.toLowerCase();
}

function parsed(url: unknown): URL | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** `base` without a trailing slash. */
export function trimSlash(base: string): string {
  return base.replace(/\/+$/, '');
}
