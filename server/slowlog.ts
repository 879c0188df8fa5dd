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
  private list: SlowlogEntry[] = [];
  private nextId = 0;

  constructor(private readonly config: Config) {}

  consider(durationUs: number, argv: readonly Buffer[], client: SlowlogClient): void {
    const threshold = this.config.getInt('slowlog-log-slower-than');
    if (threshold < 0 || durationUs < threshold) return;
    const max = this.config.getInt('slowlog-max-len');
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
    const max = this.config.getInt('slowlog-max-len');
    if (this.list.length > max) this.list.length = max;
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
