/*
 * A git repository served on loopback over HTTPS (the test CA's certificate), through git's
 * own smart-HTTP server (`git http-backend`, as a CGI program), so the Registry Server clones
 * it the way it clones a catalog on a git host. The tests commit to it with the git CLI.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as path from 'path';
import { TestCertificates } from './tls';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'toolhive-constructs tests',
  GIT_AUTHOR_EMAIL: 'tests@example.com',
  GIT_COMMITTER_NAME: 'toolhive-constructs tests',
  GIT_COMMITTER_EMAIL: 'tests@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...GIT_ENV } });
}

/** A served repository: a bare repository under the server's root and a work tree that pushes to it. */
export class GitServer {
  static async start(root: string, certs: TestCertificates): Promise<GitServer> {
    fs.mkdirSync(root, { recursive: true });
    const server = new GitServer(root);
    const tls = { cert: fs.readFileSync(certs.certFile), key: fs.readFileSync(certs.keyFile) };
    server.https = https.createServer(tls, (req, res) => server.handle(req, res));
    await new Promise<void>((resolve) => server.https!.listen(0, '127.0.0.1', resolve));
    server.url = `https://127.0.0.1:${(server.https.address() as AddressInfo).port}`;
    return server;
  }

  /** `https://127.0.0.1:<port>`. */
  url = '';
  private https?: https.Server;

  private constructor(readonly root: string) {}

  /** A new repository at `repoPath` (e.g. `platform/mcp-catalog.git`) with branch `branch`; returns its work tree. */
  createRepository(repoPath: string, branch: string): string {
    const bare = path.join(this.root, 'repos', repoPath);
    fs.mkdirSync(bare, { recursive: true });
    git(['init', '--bare', '--initial-branch', branch, '.'], bare);
    const work = path.join(this.root, 'work', repoPath);
    fs.mkdirSync(work, { recursive: true });
    git(['init', '--initial-branch', branch, '.'], work);
    git(['remote', 'add', 'origin', bare], work);
    return work;
  }

  /** Writes `files` in the work tree, commits them and pushes the branch. */
  commit(work: string, branch: string, message: string, files: Record<string, string>): string {
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      fs.writeFileSync(path.join(work, file), text);
    }
    git(['add', '-A'], work);
    git(['commit', '-q', '-m', message], work);
    git(['push', '-q', 'origin', branch], work);
    return git(['rev-parse', 'HEAD'], work).trim();
  }

  /** The URL of a repository created with {@link createRepository}. */
  repositoryUrl(repoPath: string): string {
    return `${this.url}/${repoPath}`;
  }

  private handle(req: import('http').IncomingMessage, res: import('http').ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...GIT_ENV,
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GIT_PROJECT_ROOT: path.join(this.root, 'repos'),
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        CONTENT_LENGTH: req.headers['content-length'] ?? '',
        HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    // The CGI response: headers, a blank line, the body.
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
      if (end < 0) return;
      const sepLength = head.indexOf('\r\n\r\n') === end ? 4 : 2;
      const headers = head.subarray(0, end).toString('utf8').split(/\r?\n/);
      let status = 200;
      for (const line of headers) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const [name, value] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.statusCode = status;
      headersDone = true;
      res.write(head.subarray(end + sepLength));
    });
    cgi.on('close', () => res.end());
  }

  async stop(): Promise<void> {
    this.https?.closeAllConnections();
    await new Promise<void>((resolve) => (this.https ? this.https.close(() => resolve()) : resolve()));
  }
}
