// LATENCY: samples of events slower than `latency-monitor-threshold` ms (0 = off), per event,
// keeping the last 160 samples of each, as Redis does.

import type { LatencyApi } from '../commands/types';
import type { Config } from './config';

const HISTORY_LEN = 160;

interface Series {
  samples: Array<[timeSec: number, ms: number]>;
  maxMs: number;
}

export class LatencyMonitor implements LatencyApi {
  private readonly events = new Map<string, Series>();
  /** latency-monitor-threshold in ms (0 = off), kept current by a watcher: read on every command. */
  thresholdMs: number;

  constructor(config: Config) {
    this.thresholdMs = config.getInt('latency-monitor-threshold');
    config.watch('latency-monitor-threshold', (v) => (this.thresholdMs = Number(v)));
  }

  /** Record `ms` for `event` when monitoring is on and it reaches the threshold. */
  sample(event: string, ms: number): void {
    const threshold = this.thresholdMs;
    if (threshold === 0 || ms < threshold) return;
    const now = Math.floor(Date.now() / 1000);
    let series = this.events.get(event);
    if (series === undefined) {
      series = { samples: [], maxMs: 0 };
      this.events.set(event, series);
    }
    const last = series.samples[series.samples.length - 1];
    if (last !== undefined && last[0] === now) last[1] = Math.max(last[1], ms);
    else series.samples.push([now, ms]);
    if (series.samples.length > HISTORY_LEN) series.samples.shift();
    series.maxMs = Math.max(series.maxMs, ms);
  }

  latest(): Array<[string, number, number, number]> {
    const out: Array<[string, number, number, number]> = [];
    for (const [event, series] of this.events) {
      const last = series.samples[series.samples.length - 1];
      if (last !== undefined) out.push([event, last[0], last[1], series.maxMs]);
    }
    return out;
  }

  history(event: string): Array<[number, number]> {
    return (this.events.get(event)?.samples ?? []).map(([t, ms]) => [t, ms]);
  }

  reset(events: string[]): number {
    if (events.length === 0) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    let n = 0;
    for (const e of events) if (this.events.delete(e)) n++;
    return n;
  }
}
