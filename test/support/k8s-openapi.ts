/*
 * The Kubernetes OpenAPI (swagger v2) document of a pinned Kubernetes release, taken from
 * the k8s.io/kubernetes Go module (fetched with `go mod download`) into the git-ignored cache.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CACHE_DIR } from './paths';

/** Kubernetes release whose API schema the tests validate against. */
export const KUBERNETES_VERSION = 'v1.35.8';

/** Path of the cached swagger.json, fetching it when missing. */
export function ensureKubernetesOpenApi(): string {
  const file = path.join(CACHE_DIR, 'k8s-openapi', KUBERNETES_VERSION, 'swagger.json');
  if (fs.existsSync(file)) return file;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-openapi-'));
  try {
    let out: string;
    try {
      out = execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${KUBERNETES_VERSION}`], {
        cwd: work,
        encoding: 'utf8',
        env: { ...process.env, GO111MODULE: 'on', GOFLAGS: '-mod=mod' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 600_000,
      });
    } catch (e: any) {
      throw new Error(`Could not fetch the Kubernetes ${KUBERNETES_VERSION} API schema with 'go mod download' (Go 1.26+ is a test prerequisite): ${e.stderr || e.message}`);
    }
    const dir = JSON.parse(out).Dir as string;
    const source = path.join(dir, 'api', 'openapi-spec', 'swagger.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(source, `${file}.tmp`);
    fs.renameSync(`${file}.tmp`, file);
    return file;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
