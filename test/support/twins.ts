// Twin connections for differential tests that need several clients at once (Pub/Sub, blocking):
// one connection to real Redis and one to Sluice, driven in step, every reply compared as bytes.
//
//   const sub = await Twin.connect(t, pair);           // a subscriber on each server
//   const pub = await Twin.connect(t, pair);
//   await sub.send(['SUBSCRIBE', 'a', 'b'], 2);         // two confirmations, compared
//   await pub.send(['PUBLISH', 'a', 'hi']);
//   await sub.expect(1);                                // the message, compared
//   await sub.quiet();                                  // and nothing more on either side

import type { Test } from 'tap';
import type { DiffPair } from './differential';
import { encodeCommand, RawClient } from './resp';

export class Twin {
  private constructor(
    private readonly t: Test,
    readonly redis: RawClient,
    readonly sluice: RawClient,
    readonly label: string,
  ) {}

  /** A connection to each server of the pair, closed when the test ends; RESP3 after HELLO 3. */
  static async connect(t: Test, pair: DiffPair, options: { resp?: 2 | 3; label?: string } = {}): Promise<Twin> {
    const [redis, sluice] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.sluice.port)]);
    t.teardown(() => {
      redis.close();
      sluice.close();
    });
    const twin = new Twin(t, redis, sluice, options.label ?? `RESP${options.resp ?? 2}`);
    if (options.resp === 3) await Promise.all([redis.call('HELLO', '3'), sluice.call('HELLO', '3')]);
    return twin;
  }

  /** Send a command to both and compare the next `replies` replies (pushes included). */
  async send(args: Array<string | Buffer>, replies = 1): Promise<void> {
    const frame = encodeCommand(args);
    this.redis.write(frame);
    this.sluice.write(frame);
    await this.expect(replies, args.map(String).join(' '));
  }

  /** Compare the next `count` replies or pushes each side receives. */
  async expect(count: number, note = 'pushed'): Promise<void> {
    for (let i = 0; i < count; i++) {
      const [expected, actual] = await Promise.all([read(this.redis), read(this.sluice)]);
      this.t.equal(actual, expected, `${this.label} ${note}${count > 1 ? ` [${i + 1}/${count}]` : ''}`);
    }
  }

  /** The next `count` replies of each side, without comparing them (for values that differ by nature). */
  async take(count = 1): Promise<{ redis: string[]; sluice: string[] }> {
    const redis: string[] = [];
    const sluice: string[] = [];
    for (let i = 0; i < count; i++) {
      const [r, s] = await Promise.all([read(this.redis), read(this.sluice)]);
      redis.push(r);
      sluice.push(s);
    }
    return { redis, sluice };
  }

  /** Neither side receives anything more within `ms`. */
  async quiet(ms = 150): Promise<void> {
    const [r, s] = await Promise.all([readOrNothing(this.redis, ms), readOrNothing(this.sluice, ms)]);
    this.t.equal(s, r, `${this.label} nothing more`);
  }

  close(): void {
    this.redis.close();
    this.sluice.close();
  }
}

async function read(client: RawClient): Promise<string> {
  try {
    return (await client.readReply()).toString('latin1');
  } catch (err) {
    return `(${(err as Error).message})`;
  }
}

async function readOrNothing(client: RawClient, ms: number): Promise<string> {
  try {
    return (await client.readReply(ms)).toString('latin1');
  } catch {
    return '(nothing)';
  }
}
