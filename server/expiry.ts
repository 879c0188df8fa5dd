// Active expiry: keys with a time to live are removed even when nobody reads them. Each cycle
// (hz times a second) walks the databases' expiry tables from where the previous cycle stopped,
// in batches, the way Redis's activeExpireCycle does: a database keeps being sampled while more
// than an acceptable share of a batch was expired, within a time budget per cycle, so memory held
// by dead keys is returned without stalling the event loop. Redis samples random buckets; a
// resumable walk over the insertion-ordered expiry Map gives the same coverage without random
// access. Removals go through commit as 'del' effects marked expired, so they are logged,
// replicated and counted (expired_keys) like lazy expiry.

import type { Engine } from '../storage/engine';
import type { Config } from './config';

/** Keys sampled per batch at effort 1, and how much each effort step adds (Redis: 20 and 20/4). */
const KEYS_PER_LOOP = 20;
const KEYS_PER_LOOP_PER_EFFORT = 5;
/** Keep sampling a database while more than this percentage of a batch was expired (minus effort). */
const ACCEPTABLE_STALE_PERCENT = 10;
/** Share of each cycle's period the cycle may use, in percent (Redis: 25, plus 2 per effort step). */
const CYCLE_TIME_PERCENT = 25;
const CYCLE_TIME_PERCENT_PER_EFFORT = 2;

export class ActiveExpiry {
  private timer: NodeJS.Timeout | null = null;
  /** The database the next cycle starts with (a cycle out of time resumes there). */
  private nextDb = 0;
  /** False after DEBUG SET-ACTIVE-EXPIRE 0: only reads expire keys (tests use it to meet expired keys). */
  enabled = true;

  constructor(
    private readonly engine: Engine,
    private readonly config: Config,
  ) {}

  start(): void {
    this.schedule();
    this.config.watch('hz', () => {
      if (this.timer !== null) {
        this.stop();
        this.schedule();
      }
    });
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    const periodMs = 1000 / Math.max(1, this.config.getInt('hz'));
    this.timer = setInterval(() => this.cycle(periodMs), periodMs);
    this.timer.unref();
  }

  /** One cycle over the databases, within its share of `periodMs`; returns the number of keys removed. */
  cycle(periodMs: number): number {
    // A replica waits for its master's deletions, as in Redis.
    if (!this.engine.deleteExpiredOnAccess || !this.enabled) return 0;
    const effort = this.config.getInt('active-expire-effort') - 1;
    const perLoop = KEYS_PER_LOOP + KEYS_PER_LOOP_PER_EFFORT * effort;
    const stalePercent = ACCEPTABLE_STALE_PERCENT - effort;
    const budgetMs = (periodMs * (CYCLE_TIME_PERCENT + CYCLE_TIME_PERCENT_PER_EFFORT * effort)) / 100;
    const started = performance.now();
    const dbs = this.engine.dbs;
    let removed = 0;
    for (let i = 0; i < dbs.length; i++) {
      const index = (this.nextDb + i) % dbs.length;
      const db = dbs[index]!;
      const volatileKeys = db.expires.size;
      let sampled = 0;
      while (db.expires.size > 0) {
        const now = Date.now();
        const batch = db.nextExpiring(perLoop);
        const dead: string[] = [];
        for (const [key, at] of batch) if (at < now) dead.push(key);
        if (dead.length > 0) {
          this.engine.commit({ op: 'del', db: index, keys: dead, expired: true });
          removed += dead.length;
        }
        sampled += batch.length;
        // Few dead keys left here, or a whole pass done: on to the next database.
        if (dead.length * 100 <= batch.length * stalePercent || sampled >= volatileKeys) break;
        if (performance.now() - started > budgetMs) {
          this.nextDb = index;
          return removed;
        }
      }
      if (performance.now() - started > budgetMs) {
        this.nextDb = (index + 1) % dbs.length;
        return removed;
      }
    }
    return removed;
  }
}
