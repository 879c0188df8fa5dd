// SLOWLOG: the last `slowlog-max-len` commands that took longer than `slowlog-log-slower-than` µs.

import type { SlowlogApi, SlowlogEntry } from '../commands/types';
import type { Config } from './config';

/** Redis keeps at most 32 arguments of a slow command, each cut to 128 bytes. */
const MAX_ARGS = 32;
const MAX_ARG_BYTES = 128;

export interface SlowlogClient {
  readonly addr: string;
  readonly name: string;
}

export class Slowlog implements SlowlogApi {
  /** Newest first; at most slowlog-max-len entries. */
  private list: SlowlogEntry[] = [];
  /** Ids keep counting across SLOWLOG RESET, as in Redis. */
  private nextId = 0;
  /** slowlog-log-slower-than in µs (-1 = off), kept current by a watcher: read on every command. */
  private thresholdUs: number;
  private maxLen: number;

  constructor(config: Config) {
    this.thresholdUs = config.getInt('slowlog-log-slower-than');
    this.maxLen = config.getInt('slowlog-max-len');
    config.watch('slowlog-log-slower-than', (v) => (this.thresholdUs = Number(v)));
    config.watch('slowlog-max-len', (v) => {
      this.maxLen = Number(v);
      if (this.list.length > this.maxLen) this.list.length = this.maxLen;
    });
  }

  consider(durationUs: number, argv: readonly Buffer[], client: SlowlogClient): void {
    if (this.thresholdUs < 0 || durationUs < this.thresholdUs) return;
    const max = this.maxLen;
    this.list.unshift({
      id: this.nextId++,
      timeSec: Math.floor(Date.now() / 1000),
      durationUs,
      argv: keptArgs(argv),
      addr: client.addr,
      name: client.name,
    });
    if (this.list.length > max) this.list.length = max;
  }

  entries(): readonly SlowlogEntry[] {
    return this.list;
  }

  reset(): void {
    this.list = [];
  }
}

function keptArgs(argv: readonly Buffer[]): Buffer[] {
  const count = Math.min(argv.length, MAX_ARGS);
  const kept: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (i === MAX_ARGS - 1 && argv.length > MAX_ARGS) {
      kept.push(Buffer.from(`... (${argv.length - MAX_ARGS + 1} more arguments)`));
      break;
    }
    const arg = argv[i]!;
    kept.push(
      arg.length > MAX_ARG_BYTES
        ? Buffer.concat([arg.subarray(0, MAX_ARG_BYTES), Buffer.from(`... (${arg.length - MAX_ARG_BYTES} more bytes)`)])
        : Buffer.from(arg),
    );
  }
  return kept;
}
