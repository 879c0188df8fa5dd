// Active expiry: keys with a time to live are removed even when nobody reads them. Each cycle
// (hz times a second) walks every database's expiry table from where the previous cycle stopped,
// checking a bounded number of keys, so memory held by dead keys is returned without stalling the
// event loop. Redis samples randomly; a resumable walk over the insertion-ordered Map gives the same
// coverage without random access. Removals go through commit as 'del' effects, so they are logged
// and replicated like any write.

import type { Engine } from '../storage/engine';
import type { Config } from './config';

/** Keys checked per database per cycle at effort 1 (Redis: 20 keys per loop, looping while >10% expired). */
const KEYS_PER_CYCLE = 200;
/** Time budget per cycle as a share of the cycle period (Redis: 25%). */
const CYCLE_BUDGET_SHARE = 0.25;

export class ActiveExpiry {
  private timer: NodeJS.Timeout | null = null;
  private readonly cursors = new Map<number, Iterator<[string, number]>>();

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
    const periodMs = 1000 / this.config.getInt('hz');
    this.timer = setInterval(() => this.cycle(periodMs * CYCLE_BUDGET_SHARE), periodMs);
    this.timer.unref();
  }

  /** One pass over the databases; returns the number of keys removed. */
  cycle(budgetMs: number): number {
    if (!this.engine.deleteExpiredOnAccess) return 0;
    const started = performance.now();
    const perDb = KEYS_PER_CYCLE * this.config.getInt('active-expire-effort');
    let removed = 0;
    for (const db of this.engine.dbs) {
      if (db.expires.size === 0) continue;
      const now = Date.now();
      const dead: string[] = [];
      let iterator = this.cursors.get(db.index) ?? db.expires.entries();
      for (let checked = 0; checked < perDb; checked++) {
        let next = iterator.next();
        if (next.done === true) {
          // Wrap around to the start for the next cycle.
          iterator = db.expires.entries();
          next = iterator.next();
          if (next.done === true) break;
          this.cursors.set(db.index, iterator);
          if (checked > 0) break;
        }
        const [key, at] = next.value;
        if (at <= now) dead.push(key);
      }
      this.cursors.set(db.index, iterator);
      if (dead.length > 0) {
        this.engine.commit({ op: 'del', db: db.index, keys: dead, expired: true });
        removed += dead.length;
      }
      if (performance.now() - started > budgetMs) break;
    }
    return removed;
  }
}
