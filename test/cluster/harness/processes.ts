/*
 * Processes the cluster harness starts: each in its own process group (so a server and
 * anything it forks are stopped together), with output to a log file. A Supervisor stops
 * every process it started: on stop(), on the test process's exit and on SIGINT/SIGTERM/
 * SIGHUP; a watchdog shell kills the groups if the test process dies without cleaning up
 * (SIGKILL, a crashed worker).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/** A process started by a {@link Supervisor}. */
export interface ManagedProcess {
  readonly name: string;
  /** Process id, also the process group id. */
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Whether the process has exited. */
  hasExited(): boolean;
  /** The process's output so far. */
  log(): string;
}

/** Options of {@link Supervisor.start}. */
export interface StartOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly logFile: string;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Starts processes and guarantees they are stopped. */
export class Supervisor {
  private readonly live = new Map<number, ManagedProcess>();
  private readonly pgidFile: string;
  private watchdog: ChildProcess | undefined;
  private readonly onExit: () => void;
  private readonly onSignal: (signal: NodeJS.Signals) => void;

  constructor(private readonly workDir: string) {
    this.onExit = () => this.killAllSync();
    this.onSignal = (signal) => {
      this.killAllSync();
      this.removeHandlers();
      // Default behaviour for the signal, now that our processes are gone.
      process.kill(process.pid, signal);
    };
    this.pgidFile = path.join(workDir, 'process-groups');
    fs.writeFileSync(this.pgidFile, '');
    process.on('exit', this.onExit);
    for (const s of SIGNALS) process.on(s, this.onSignal);
    // The watchdog outlives the test process only long enough to kill what it left behind.
    const removeWorkDir = process.env.TOOLHIVE_CLUSTER_KEEP === '1' ? '' : `; rm -rf '${workDir}'`;
    const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; `
      + `for g in $(cat '${this.pgidFile}' 2>/dev/null); do kill -KILL -- -"$g" 2>/dev/null; done${removeWorkDir}`;
    this.watchdog = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
    this.watchdog.unref();
  }

  /** Starts `command` in a new process group, output appended to `logFile`. */
  start(name: string, command: string, args: readonly string[], options: StartOptions): ManagedProcess {
    const fd = fs.openSync(options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], { cwd: options.cwd ?? this.workDir, env: options.env, detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      fs.closeSync(fd);
    }
    if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
    const pid = child.pid;
    let done = false;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.on('exit', (code, signal) => {
        done = true;
        resolve({ code, signal });
      });
      child.on('error', () => {
        done = true;
        resolve({ code: null, signal: null });
      });
    });
    child.unref();
    const proc: ManagedProcess = {
      name,
      pid,
      logFile: options.logFile,
      exited,
      hasExited: () => done,
      log: () => (fs.existsSync(options.logFile) ? fs.readFileSync(options.logFile, 'utf8') : ''),
    };
    this.live.set(pid, proc);
    this.writePgids();
    return proc;
  }

  /** Stops one process group: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(proc: ManagedProcess, graceMs = 10_000): Promise<void> {
    if (!proc.hasExited()) {
      killGroup(proc.pid, 'SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if (await Promise.race([proc.exited.then(() => 'exited' as const), timer]) === 'timeout') {
        killGroup(proc.pid, 'SIGKILL');
        const hard = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
        if (await Promise.race([proc.exited.then(() => 'exited' as const), hard]) === 'timeout') {
          throw new Error(`${proc.name} (pid ${proc.pid}) did not exit within 5 s of SIGKILL`);
        }
      }
    }
    // Anything the process forked into its group goes too.
    killGroup(proc.pid, 'SIGKILL');
    this.live.delete(proc.pid);
    this.writePgids();
  }

  /** Stops every process, last started first, then the watchdog and the handlers. */
  async stopAll(): Promise<void> {
    const errors: string[] = [];
    for (const proc of [...this.live.values()].reverse()) {
      try {
        await this.stop(proc);
      } catch (e: any) {
        errors.push(e.message);
      }
    }
    this.killAllSync();
    if (this.watchdog?.pid !== undefined) killGroup(this.watchdog.pid, 'SIGKILL');
    this.removeHandlers();
    if (errors.length > 0) throw new Error(errors.join('\n'));
  }

  /**
   * Every TCP socket in LISTEN state held by a process of one of our process groups, as
   * `name address:port` (Linux /proc). Used to check that everything listens on loopback only.
   */
  listeningSockets(): string[] {
    const groups = new Map([...this.live.values()].map((p) => [p.pid, p.name]));
    const inodes = new Map<string, string>();
    for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      let pgid: number;
      try {
        // Field 5 of /proc/<pid>/stat, after the parenthesised command name.
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      } catch {
        continue;
      }
      const name = groups.get(pgid);
      if (name === undefined) continue;
      let fds: string[] = [];
      try {
        fds = fs.readdirSync(`/proc/${entry}/fd`);
      } catch {
        continue;
      }
      for (const fd of fds) {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${entry}/fd/${fd}`));
          if (m) inodes.set(m[1], name);
        } catch {
          // fd closed meanwhile
        }
      }
    }
    const out: string[] = [];
    for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as [string, boolean][]) {
      if (!fs.existsSync(file)) continue;
      for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols.length < 10 || cols[3] !== '0A') continue;
        const name = inodes.get(cols[9]);
        if (name === undefined) continue;
        const [hexAddr, hexPort] = cols[1].split(':');
        out.push(`${name} ${v6 ? ipv6(hexAddr) : ipv4(hexAddr)}:${parseInt(hexPort, 16)}`);
      }
    }
    return out.sort();
  }

  private killAllSync(): void {
    for (const pid of this.live.keys()) killGroup(pid, 'SIGKILL');
    this.live.clear();
    try {
      this.writePgids();
    } catch {
      // the work dir may be gone already
    }
  }

  private removeHandlers(): void {
    process.removeListener('exit', this.onExit);
    for (const s of SIGNALS) process.removeListener(s, this.onSignal);
  }

  private writePgids(): void {
    fs.writeFileSync(this.pgidFile, [...this.live.keys()].join('\n'));
  }
}

/** /proc/net/tcp's little-endian hex IPv4 address. */
function ipv4(hex: string): string {
  return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
}

/** /proc/net/tcp6's hex IPv6 address (four little-endian 32-bit words), e.g. `::1`, `::`. */
function ipv6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (const i of [3, 2, 1, 0]) bytes.push(parseInt(word.slice(i * 2, i * 2 + 2), 16));
  }
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] * 256 + bytes[i + 1]).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (e: any) {
    if (e.code !== 'ESRCH') throw e;
  }
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  // Below Linux's ephemeral range (32768-60999): a port the kernel hands to an outgoing
  // connection (etcd's, the engine's) can no longer collide with one handed out here, which
  // made a kube-apiserver of five started together fail with "address already in use".
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (HANDED_OUT.has(port)) continue;
    if (await canListen(port)) {
      HANDED_OUT.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port between 20000 and 32000');
}

/** Ports this process handed out: never twice. */
const HANDED_OUT = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * Polls `probe` until it returns a value other than `undefined` (or `false`), at most
 * `timeoutMs`; fails with a message naming what was awaited and the last state seen.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = '';
    } catch (e: any) {
      last = e?.message ?? String(e);
    }
    if (Date.now() >= deadline) {
      const extra = options.describe ? `\n${options.describe()}` : '';
      throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last ? ` (last error: ${last})` : ''}${extra}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}

/** The last `n` lines of a text, for error messages. */
export function tail(text: string, n = 30): string {
  return text.split('\n').slice(-n).join('\n');
}
