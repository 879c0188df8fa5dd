// Time as a seam: the log's background fsync (appendfsync everysec) and its retry of failed writes
// run on a Clock, so tests drive time by hand instead of sleeping.

export interface Clock {
  nowMs(): number;
  /** Call `fn` every `intervalMs` until the returned function is called. Must not keep the process alive. */
  every(intervalMs: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  every(intervalMs, fn) {
    const timer = setInterval(fn, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** A clock that moves only when told to (tests). */
export class ManualClock implements Clock {
  private timers: Array<{ intervalMs: number; nextMs: number; fn: () => void; live: boolean }> = [];

  constructor(private now = 1_700_000_000_000) {}

  nowMs(): number {
    return this.now;
  }

  every(intervalMs: number, fn: () => void): () => void {
    const timer = { intervalMs, nextMs: this.now + intervalMs, fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Move time forward, running every timer that comes due, in order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: (typeof this.timers)[number] | undefined;
      for (const t of this.timers) if (t.live && t.nextMs <= end && (next === undefined || t.nextMs < next.nextMs)) next = t;
      if (next === undefined) break;
      this.now = next.nextMs;
      next.nextMs += next.intervalMs;
      next.fn();
    }
    this.now = end;
  }
}
