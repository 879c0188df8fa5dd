// Redis's LFU counter (evict.c): an 8-bit logarithmic access counter that halves its meaning over
// time, packed with the minute it was last decremented into one number:
// (minutes mod 2^16) << 8 | counter. OBJECT FREQ reports the counter after decay.

/** The counter a new key starts with, so it is not evicted before it had a chance to be used. */
export const LFU_INIT_VAL = 5;
/** lfu-log-factor and lfu-decay-time (minutes per decrement; 0 never decays), Redis's defaults at start. */
export interface LfuTuning {
  logFactor: number;
  decayTimeMin: number;
}
export const LFU_DEFAULTS: Readonly<LfuTuning> = { logFactor: 10, decayTimeMin: 1 };

function minutes(nowMs: number): number {
  return Math.floor(nowMs / 60000) & 65535;
}

/** The LFU word of a key created now. */
export function lfuInit(nowMs: number): number {
  return (minutes(nowMs) << 8) | LFU_INIT_VAL;
}

/** Minutes elapsed since `ldt`, across the 16-bit wrap. */
function elapsedMinutes(ldt: number, nowMs: number): number {
  const now = minutes(nowMs);
  return now >= ldt ? now - ldt : 65535 - ldt + now;
}

/** The counter after the decay owed for the time since its last decrement (LFUDecrAndReturn). */
export function lfuCounter(word: number, nowMs: number, tuning: Readonly<LfuTuning> = LFU_DEFAULTS): number {
  const ldt = word >>> 8;
  const counter = word & 255;
  const periods = tuning.decayTimeMin > 0 ? Math.floor(elapsedMinutes(ldt, nowMs) / tuning.decayTimeMin) : 0;
  return periods > counter ? 0 : counter - periods;
}

/** The LFU word after one access: decay, then a logarithmic increment (LFULogIncr), stamped now. */
export function lfuAccess(word: number, nowMs: number, tuning: Readonly<LfuTuning> = LFU_DEFAULTS, random: () => number = Math.random): number {
  let counter = lfuCounter(word, nowMs, tuning);
  if (counter < 255) {
    const base = Math.max(0, counter - LFU_INIT_VAL);
    const p = 1 / (base * tuning.logFactor + 1);
    if (random() < p) counter++;
  }
  return (minutes(nowMs) << 8) | counter;
}
