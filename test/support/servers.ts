// Start and stop servers for tests: Sluice (as a child process, the way users run it) and real
// redis-server for differential tests. Every server gets a free loopback port and a fresh temp dir,
// and is stopped by the test that started it.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
  // A fixed port: a server restarted where its clients (or replicas) expect it.
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? tempDir();
  const file = options.configFile === undefined ? [] : [options.configFile];
  const child = spawn(process.execPath, [SERVER_MAIN, ...file, '--port', String(port), '--dir', dir, '--loglevel', 'warning', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return waitReady(child, port, dir);
}

/** Start a real redis-server with no persistence. */
export async function startRedis(args: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const dir = tempDir('redis-test-');
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return waitReady(child, port, dir);
}

async function waitReady(child: ChildProcess, port: number, dir: string): Promise<RunningServer> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let alive = true;
  child.once('exit', () => (alive = false));
  const started = Date.now();
  while (!(await answersPing(port))) {
    if (!alive) throw new Error(`server exited before it was ready:\n${output}`);
    if (Date.now() - started > 20000) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after 20 s:\n${output}`);
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
