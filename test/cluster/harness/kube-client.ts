/*
 * A small Kubernetes API client over Node's https module (trusting the API server's CA,
 * authenticating with a bearer token): discovery, server-side apply, get, list, create
 * and delete. Enough for the cluster tests, nothing more.
 */
import * as https from 'https';
import { KubeObject } from '../../../src';

/** An API error: the HTTP status and the API server's Status message. */
export class KubeError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
    this.name = 'KubeError';
  }
}

/** What discovery says about one kind. */
export interface ResourceInfo {
  /** Plural resource name, e.g. `deployments`. */
  readonly plural: string;
  readonly namespaced: boolean;
}

/** Options of a request. */
export interface RequestOptions {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly query?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
}

/** Options of {@link KubeClient.apply}. */
export interface ApplyOptions {
  /** `dryRun=All`: validate and admit, persist nothing. */
  readonly dryRun?: boolean;
  /** Field manager. @default "toolhive-constructs" */
  readonly fieldManager?: string;
}

/** The field manager our server-side applies use. */
export const FIELD_MANAGER = 'toolhive-constructs';

/** Kubernetes API client for one identity. */
export class KubeClient {
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();
  private readonly agent: https.Agent;

  constructor(readonly server: string, private readonly ca: string, private readonly token: string) {
    this.agent = new https.Agent({ ca: this.ca, keepAlive: true, maxSockets: 8 });
  }

  /** A client for the same server with another token. */
  withToken(token: string): KubeClient {
    return new KubeClient(this.server, this.ca, token);
  }

  /** Closes pooled connections. */
  close(): void {
    this.agent.destroy();
  }

  /** One request; resolves with the parsed body, rejects with a {@link KubeError} on status ≥ 400. */
  request(method: string, path: string, options: RequestOptions = {}): Promise<any> {
    const url = new URL(path, this.server);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const payload = options.body === undefined ? undefined : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    return new Promise((resolve, reject) => {
      const req = https.request(url, {
        method,
        agent: this.agent,
        headers: {
          Authorization: `Bearer ${this.token}`,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': payload.length } : {}),
        },
        timeout: options.timeoutMs ?? 30_000,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (health endpoints)
          }
          const status = res.statusCode ?? 0;
          if (status >= 400) {
            const message = typeof body === 'object' && body?.message ? body.message : text;
            reject(new KubeError(status, body?.reason ?? '', `${method} ${url.pathname}: ${status} ${message}`));
          } else {
            resolve(body);
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer within ${(options.timeoutMs ?? 30_000) / 1000} s`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Discovery for one kind; fails when the API server does not serve it (yet). */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let list = this.discovery.get(apiVersion);
    if (!list) {
      list = this.loadDiscovery(apiVersion);
      this.discovery.set(apiVersion, list);
      list.catch(() => this.discovery.delete(apiVersion));
    }
    const info = (await list).get(kind);
    if (!info) {
      this.discovery.delete(apiVersion);
      throw new Error(`the API server does not serve ${kind} in ${apiVersion}`);
    }
    return info;
  }

  private async loadDiscovery(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    const body = await this.request('GET', apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`);
    const map = new Map<string, ResourceInfo>();
    for (const r of body.resources ?? []) {
      if (!r.name.includes('/')) map.set(r.kind, { plural: r.name, namespaced: r.namespaced });
    }
    return map;
  }

  /** The URL path of a kind's collection (in `namespace`, or across all namespaces when undefined). */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const info = await this.resource(apiVersion, kind);
    const base = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
    if (info.namespaced && namespace) return `${base}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`;
    if (!info.namespaced && namespace) throw new Error(`${kind} is cluster-scoped, but a namespace (${namespace}) was given`);
    return `${base}/${info.plural}`;
  }

  /** The URL path of one object. */
  async objectPath(apiVersion: string, kind: string, name: string, namespace?: string): Promise<string> {
    const info = await this.resource(apiVersion, kind);
    if (info.namespaced && !namespace) throw new Error(`${kind} ${name} is namespaced but has no namespace`);
    return `${await this.collectionPath(apiVersion, kind, info.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
  }

  /** Server-side apply of one object (force: we own what we apply). */
  async apply(obj: KubeObject, options: ApplyOptions = {}): Promise<any> {
    const path = await this.objectPath(obj.apiVersion, obj.kind, obj.metadata.name, obj.metadata.namespace);
    return this.request('PATCH', path, {
      body: obj,
      // JSON is YAML: the apply patch content type takes either.
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: options.fieldManager ?? FIELD_MANAGER, force: 'true', dryRun: options.dryRun ? 'All' : undefined },
    });
  }

  /** Creates an object (POST). */
  async create(obj: KubeObject, query: Record<string, string> = {}): Promise<any> {
    const path = await this.collectionPath(obj.apiVersion, obj.kind, obj.metadata.namespace);
    return this.request('POST', path, { body: obj, query });
  }

  /** One object, or undefined when it does not exist. */
  async get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<any | undefined> {
    try {
      return await this.request('GET', await this.objectPath(apiVersion, kind, name, namespace));
    } catch (e) {
      if (e instanceof KubeError && e.status === 404) return undefined;
      throw e;
    }
  }

  /** Objects of a kind (in `namespace`, or everywhere), optionally by label selector. */
  async list(apiVersion: string, kind: string, options: { namespace?: string; labelSelector?: string } = {}): Promise<any[]> {
    const body = await this.request('GET', await this.collectionPath(apiVersion, kind, options.namespace), {
      query: { labelSelector: options.labelSelector },
    });
    return (body.items ?? []).map((item: any) => ({ apiVersion, kind, ...item }));
  }

  /** Deletes an object; true when it existed. */
  async delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean> {
    try {
      await this.request('DELETE', await this.objectPath(apiVersion, kind, name, namespace));
      return true;
    } catch (e) {
      if (e instanceof KubeError && e.status === 404) return false;
      throw e;
    }
  }
}

/** `group/Kind/namespace/name`: identifies an object across API versions of its group. */
export function refOf(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : 'core';
  return `${group}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/** Paths where two JSON values differ (at most `limit`). */
export function diffPaths(a: unknown, b: unknown, limit = 20, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (v: unknown) => typeof v === 'object' && v !== null;
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) {
    return [`${at || '/'}: ${JSON.stringify(a)?.slice(0, 200)} → ${JSON.stringify(b)?.slice(0, 200)}`];
  }
  const out: string[] = [];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    out.push(...diffPaths((a as any)[k], (b as any)[k], limit - out.length, `${at}/${k}`));
    if (out.length >= limit) break;
  }
  return out;
}
