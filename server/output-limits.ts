// client-output-buffer-limit: how much unsent output a client may pile up before it is
// disconnected, per client class (normal, replica, pubsub), as Redis's
// checkClientOutputBufferLimits: over the hard limit at once, or over the soft limit for longer
// than its seconds. A subscriber that reads slower than messages arrive is cut off here, which
// is what keeps the server's memory bounded.

import { parseMemory } from './config';

export type ClientClass = 'normal' | 'replica' | 'pubsub';

export interface OutputLimit {
  /** Disconnect as soon as the output exceeds this many bytes; 0: no hard limit. */
  readonly hardBytes: number;
  /** Disconnect when the output stays above this many bytes for longer than softSeconds; 0: none. */
  readonly softBytes: number;
  readonly softSeconds: number;
}

export type OutputLimits = Readonly<Record<ClientClass, OutputLimit>>;

const CLASS_NAMES: Readonly<Record<string, ClientClass>> = { normal: 'normal', slave: 'replica', replica: 'replica', pubsub: 'pubsub' };

/** Parse a value as the config stores it (every class given, as mergeOutputLimits writes it). */
export function parseOutputLimits(value: string): OutputLimits {
  return parseStored(value);
}

/**
 * The config check: `raw` gives limits for some classes ("pubsub 1mb 256kb 10"); the others keep
 * their `current` values. Returns the value in Redis's CONFIG GET form, or Redis's error text.
 */
export function mergeOutputLimits(current: string, raw: string): { value: string } | { error: string } {
  const limits = { ...parseStored(current) } as Record<ClientClass, OutputLimit>;
  const words = raw.split(/\s+/).filter((w) => w !== '');
  if (words.length % 4 !== 0) return { error: 'Wrong number of arguments in buffer limit configuration.' };
  for (let i = 0; i < words.length; i += 4) {
    const klass = CLASS_NAMES[words[i]!.toLowerCase()];
    if (klass === undefined) return { error: 'Invalid client class specified in buffer limit configuration.' };
    const hard = parseMemory(words[i + 1]!);
    const soft = parseMemory(words[i + 2]!);
    const seconds = /^\d+$/.test(words[i + 3]!) ? BigInt(words[i + 3]!) : null;
    if (hard === null || soft === null || seconds === null) {
      return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
    }
    // Redis keeps the seconds in a C int: larger values wrap as they do there.
    limits[klass] = { hardBytes: Number(hard), softBytes: Number(soft), softSeconds: Number(BigInt.asIntN(32, seconds)) };
  }
  return { value: formatStored(limits) };
}

function parseStored(value: string): OutputLimits {
  const words = value.split(' ');
  const limits: Partial<Record<ClientClass, OutputLimit>> = {};
  for (let i = 0; i + 3 < words.length; i += 4) {
    limits[CLASS_NAMES[words[i]!]!] = { hardBytes: Number(words[i + 1]), softBytes: Number(words[i + 2]), softSeconds: Number(words[i + 3]) };
  }
  return limits as OutputLimits;
}

function formatStored(limits: OutputLimits): string {
  const part = (name: string, l: OutputLimit) => `${name} ${l.hardBytes} ${l.softBytes} ${l.softSeconds}`;
  return [part('normal', limits.normal), part('slave', limits.replica), part('pubsub', limits.pubsub)].join(' ');
}

/** Per-client state of the soft limit: when the output first went over it (0: it is not over). */
export interface SoftLimitState {
  softLimitSinceMs: number;
}

/**
 * Whether a client with `bytes` of unsent output has overcome its class's limits now. Keeps the
 * time the soft limit was first exceeded in `state`, and clears it once the output is back under.
 */
export function limitReached(limit: OutputLimit, bytes: number, state: SoftLimitState, nowMs: number): boolean {
  if (limit.hardBytes !== 0 && bytes >= limit.hardBytes) return true;
  if (limit.softBytes === 0 || bytes < limit.softBytes) {
    state.softLimitSinceMs = 0;
    return false;
  }
  if (state.softLimitSinceMs === 0) {
    state.softLimitSinceMs = nowMs;
    return false;
  }
  return nowMs - state.softLimitSinceMs > limit.softSeconds * 1000;
}
