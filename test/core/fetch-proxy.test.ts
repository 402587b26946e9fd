/*
 * The CRD downloader honours the standard proxy variables, as curl and Go do (Node's own fetch
 * does not): HTTPS_PROXY through a CONNECT tunnel, HTTP_PROXY with absolute-form requests, the
 * proxy's user info as Proxy-Authorization, NO_PROXY to go direct. Run against a real proxy and
 * real origins (an HTTPS one with a test CA) in a separate process, since the downloader blocks.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { _fetch } from '../../src/core/_fetch';

/** The origins and the proxy: every host resolves to 127.0.0.1 at the proxy; the proxy logs what it is asked. */
const SERVERS = String.raw`
const http = require('http'), https = require('https'), net = require('net'), fs = require('fs');
const [key, cert] = process.argv.slice(1);
const log = [];
const origin = (scheme) => (req, res) => {
  if (req.url === '/log') { res.end(JSON.stringify(log)); return; }
  res.end(scheme + ' ' + req.url);
};
const secure = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, origin('https'));
const plain = http.createServer(origin('http'));
const proxy = http.createServer((req, res) => {
  log.push(req.method + ' ' + req.url + ' ' + (req.headers['proxy-authorization'] || '-'));
  const u = new URL(req.url);
  http.get({ host: '127.0.0.1', port: u.port, path: u.pathname, headers: { host: u.host } }, (r) => { res.writeHead(r.statusCode); r.pipe(res); });
});
proxy.on('connect', (req, socket) => {
  log.push('CONNECT ' + req.url + ' ' + (req.headers['proxy-authorization'] || '-'));
  const port = Number(req.url.split(':').pop());
  if (port === 1) { socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'); return; }
  const up = net.connect(port, '127.0.0.1', () => { socket.write('HTTP/1.1 200 Connection Established\r\n\r\n'); up.pipe(socket); socket.pipe(up); });
  up.on('error', () => socket.destroy());
});
let ready = 0;
const ports = {};
for (const [name, server] of Object.entries({ secure, plain, proxy })) {
  server.listen(0, '127.0.0.1', () => { ports[name] = server.address().port; if (++ready === 3) console.log(JSON.stringify(ports)); });
}
`;

let servers: ChildProcess;
let ports: { secure: number; plain: number; proxy: number };
let ca: string;
const saved = { ...process.env };

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fetch-proxy-'));
  ca = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', ca, '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  servers = spawn(process.execPath, ['-e', SERVERS, key, ca], { stdio: ['ignore', 'pipe', 'inherit'] });
  ports = await new Promise((resolve) => servers.stdout!.once('data', (d) => resolve(JSON.parse(String(d)))));
});
afterAll(() => {
  servers?.kill();
});
beforeEach(() => {
  for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy']) delete process.env[k];
  process.env.NODE_EXTRA_CA_CERTS = ca;
});
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
});

/** What the proxy was asked so far. */
function proxyLog(): string[] {
  delete process.env.HTTP_PROXY;
  return JSON.parse(_fetch.fetchText(`http://127.0.0.1:${ports.plain}/log`));
}
const failure = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a failure');
};

test('HTTPS_PROXY: an https URL goes through a CONNECT tunnel, the certificate checked against the origin\'s name', () => {
  const before = proxyLog().length;
  process.env.HTTPS_PROXY = `http://127.0.0.1:${ports.proxy}`;
  expect(_fetch.fetchText(`https://localhost:${ports.secure}/crds/a.yaml`)).toBe('https /crds/a.yaml');
  expect(proxyLog().slice(before)).toEqual([`CONNECT localhost:${ports.secure} -`]);
  // The tunnel does not weaken TLS: a name the certificate does not carry is refused.
  process.env.HTTPS_PROXY = `http://127.0.0.1:${ports.proxy}`;
  expect(failure(() => _fetch.fetchText(`https://127.0.0.1:${ports.secure}/crds/a.yaml`))).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames|IP: 127\.0\.0\.1 is not in the cert's list/);
});

test('https_proxy (lower case) with user info: Proxy-Authorization sent, the password never in the error', () => {
  const before = proxyLog().length;
  process.env.https_proxy = `http://robot:s3cr%40t@127.0.0.1:${ports.proxy}`;
  expect(_fetch.fetchText(`https://localhost:${ports.secure}/b`)).toBe('https /b');
  expect(proxyLog().slice(before)).toEqual([`CONNECT localhost:${ports.secure} Basic ${Buffer.from('robot:s3cr@t').toString('base64')}`]);
  const refused = failure(() => _fetch.fetchText('https://localhost:1/c'));
  expect(refused).toContain(`the proxy http://127.0.0.1:${ports.proxy} refused the tunnel: HTTP 403`);
  expect(refused).not.toContain('s3cr');
});

test('HTTP_PROXY: an http URL is asked of the proxy in absolute form (the proxy resolves the host)', () => {
  const before = proxyLog().length;
  process.env.HTTP_PROXY = `127.0.0.1:${ports.proxy}`; // no scheme: http, as curl reads it
  expect(_fetch.fetchText(`http://origin.invalid:${ports.plain}/d`)).toBe('http /d');
  expect(proxyLog().slice(before)).toEqual([`GET http://origin.invalid:${ports.plain}/d -`]);
});

test('NO_PROXY: listed hosts (a domain suffix, a host:port, *) go direct', () => {
  process.env.HTTPS_PROXY = `http://127.0.0.1:${ports.proxy}`;
  for (const noProxy of ['localhost', '.localhost', `localhost:${ports.secure}`, '*', 'example.com, localhost']) {
    const before = proxyLog().length;
    process.env.HTTPS_PROXY = `http://127.0.0.1:${ports.proxy}`;
    process.env.NO_PROXY = noProxy;
    expect([noProxy, _fetch.fetchText(`https://localhost:${ports.secure}/e`)]).toEqual([noProxy, 'https /e']);
    expect([noProxy, proxyLog().slice(before)]).toEqual([noProxy, []]);
  }
  // Another port of a listed host:port, or another host, still goes through the proxy.
  process.env.NO_PROXY = 'localhost:1,example.com';
  const before = proxyLog().length;
  process.env.HTTPS_PROXY = `http://127.0.0.1:${ports.proxy}`;
  expect(_fetch.fetchText(`https://localhost:${ports.secure}/f`)).toBe('https /f');
  expect(proxyLog().slice(before)).toEqual([`CONNECT localhost:${ports.secure} -`]);
});

test('a proxy that is not a URL, or not http(s), is a clear error', () => {
  process.env.HTTPS_PROXY = 'socks5://127.0.0.1:1080';
  expect(failure(() => _fetch.fetchText(`https://localhost:${ports.secure}/g`))).toBe(`could not download https://localhost:${ports.secure}/g: the proxy socks5://127.0.0.1:1080 is not an http(s) proxy`);
});
