// Start and stop servers for tests: Sluice (as a child process, the way users run it) and real
// redis-server for differential tests. Every server gets a free loopback port and a fresh temp dir,
// and is stopped by the test that started it.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root (tests run from dist/test/...). */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const SERVER_MAIN = join(ROOT, 'dist', 'server', 'main.js');

export interface RunningServer {
  readonly port: number;
  readonly dir: string;
  readonly process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Stop the process (SIGTERM, then SIGKILL after a grace period) and remove its temp dir. */
  stop(): Promise<void>;
  /** kill -9 without cleanup of the data dir (crash tests). */
  kill(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

export function tempDir(prefix = 'sluice-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Whether a real redis-server is installed (differential tests are skipped without it). */
export function hasRedis(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

/** Whether the real redis-cli / redis-benchmark binaries are installed. */
export function hasBinary(name: string): boolean {
  return spawnSync(name, ['--version']).status === 0;
}

export const SKIP_NO_REDIS = 'redis-server is not installed (apt-get install -y redis-server redis-tools); differential test skipped';

/** Start Sluice with extra directives, e.g. ['--requirepass', 'x']. */
export async function startSluice(
  args: string[] = [],
  options: { dir?: string; configFile?: string; port?: number } = {},
): Promise<RunningServer> {
  const dir = options.dir ?? tempDir();
  const file = options.configFile === undefined ? [] : [options.configFile];
  // A fixed port: a server restarted where its clients (or replicas) expect it.
  return launch(options.port, dir, (port) =>
    spawn(process.execPath, [SERVER_MAIN, ...file, '--port', String(port), '--dir', dir, '--loglevel', 'warning', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/** Start a real redis-server with no persistence. */
export async function startRedis(args: string[] = []): Promise<RunningServer> {
  const dir = tempDir('redis-test-');
  return launch(undefined, dir, (port) =>
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
}

/**
 * Spawn a server on `fixedPort`, or on a free port. A free port is only free when it was probed:
 * another process (a parallel test, another suite on the machine) may bind it before our server
 * does. Our server then exits with "address in use" while the other one answers on the port; so
 * readiness means the port's listener is our child's, and a lost port is retried with a new one.
 */
async function launch(fixedPort: number | undefined, dir: string, spawnOn: (port: number) => ChildProcess): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    try {
      return await waitReady(spawnOn(port), port, dir);
    } catch (err) {
      const lostPort = err instanceof PortTakenError;
      if (!lostPort || fixedPort !== undefined || attempt >= 5) throw err;
    }
  }
}

class PortTakenError extends Error {}

async function waitReady(child: ChildProcess, port: number, dir: string): Promise<RunningServer> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // 'close' comes once the process exited and its output was all read.
  const outputDone = new Promise<void>((r) => child.once('close', () => r()));
  let alive = true;
  child.once('exit', () => (alive = false));
  const started = Date.now();
  while (!((await answersPing(port)) && ownsListeningPort(child.pid, port))) {
    if (!alive) {
      await outputDone;
      if (/EADDRINUSE|Address already in use/.test(output)) throw new PortTakenError(`port ${port} was taken by another process:\n${output}`);
      throw new Error(`server exited before it was ready:\n${output}`);
    }
    if (Date.now() - started > 60000) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const finish = async (signal: NodeJS.Signals, removeDir: boolean) => {
    if (alive) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (removeDir) rmSync(dir, { recursive: true, force: true });
  };
  return {
    port,
    dir,
    process: child,
    output: () => output,
    stop: () => finish('SIGTERM', true),
    kill: () => finish('SIGKILL', false),
  };
}

/**
 * Whether process `pid` holds a socket listening on TCP `port` (Linux: /proc/net/tcp{,6} name the
 * listening sockets' inodes, /proc/<pid>/fd the process's). True where /proc cannot tell.
 */
function ownsListeningPort(pid: number | undefined, port: number): boolean {
  if (pid === undefined || !existsSync('/proc/net/tcp')) return true;
  const listening = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'latin1').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; field 9 is the socket's inode.
      if (fields.length > 9 && fields[1]!.endsWith(`:${hexPort}`) && fields[3] === '0A') listening.add(fields[9]!);
    }
  }
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match !== null && listening.has(match[1]!)) return true;
      } catch {
        // The descriptor closed while we looked.
      }
    }
  } catch {
    return false; // the process is gone
  }
  return false;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolveAnswer(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      data += d.toString();
      // "-NOAUTH" also proves the server is up.
      if (data.includes('\r\n')) done(data.startsWith('+PONG') || data.startsWith('-NOAUTH'));
    });
  });
}
