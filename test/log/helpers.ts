// Shared set-up for the log tests: a faulty file system with a data dir, opening a log that
// collects what it replays, and a generator of valid random effects (checked against an Engine).

import { ManualClock } from '../../storage/clock';
import type { Effect } from '../../storage/effects';
import { Engine } from '../../storage/engine';
import type { FsyncPolicy, Log, LogEvent } from '../../storage/log/log';
import { openLog, type RecoveryReport } from '../../storage/log/recovery';
import { FaultyFs } from '../support/faulty-fs';

export const DIR = '/data';
export const LOG_DIR = '/data/log';

/** A seed from SEED=... or the clock, printed so a failing run can be replayed. */
export function seedFor(name: string): number {
  const seed = process.env.SEED !== undefined ? Number(process.env.SEED) : Date.now() % 1_000_000_007;
  console.log(`# ${name}: seed ${seed} (replay with SEED=${seed})`);
  return seed;
}

export function freshFs(seed = 1): FaultyFs {
  const fs = new FaultyFs(seed);
  fs.mkdir(DIR);
  fs.persistAll();
  return fs;
}

export interface Opened {
  log: Log;
  report: RecoveryReport;
  /** The records replayed at open, in order. */
  replayed: Effect[][];
  events: LogEvent[];
  clock: ManualClock;
}

export function open(
  fs: FaultyFs,
  options: { fsync?: FsyncPolicy; segmentBytesMax?: number; startOffset?: number; clock?: ManualClock } = {},
): Opened {
  const replayed: Effect[][] = [];
  const events: LogEvent[] = [];
  const clock = options.clock ?? new ManualClock();
  const { log, report } = openLog({
    dir: DIR,
    fsync: options.fsync ?? 'always',
    segmentBytesMax: options.segmentBytesMax,
    startOffset: options.startOffset,
    fs,
    clock,
    replay: (effects) => replayed.push(effects),
    onEvent: (e) => events.push(e),
  });
  return { log, report, replayed, events, clock };
}

/** Every byte 0..255 as a latin1 string. */
export const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

export function randomBytes(random: () => number, maxLength: number): string {
  const n = Math.floor(random() * (maxLength + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(random() * 256));
  return s;
}

export function setEffect(key: string, value: string, db = 0): Effect {
  return { op: 'set', db, key, value, expireAtMs: null };
}

/** A simple record: one SET of key `k<i>`. */
export function recordOf(i: number, valueBytes = 8): Effect[] {
  return [setEffect(`k${i}`, String(i).padStart(valueBytes, '.'))];
}

/**
 * Random effects that are valid against `engine` (keys that must exist do), applied to it as they
 * are produced: the "direct" path the log's replay is compared with.
 */
export class EffectGenerator {
  private readonly keys: string[];

  constructor(
    private readonly random: () => number,
    private readonly engine: Engine,
  ) {
    this.keys = Array.from({ length: 24 }, (_, i) => (i === 0 ? ALL_BYTES : i % 3 === 0 ? randomBytes(random, 12) : `key:${i}`));
  }

  /** One valid effect, already applied to the engine. */
  next(): Effect {
    const effect = this.pick();
    this.engine.replay(effect);
    return effect;
  }

  private pick(): Effect {
    const r = this.random;
    const dbs = this.engine.dbs.length;
    const db = Math.floor(r() * dbs);
    const key = this.keys[Math.floor(r() * this.keys.length)]!;
    const existing = [...this.engine.dbs[db]!.entries.keys()];
    const anyExisting = existing.length > 0 ? existing[Math.floor(r() * existing.length)]! : undefined;
    const roll = r();
    const value = (): string => (r() < 0.1 ? ALL_BYTES : randomBytes(r, 40));
    if (roll < 0.35 || anyExisting === undefined) {
      const expireAtMs = r() < 0.6 ? null : r() < 0.5 ? 'keep' : 1_700_000_000_000 + Math.floor(r() * 1e9);
      return { op: 'set', db, key, value: value(), expireAtMs };
    }
    if (roll < 0.45) return { op: 'append', db, key, bytes: value() };
    if (roll < 0.52) return { op: 'setrange', db, key, offset: Math.floor(r() * 30), bytes: randomBytes(r, 10) };
    if (roll < 0.62) return { op: 'del', db, keys: [anyExisting, key], expired: r() < 0.3 ? true : undefined } as Effect;
    if (roll < 0.72) return { op: 'expire', db, key: anyExisting, atMs: 1_700_000_000_000 + Math.floor(r() * 1e12) };
    if (roll < 0.77) return { op: 'persist', db, key: anyExisting };
    if (roll < 0.84) return { op: 'rename', db, from: anyExisting, to: key };
    if (roll < 0.9) return { op: 'copy', db, from: anyExisting, toDb: Math.floor(r() * dbs), to: key };
    if (roll < 0.95) {
      const toDb = Math.floor(r() * dbs);
      if (toDb !== db && !this.engine.dbs[toDb]!.entries.has(anyExisting)) return { op: 'move', db, key: anyExisting, toDb };
      return { op: 'persist', db, key: anyExisting };
    }
    if (roll < 0.97) return { op: 'swapdb', db, other: Math.floor(r() * dbs) };
    if (roll < 0.99) return { op: 'flushdb', db };
    return { op: 'flushall' };
  }
}

/** Wait for setImmediate-scheduled completions (the faulty fs's async fdatasync). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
