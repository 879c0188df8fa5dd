// Real redis-sentinel processes for failover tests: each on a free loopback port with its own
// config file in a temp dir (Sentinel rewrites it as it learns), monitoring one master.
//
//   t.test('failover', { skip: sentinelSkip }, async (t) => { ... startSentinel(...) ... });

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RawClient } from './resp';
import { freePort, tempDir } from './servers';

export const SKIP_NO_SENTINEL = 'redis-sentinel is not installed (apt-get install -y redis-sentinel); sentinel test skipped';

/** Test option that skips, saying why, when redis-sentinel is not installed. */
export const sentinelSkip: string | false = spawnSync('redis-sentinel', ['--version']).status === 0 ? false : SKIP_NO_SENTINEL;

/** Sentinels still running: killed when the test process exits, even without its teardown. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface SentinelOptions {
  readonly masterName: string;
  readonly masterPort: number;
  readonly quorum: number;
  readonly downAfterMs: number;
  readonly failoverTimeoutMs: number;
}

export interface RunningSentinel {
  readonly port: number;
  readonly process: ChildProcess;
  output(): string;
  /** A command to this sentinel on a fresh connection, its decoded reply. */
  call(...args: string[]): Promise<Buffer>;
  stop(): Promise<void>;
}

export async function startSentinel(options: SentinelOptions): Promise<RunningSentinel> {
  const port = await freePort();
  const dir = tempDir('sentinel-test-');
  const file = join(dir, 'sentinel.conf');
  const { masterName: name } = options;
  writeFileSync(
    file,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      'daemonize no',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${options.masterPort} ${options.quorum}`,
      `sentinel down-after-milliseconds ${name} ${options.downAfterMs}`,
      `sentinel failover-timeout ${name} ${options.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${name} 1`,
      '',
    ].join('\n'),
  );
  const child = spawn('redis-sentinel', [file], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const call = async (...args: string[]): Promise<Buffer> => {
    const client = await RawClient.connect(port);
    try {
      return await client.call(...args);
    } finally {
      client.close();
    }
  };
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-sentinel exited before it was ready:\n${output}`);
    try {
      if ((await call('PING')).toString() === '+PONG\r\n') break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - started > 10000) {
      child.kill('SIGKILL');
      throw new Error(`redis-sentinel not ready after 10 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    process: child,
    output: () => output,
    call,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A flat RESP array of bulk strings as field/value pairs (SENTINEL MASTER's reply). */
export function pairs(reply: Buffer): Map<string, string> {
  const lines = reply.toString('latin1').split('\r\n');
  const values: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i]!.startsWith('$')) values.push(lines[++i]!);
  }
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < values.length; i += 2) out.set(values[i]!, values[i + 1]!);
  return out;
}
