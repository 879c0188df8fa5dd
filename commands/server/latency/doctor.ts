import type { CommandSpec, Ctx } from '../../types';

export const spec = {
  name: 'doctor',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  acl: ['admin', 'slow', 'dangerous'],
  keys: [0, 0, 0],
  summary: 'Reports, in prose, the latency events seen and what might help.',
  since: '2.8.13',
  group: 'server',
  complexity: 'O(1)',
  tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
  handler(ctx) {
    ctx.out.verbatim(report(ctx));
  },
} satisfies CommandSpec;

const DISABLED =
  'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
const NO_SPIKES =
  'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
const SPIKES = 'Dave, I have observed latency spikes in this Redis instance. You don\'t mind talking about it, do you Dave?\n\n';
const NO_ADVICE =
  '\nWhile there are latency events logged, I\'m not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n';

/**
 * Redis's latency report, for the events Sluice records ("command" and "fast-command"): one line
 * of statistics per event, then the advice those events call for.
 */
function report(ctx: Ctx): string {
  const thresholdMs = ctx.server.configApi.int('latency-monitor-threshold');
  const events = ctx.server.latency.latest();
  if (events.length === 0) return thresholdMs === 0 ? DISABLED : NO_SPIKES;

  let text = SPIKES;
  const advice = new Set<Advice>();
  events.forEach(([event, , , maxMs], i) => {
    const s = stats(ctx.server.latency.history(event), ctx.nowMs);
    text +=
      `${i + 1}. ${event}: ${s.samples} latency spikes (average ${s.avgMs}ms, mean deviation ${s.madMs}ms, ` +
      `period ${(s.periodSec / s.samples).toFixed(2)} sec). Worst all time event ${maxMs}ms.\n`;
    if (event === 'command') {
      const slowerThanUs = ctx.server.configApi.int('slowlog-log-slower-than');
      if (slowerThanUs < 0) advice.add('slowlog-enable');
      else if (Math.trunc(slowerThanUs / 1000) > thresholdMs) advice.add('slowlog-tune');
      advice.add('slowlog-inspect');
      advice.add('large-objects');
    }
    if (event === 'fast-command') advice.add('scheduler');
  });
  if (advice.size === 0) return text + NO_ADVICE;

  text += '\nI have a few advices for you:\n\n';
  const suggested = thresholdMs * 1000;
  if (advice.has('slowlog-enable')) {
    text += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${suggested}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  }
  if (advice.has('slowlog-tune')) {
    text += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${suggested}'.\n`;
  }
  if (advice.has('slowlog-inspect')) {
    text +=
      '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
  }
  if (advice.has('scheduler')) {
    text +=
      '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n' +
      '  1) Lower the system load.\n' +
      '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n' +
      '  3) Check if you have a "noisy neighbour" problem.\n' +
      "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
      '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
  }
  if (advice.has('large-objects')) {
    text +=
      '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  }
  return text;
}

type Advice = 'slowlog-enable' | 'slowlog-tune' | 'slowlog-inspect' | 'large-objects' | 'scheduler';

/** Redis's analyzeLatencyForEvent: integer average, mean absolute deviation, seconds covered. */
function stats(samples: ReadonlyArray<[timeSec: number, ms: number]>, nowMs: number) {
  const n = samples.length;
  const sum = samples.reduce((total, [, ms]) => total + ms, 0);
  const avgMs = n === 0 ? 0 : Math.floor(sum / n);
  const oldestSec = samples.reduce((oldest, [t]) => Math.min(oldest, t), Infinity);
  const periodSec = n === 0 ? 0 : Math.max(1, Math.floor(nowMs / 1000) - oldestSec);
  const madMs = n === 0 ? 0 : Math.floor(samples.reduce((total, [, ms]) => total + Math.abs(avgMs - ms), 0) / n);
  return { samples: n, avgMs, madMs, periodSec };
}
