// maxmemory: the memory limit write commands are checked against, as Redis checks it before every
// command flagged denyoom (its processCommand), with Redis's -OOM error.
//
// Sluice never evicts. Its data is the durable record of what producers sent (stream entries,
// queued jobs), acknowledged once it reached the log; dropping keys to make room would lose
// acknowledged messages. Every maxmemory-policy therefore acts as noeviction: above the limit,
// denyoom commands are refused and everything else (reads, DEL, XACK, XTRIM...) keeps working, so
// consumers can drain what is there. A policy other than noeviction is accepted (configuration
// files written for Redis keep working) and logged as acting as noeviction.
//
// Used memory is what INFO memory reports as used_memory: the JS heap in use plus memory held
// outside it (Buffers: list nodes, stream blocks, output buffers). Measuring it costs about 10 µs,
// so below the limit a sample serves for SAMPLE_MS; above it every check measures again, so a GC
// that freed memory lets writes through at once.

import type { Logger } from 'pino';
import type { Config } from './config';

/** How long a measurement below the limit stands. */
const SAMPLE_MS = 10;

/** The process's used memory as INFO memory's used_memory reports it. */
export function usedMemoryBytes(): number {
  const mem = process.memoryUsage();
  return mem.heapUsed + mem.external;
}

export class MemoryLimit {
  private limitBytes: number;
  private measuredAtMs = Number.NEGATIVE_INFINITY;
  private usedBytes = 0;

  constructor(
    config: Config,
    private readonly log: Logger,
    private readonly measure: () => number = usedMemoryBytes,
  ) {
    this.limitBytes = config.getInt('maxmemory');
    config.watch('maxmemory', (value) => {
      this.limitBytes = Number(value);
      this.measuredAtMs = Number.NEGATIVE_INFINITY;
    });
    this.notePolicy(config.get('maxmemory-policy'));
    config.watch('maxmemory-policy', (policy) => this.notePolicy(policy));
  }

  /**
   * Whether a command that may grow the dataset is refused now: used memory above maxmemory. The
   * clock is read only when a limit is set, so commands pay nothing without one.
   */
  exceeded(clock: () => number = Date.now): boolean {
    if (this.limitBytes === 0) return false;
    const nowMs = clock();
    const over = this.usedBytes > this.limitBytes;
    if (over || nowMs - this.measuredAtMs >= SAMPLE_MS) {
      this.usedBytes = this.measure();
      this.measuredAtMs = nowMs;
    }
    return this.usedBytes > this.limitBytes;
  }

  private notePolicy(policy: string): void {
    if (policy === 'noeviction') return;
    this.log.warn(
      { policy },
      `maxmemory-policy ${policy} acts as noeviction: Sluice never evicts acknowledged data; above maxmemory, commands that may use more memory are refused with -OOM`,
    );
  }
}
