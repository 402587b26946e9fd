/**
 * Whether `url` names an in-cluster Service (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`):
 * reachable only from inside the same cluster. `namespaces` are the platform's namespaces, used
 * to recognise the `svc.ns` short form.
 */
export function isServiceDnsUrl(url: string, namespaces: readonly string[] = []): boolean {
  const host = hostOf(url);
  if (host === undefined) return false;
  if (host === 'localhost' || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')) return false;
  if (!host.includes('.')) return true;
  if (host.endsWith('.svc') || host.includes('.svc.')) return true;
  const parts = host.split('.');
  return parts.length === 2 && namespaces.includes(parts[1]);
}

/** The host of an absolute URL, lower-cased, or undefined when it is not one. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Whether `url` is an absolute http(s) base URL (no path, query or fragment beyond `/`). */
export function isBaseUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash;
  } catch {
    return false;
  }
}

/** `base` without a trailing slash. */
export function trimSlash(base: string): string {
  return base.replace(/\/+$/, '');
}
