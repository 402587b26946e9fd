import { isLoopbackHost } from '../rules/urls';

/**
 * Whether `url` names an in-cluster Service (`svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`):
 * reachable only from inside the same cluster. `namespaces` are the platform's namespaces, used
 * to recognise the `svc.ns` short form.
 */
export function isServiceDnsUrl(url: string, namespaces: readonly string[] = []): boolean {
  const host = hostOf(url);
  if (host === undefined) return false;
  if (isLoopbackHost(host) || /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')) return false;
  if (!host.includes('.')) return true;
  if (host.endsWith('.svc') || host.includes('.svc.')) return true;
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
