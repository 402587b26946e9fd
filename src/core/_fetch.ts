import { spawnSync } from 'child_process';

/**
 * The downloader, run in a child Node process: a GET of `process.argv[1]`, through the proxy the
 * standard variables name (`HTTPS_PROXY`/`https_proxy` for https URLs, `HTTP_PROXY`/`http_proxy`
 * for http URLs, both skipped for hosts `NO_PROXY`/`no_proxy` lists), as curl and Go read them.
 * Node's own `fetch` ignores them. An https URL goes through a CONNECT tunnel, so the proxy never
 * sees the content; the proxy's user info becomes a Proxy-Authorization header.
 */
const DOWNLOADER = String.raw`
const http = require('http'), https = require('https'), tls = require('tls');
const url = new URL(process.argv[1]);
const env = process.env;
const fail = (code, message) => { process.stderr.write(message); process.exit(code); };
const pick = (...names) => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
const port = url.port || (url.protocol === 'https:' ? '443' : '80');
const bypassed = (pick('NO_PROXY', 'no_proxy') || '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean).some((e) => {
  if (e === '*') return true;
  const [name, p] = e.replace(/^\[|\]$/g, '').split(/:(?=\d+$)/);
  const bare = name.replace(/^\*?\./, '');
  return (!p || p === port) && (host === bare || host.endsWith('.' + bare));
});
const proxyText = bypassed ? undefined : url.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy') : pick('HTTP_PROXY', 'http_proxy');
let proxy;
if (proxyText) {
  try { proxy = new URL(proxyText.includes('://') ? proxyText : 'http://' + proxyText); } catch { fail(3, 'the proxy ' + JSON.stringify(proxyText) + ' is not a URL'); }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') fail(3, 'the proxy ' + proxy.href + ' is not an http(s) proxy');
}
const via = proxy ? ' (through the proxy ' + proxy.protocol + '//' + proxy.host + ')' : '';
const auth = proxy && proxy.username ? { 'proxy-authorization': 'Basic ' + Buffer.from(decodeURIComponent(proxy.username) + ':' + decodeURIComponent(proxy.password)).toString('base64') } : {};
const read = (res) => {
  if (res.statusCode !== 200) fail(2, 'HTTP ' + res.statusCode + ' ' + (res.statusMessage || '') + via);
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  // Exit once written: a tunnel's socket would otherwise keep the process alive.
  res.on('end', () => process.stdout.write(Buffer.concat(chunks), () => process.exit(0)));
  res.on('error', (e) => fail(3, String(e) + via));
};
const onError = (e) => fail(3, String(e && e.cause ? e.cause : e) + via);
if (!proxy) {
  fetch(url).then(async (r) => {
    if (!r.ok) fail(2, 'HTTP ' + r.status + ' ' + r.statusText);
    process.stdout.write(Buffer.from(await r.arrayBuffer()));
  }).catch(onError);
} else if (url.protocol === 'http:') {
  const lib = proxy.protocol === 'https:' ? https : http;
  lib.get({ host: proxy.hostname, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80), path: url.href, headers: { host: url.host, ...auth } }, read).on('error', onError);
} else {
  const lib = proxy.protocol === 'https:' ? https : http;
  const target = (host.includes(':') ? '[' + host + ']' : host) + ':' + port;
  lib.request({ host: proxy.hostname, port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80), method: 'CONNECT', path: target, headers: { host: target, ...auth } })
    .on('connect', (res, socket) => {
      if (res.statusCode !== 200) fail(2, 'the proxy ' + proxy.protocol + '//' + proxy.host + ' refused the tunnel: HTTP ' + res.statusCode + ' ' + (res.statusMessage || ''));
      https.get(url, { agent: false, createConnection: () => tls.connect({ socket, servername: host }) }, read).on('error', onError);
    })
    .on('error', onError)
    .end();
}
`;

/**
 * The one place the core reaches the network: a synchronous HTTP GET run in a child
 * Node process (constructs are built synchronously), through the proxy the standard
 * environment variables name. Tests replace `fetchText` with
 * `jest.spyOn(_fetch, 'fetchText')` to observe URLs without a network.
 * @internal
 */
export const _fetch = {
  fetchText(url: string): string {
    const res = spawnSync(process.execPath, ['-e', DOWNLOADER, url], { env: process.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    if (res.status !== 0) {
      throw new Error(`could not download ${url}: ${(res.stderr || res.error?.message || 'unknown error').trim()}`);
    }
    return res.stdout;
  },
};
