import { spawnSync } from 'child_process';

/**
 * The one place the core reaches the network: a synchronous HTTP GET run in a child
 * Node process (constructs are built synchronously). Tests replace `fetchText` with
 * `jest.spyOn(_fetch, 'fetchText')` to observe URLs without a network.
 * @internal
 */
export const _fetch = {
  fetchText(url: string): string {
    const script = [
      'fetch(process.argv[1]).then(async (r) => {',
      '  if (!r.ok) { console.error(`HTTP ${r.status} ${r.statusText}`); process.exit(2); }',
      '  process.stdout.write(await r.text());',
      '}).catch((e) => { console.error(String(e && e.cause ? e.cause : e)); process.exit(3); });',
    ].join('\n');
    const res = spawnSync(process.execPath, ['-e', script, url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    if (res.status !== 0) {
      throw new Error(`could not download ${url}: ${(res.stderr || res.error?.message || 'unknown error').trim()}`);
    }
    return res.stdout;
  },
};
