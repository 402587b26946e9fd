/*
 * The library's own rules on a Registry Server config, beyond what the server checks: the
 * config is rendered into a ConfigMap, so nothing in it may be a secret; and no public path may
 * open the API (internal/auth/config.go IsPublicPath, internal/api/server.go NewServer).
 * They apply wherever a config is written: the options, the chart values, validateRegistryConfig.
 */
import { IssueCollector } from '../errors';
import { secretLookingValue, secretLookingValues, urlCredentials } from '../rules/secrets';
import { isPlainObject } from '../util';

type Rec = Record<string, any>;

const at = (path: string, rest: string) => (path ? `${path}.${rest}` : rest);

/**
 * Records every secret inlined in `config`, every git repository URL with credentials, and every
 * public path that opens the API, under `path`.
 * @internal
 */
export function checkRegistryConfigSafety(config: unknown, path: string, issues: IssueCollector): void {
  if (!isPlainObject(config)) return;
  const repositories = checkGitRepositories(config.sources, at(path, 'sources'), issues);
  if (isPlainObject(config.auth) && Array.isArray(config.auth.publicPaths)) {
    config.auth.publicPaths.forEach((p: unknown, i: number) => {
      const problem = typeof p === 'string' ? publicPathProblem(p) : undefined;
      if (problem) issues.add(at(path, `auth.publicPaths[${i}]`), problem);
    });
  }
  checkInlinedSecrets(config, path, issues, repositories);
}

/**
 * Secret-looking values (tokens, keys, JWTs, URLs with user info) anywhere in the config; a
 * value already refused at its path (a URL rule says the same) is not reported twice.
 */
function checkInlinedSecrets(config: Rec, path: string, issues: IssueCollector, skip: ReadonlySet<string>): void {
  const reported = new Set(issues.issues.map((i) => i.path));
  for (const found of secretLookingValues(config, path)) {
    if (skip.has(found.path) || reported.has(found.path)) continue;
    issues.add(found.path, `looks like ${found.what}: the config is rendered into a ConfigMap, readable in plain text; keep the secret in a Secret and mount it as a file the config points at`);
  }
}

/** Checks each git source's repository URL; returns their paths (checked here, not again as plain values). */
function checkGitRepositories(sources: unknown, path: string, issues: IssueCollector): Set<string> {
  const paths = new Set<string>();
  if (!Array.isArray(sources)) return paths;
  sources.forEach((s, i) => {
    const repository = isPlainObject(s) && isPlainObject(s.git) ? s.git.repository : undefined;
    if (typeof repository !== 'string') return;
    const p = `${path}[${i}].git.repository`;
    paths.add(p);
    if (urlCredentials(repository)) {
      issues.add(p, 'has credentials in the repository URL, and the config is rendered into a ConfigMap (plain text): use git.auth '
        + '{ username, passwordFile } instead, passwordFile the absolute path of the token mounted from a Secret (extraVolumes and '
        + 'extraVolumeMounts in the chart values): the server reads the password from that file and sends it as HTTP basic auth');
    } else {
      const what = secretLookingValue(repository);
      if (what && !/URL with credentials/.test(what)) issues.add(p, `contains ${what}: keep it in a Secret (git.auth.passwordFile)`);
    }
  });
  return paths;
}

/** Go's path.Clean of an absolute path. */
function cleanPath(p: string): string {
  const out: string[] = [];
  for (const segment of p.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

const ANONYMOUS = 'if every caller may read and write, say so with auth.mode "anonymous"';

/**
 * Why a public path (one that skips authentication) is refused. The server matches public
 * paths after path.Clean, by whole segments, literally, and "/" matches every path
 * (internal/auth/config.go IsPublicPath). Its routes: /registry/{name}/v0.1/... (the MCP
 * Registry API of each registry) and /v1/... (the admin API: sources, registries, entries),
 * besides /openapi.json and /.well-known (internal/api/server.go NewServer).
 */
export function publicPathProblem(p: string): string | undefined {
  if (p === '') return 'an empty public path: the server reads it as "/.", which matches nothing; remove it';
  if (!p.startsWith('/')) return `${JSON.stringify(p)} must start with "/"`;
  if (/[*?[\]]/.test(p)) {
    return `${JSON.stringify(p)} is not a pattern: the server matches public paths literally, by whole path segments (no wildcards); name the path prefix, e.g. "/registry/public"; ${ANONYMOUS}`;
  }
  const clean = cleanPath(p);
  if (clean === '/') return `${JSON.stringify(p)} makes the whole API public (the server treats "/" as matching every path), switching authentication off; ${ANONYMOUS}`;
  if (clean === '/registry') {
    return `${JSON.stringify(p)} makes the MCP Registry API of every registry public, claims or not; to publish one registry, name it: "/registry/<name>"`;
  }
  if (clean === '/v1') return `${JSON.stringify(p)} makes the whole admin API public (sources, registries, entries: create, update, delete, publish); ${ANONYMOUS}`;
  const admin = /^\/v1\/(sources|registries|entries)(\/|$)/.exec(clean);
  if (admin) {
    return `${JSON.stringify(p)} opens admin routes under /v1/${admin[1]} (create, update or delete ${admin[1]}) to unauthenticated callers; admin routes always need a token`;
  }
  return undefined;
}
