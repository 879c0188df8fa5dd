// A RESP fuzzer for a live server: hostile clients send random and mutated frames (random splits,
// huge and negative lengths, nested arrays, overlong inline lines, garbage after valid frames,
// bulks announced and never sent, connections dropped mid-frame) while well-behaved neighbours run
// a checked workload. Used by test/robustness/fuzz-live.test.ts (seconds) and bench/fuzz-resp
// (millions of frames). Everything is seeded: the same seed sends the same bytes.

import { createConnection, type Socket } from 'node:net';
import { encodeCommand, RawClient } from './resp';
import { seededRandom } from './random';

type Random = () => number;

/** What a fuzz run did and found. */
export interface FuzzReport {
  framesSent: number;
  bytesSent: number;
  connections: number;
  /** Connections the server closed (protocol errors, QUIT...). */
  closedByServer: number;
  /** Neighbour commands whose reply was checked. */
  neighbourChecks: number;
  /** Neighbour replies that were wrong: must stay empty. */
  neighbourErrors: string[];
}

export interface FuzzOptions {
  readonly port: number;
  readonly seed: number;
  /** Stop once this many frames were sent. */
  readonly frames: number;
  /** Hostile connections open at once. */
  readonly hostile?: number;
  /** Well-behaved neighbour connections. */
  readonly neighbours?: number;
  /** Called about every 100k frames with the count so far (bench progress). */
  readonly progress?: (framesSent: number) => void;
}

/** Commands a hostile client may send intact: they touch only its own keys ("fz:" prefix). */
function validCommand(random: Random): Buffer[] {
  const key = `fz:${Math.floor(random() * 50)}`;
  const value = Buffer.alloc(Math.floor(random() * 64), Math.floor(random() * 256));
  const pick = Math.floor(random() * 14);
  const args: Array<string | Buffer> =
    pick === 0 ? ['PING']
    : pick === 1 ? ['ECHO', value]
    : pick === 2 ? ['SET', key, value]
    : pick === 3 ? ['GET', key]
    : pick === 4 ? ['RPUSH', `${key}:l`, value, value]
    : pick === 5 ? ['LRANGE', `${key}:l`, '0', '-1']
    : pick === 6 ? ['INCR', `${key}:n`]
    : pick === 7 ? ['DEL', key, `${key}:l`]
    : pick === 8 ? ['HELLO', random() < 0.5 ? '2' : '3']
    : pick === 9 ? ['SELECT', String(Math.floor(random() * 3))]
    : pick === 10 ? ['APPEND', key, value]
    : pick === 11 ? ['EXISTS', key, `${key}:l`]
    : pick === 12 ? ['LPOP', `${key}:l`, '2']
    : ['GETRANGE', key, '0', String(Math.floor(random() * 10) - 5)];
  return args.map((a) => (typeof a === 'string' ? Buffer.from(a, 'latin1') : a));
}

function randomBytes(random: Random, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(random() * 256);
  return b;
}

/** One frame, valid or hostile. */
export function fuzzFrame(random: Random): Buffer {
  const kind = Math.floor(random() * 12);
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return encodeCommand(validCommand(random));
    case 3: {
      // A valid frame with a few bytes flipped.
      const frame = Buffer.from(encodeCommand(validCommand(random)));
      const flips = 1 + Math.floor(random() * 3);
      for (let i = 0; i < flips; i++) frame[Math.floor(random() * frame.length)] = Math.floor(random() * 256);
      return frame;
    }
    case 4: {
      // Huge, negative or malformed lengths.
      const lengths = ['999999999999', '-3', '-1', '2147483648', '1e3', '', ' 5', '0x10', '18446744073709551616'];
      const length = lengths[Math.floor(random() * lengths.length)]!;
      return Buffer.from(random() < 0.5 ? `*${length}\r\n` : `*1\r\n$${length}\r\n`, 'latin1');
    }
    case 5:
      // Nested arrays, which requests may not contain.
      return Buffer.from('*2\r\n*1\r\n$4\r\nPING\r\n$1\r\nx\r\n', 'latin1');
    case 6:
      // Inline commands, sometimes with unbalanced quotes.
      return Buffer.from(random() < 0.7 ? `PING\r\nECHO "a b"\r\n` : `SET "unterminated 1\r\n`, 'latin1');
    case 7:
      // An inline line longer than Redis allows (64 KiB) with no newline.
      return Buffer.alloc(70 * 1024 + Math.floor(random() * 1024), 0x61);
    case 8:
      // A bulk announced big and never completed: the connection drops mid-frame.
      return Buffer.from(`*2\r\n$3\r\nSET\r\n$${1 + Math.floor(random() * 100_000_000)}\r\nabc`, 'latin1');
    case 9:
      // Pure garbage.
      return randomBytes(random, 1 + Math.floor(random() * 200));
    case 10:
      // Garbage right after a valid frame.
      return Buffer.concat([encodeCommand(validCommand(random)), randomBytes(random, 1 + Math.floor(random() * 20))]);
    default:
      // Many valid frames at once (a pipeline).
      return Buffer.concat(Array.from({ length: 1 + Math.floor(random() * 50) }, () => encodeCommand(validCommand(random))));
  }
}

/** Cut bytes into random pieces (single bytes included). */
export function splitRandomly(random: Random, bytes: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = random() < 0.2 ? 1 : 1 + Math.floor(random() * 4096);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** One hostile connection: some frames in random pieces, a short wait, then gone (sometimes at once). */
async function hostileSession(port: number, random: Random, report: FuzzReport, budget: () => number): Promise<void> {
  const frames = Math.min(budget(), 1 + Math.floor(random() * 40));
  if (frames <= 0) return;
  const payload: Buffer[] = [];
  for (let i = 0; i < frames; i++) payload.push(fuzzFrame(random));
  report.framesSent += frames;
  const bytes = Buffer.concat(payload);
  report.bytesSent += bytes.length;
  report.connections++;
  const socket: Socket = createConnection({ host: '127.0.0.1', port });
  socket.on('data', () => undefined); // replies are read and dropped
  socket.on('error', () => undefined); // resets are expected: the server closes on protocol errors
  const closed = new Promise<boolean>((resolve) => socket.on('close', () => resolve(true)));
  await new Promise<void>((resolve) => {
    socket.once('connect', () => resolve());
    socket.once('close', () => resolve());
  });
  for (const piece of splitRandomly(random, bytes)) {
    if (socket.destroyed) break;
    socket.write(piece);
    if (random() < 0.05) await new Promise((r) => setImmediate(r));
  }
  // Vanish at once, or give the server a moment to answer (and maybe close on us).
  const linger = random() < 0.3 ? 0 : Math.floor(random() * 30);
  const byServer = await Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), linger))]);
  if (byServer) report.closedByServer++;
  socket.destroy();
}

/** A neighbour: a checked workload on its own keys (which no hostile command names), until told to stop. */
async function neighbour(port: number, id: number, report: FuzzReport, stopped: () => boolean): Promise<void> {
  const client = await RawClient.connect(port);
  const expect = async (args: string[], wanted: string) => {
    const reply = (await client.call(...args)).toString('latin1');
    report.neighbourChecks++;
    if (reply !== wanted) report.neighbourErrors.push(`${args.join(' ')} -> ${JSON.stringify(reply)}, wanted ${JSON.stringify(wanted)}`);
  };
  const counter = `nb:${id}:n`;
  const list = `nb:${id}:l`;
  try {
    await expect(['DEL', counter, list], ':0\r\n');
    for (let i = 1; !stopped(); i++) {
      await expect(['INCR', counter], `:${i}\r\n`);
      await expect(['RPUSH', list, `v${i}`], `:${i}\r\n`);
      await expect(['LINDEX', list, '-1'], `$${`v${i}`.length}\r\nv${i}\r\n`);
      await expect(['PING'], '+PONG\r\n');
    }
    await expect(['DEL', counter, list], ':2\r\n');
  } finally {
    client.close();
  }
}

/** Run hostile clients and neighbours against a server until `frames` frames were sent. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const random = seededRandom(options.seed);
  const report: FuzzReport = { framesSent: 0, bytesSent: 0, connections: 0, closedByServer: 0, neighbourChecks: 0, neighbourErrors: [] };
  const budget = () => options.frames - report.framesSent;
  let done = false;
  const neighbours = Array.from({ length: options.neighbours ?? 4 }, (_, id) => neighbour(options.port, id, report, () => done));
  let lastProgress = 0;
  const worker = async () => {
    while (budget() > 0) {
      await hostileSession(options.port, random, report, budget);
      if (options.progress !== undefined && report.framesSent - lastProgress >= 100_000) {
        lastProgress = report.framesSent;
        options.progress(report.framesSent);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.hostile ?? 16 }, worker));
  } finally {
    done = true;
    await Promise.all(neighbours);
  }
  return report;
}
