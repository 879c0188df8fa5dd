// Shared by the persistence and crash tests: run the server to its exit, decode simple replies,
// read INFO fields, wait for conditions, list the data directory.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RawClient } from '../support/resp';
import { SERVER_MAIN, freePort } from '../support/servers';

/** A reply's value: simple strings, errors (as "-ERR ..."), integers, bulk strings, nil, arrays. */
export type Value = string | number | null | Value[];

/** Decode one RESP2/RESP3 reply (as RawClient returns it). */
export function decode(reply: Buffer): Value {
  const [value] = decodeAt(reply.toString('latin1'), 0);
  return value;
}

function decodeAt(s: string, at: number): [Value, number] {
  const end = s.indexOf('\r\n', at);
  const type = s[at];
  const line = s.slice(at + 1, end);
  switch (type) {
    case '+':
      return [line, end + 2];
    case '-':
      return [`-${line}`, end + 2];
    case ':':
      return [Number(line), end + 2];
    case '_':
      return [null, end + 2];
    case '$': {
      const n = Number(line);
      if (n < 0) return [null, end + 2];
      return [s.slice(end + 2, end + 2 + n), end + 4 + n];
    }
    case '*':
    case '~':
    case '%': {
      const n = Number(line) * (type === '%' ? 2 : 1);
      if (n < 0) return [null, end + 2];
      const items: Value[] = [];
      let pos = end + 2;
      for (let i = 0; i < n; i++) {
        const [v, next] = decodeAt(s, pos);
        items.push(v);
        pos = next;
      }
      return [items, pos];
    }
    default:
      throw new Error(`cannot decode reply type ${JSON.stringify(type)} in ${JSON.stringify(s.slice(at, at + 40))}`);
  }
}

/** Send a command and decode its reply. */
export async function cmd(client: RawClient, ...args: string[]): Promise<Value> {
  return decode(await client.call(...args));
}

/** INFO persistence (or another section) as field → value. */
export async function info(client: RawClient, section = 'persistence'): Promise<Map<string, string>> {
  const text = (await cmd(client, 'INFO', section)) as string;
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Poll until `check` returns true (or throw after `timeoutMs`). */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The log's segment file names, oldest first. */
export function segments(dir: string): string[] {
  const logDir = join(dir, 'log');
  return existsSync(logDir) ? readdirSync(logDir).filter((n) => n.endsWith('.seg')).sort() : [];
}

/** The snapshot file names, oldest first. */
export function snapshots(dir: string): string[] {
  const snapDir = join(dir, 'snapshots');
  return existsSync(snapDir) ? readdirSync(snapDir).sort() : [];
}

export interface Exited {
  readonly code: number | null;
  readonly output: string;
}

/** Start the server expecting it to stop by itself (a start-up refusal); its exit code and output. */
export async function runToExit(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 20000): Promise<Exited> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_MAIN, '--port', String(port), '--loglevel', 'warning', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Run a node script (the check tool) to its exit. */
export function runNode(script: string, args: string[]): Promise<Exited> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** Stop a server with SIGTERM (it saves and syncs as at any shutdown), keeping its data dir. */
export async function terminate(server: { readonly process: import('node:child_process').ChildProcess }): Promise<number | null> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

/** Every key of databases 0..n-1 with its value and absolute expiry: "db key = value @ expiry". */
export async function keyspaceOf(client: RawClient, databases = 4): Promise<string[]> {
  const lines: string[] = [];
  for (let db = 0; db < databases; db++) {
    await cmd(client, 'SELECT', String(db));
    const keys = ((await cmd(client, 'KEYS', '*')) as string[]).sort();
    for (const key of keys) {
      lines.push(`${db} ${key} = ${String(await cmd(client, 'GET', key))} @ ${String(await cmd(client, 'PEXPIRETIME', key))}`);
    }
  }
  await cmd(client, 'SELECT', '0');
  return lines;
}
