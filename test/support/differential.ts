// The differential harness: run the same command script against real Redis and against Sluice and
// compare every reply byte for byte, in RESP2 and RESP3.
//
//   t.test('GET/SET', { skip: redisSkip }, async (t) => {   // skipped, with the reason, without redis-server
//   const pair = await DiffPair.start();
//   await pair.check(t, [['SET', 'k', 'v'], ['GET', 'k']]);       // RESP2
//   await pair.check(t, [...], { resp: 3 });                        // after HELLO 3
//   await pair.stop();
//
// A step may be a plain argument list, or { cmd, mask } where mask maps a reply to a comparable
// form for replies that legitimately differ run to run (times, ids, random keys).

import type { Test } from 'tap';
import { RawClient } from './resp';
import { SKIP_NO_REDIS, hasRedis, startRedis, startSluice, type RunningServer } from './servers';

export { SKIP_NO_REDIS };

/** Test option that skips, saying why, when redis-server is not installed: t.test(name, { skip: redisSkip }, ...). */
export const redisSkip: string | false = hasRedis() ? false : SKIP_NO_REDIS;

export type Arg = string | Buffer;
export type Step = Arg[] | { cmd: Arg[]; mask?: (reply: Buffer) => string; note?: string };

export interface CheckOptions {
  resp?: 2 | 3;
  /** Start from an empty keyspace (FLUSHALL before the script). Default true. */
  flush?: boolean;
}

export class DiffPair {
  private constructor(
    readonly redis: RunningServer,
    readonly sluice: RunningServer,
  ) {}

  /** Both servers; use inside a test declared with { skip: redisSkip }. */
  static async start(options: { sluiceArgs?: string[]; redisArgs?: string[] } = {}): Promise<DiffPair> {
    const [redis, sluice] = await Promise.all([startRedis(options.redisArgs), startSluice(options.sluiceArgs)]);
    return new DiffPair(redis, sluice);
  }

  async stop(): Promise<void> {
    await Promise.all([this.redis.stop(), this.sluice.stop()]);
  }

  /** Run a script on a fresh connection to each server and compare every reply. */
  async check(t: Test, steps: readonly Step[], options: CheckOptions = {}): Promise<void> {
    const [r, s] = await Promise.all([RawClient.connect(this.redis.port), RawClient.connect(this.sluice.port)]);
    try {
      if (options.resp === 3) {
        await Promise.all([r.call('HELLO', '3'), s.call('HELLO', '3')]);
      }
      if (options.flush !== false) await Promise.all([r.call('FLUSHALL'), s.call('FLUSHALL')]);
      for (const step of steps) {
        const cmd = Array.isArray(step) ? step : step.cmd;
        const mask = Array.isArray(step) ? undefined : step.mask;
        const [expected, actual] = await Promise.all([reply(r, cmd), reply(s, cmd)]);
        const show = (b: Buffer | Error) => (b instanceof Error ? `(no reply: ${b.message})` : mask ? mask(b) : b.toString('latin1'));
        t.equal(show(actual), show(expected), `RESP${options.resp ?? 2} ${describe(cmd)}`);
      }
    } finally {
      r.close();
      s.close();
    }
  }
}

/** The reply, or why there is none (the connection closed, or no reply in time): both are compared. */
async function reply(client: RawClient, cmd: Arg[]): Promise<Buffer | Error> {
  try {
    return await client.call(...cmd);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function describe(cmd: Arg[]): string {
  const text = cmd.map((a) => (typeof a === 'string' ? a : `<${a.length} bytes>`)).join(' ');
  return text.length > 120 ? text.slice(0, 117) + '...' : text;
}

/** A mask for replies whose shape matters but whose value does not (e.g. a time): the type byte. */
export function typeOnly(reply: Buffer): string {
  return reply.toString('latin1', 0, 1);
}
