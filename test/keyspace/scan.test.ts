// SCAN: errors and single-page replies against real Redis byte for byte (RESP2 and RESP3); whole
// iterations compared as sets (page boundaries and cursors are each server's own); and Redis's
// guarantee under modification: every key present for the whole iteration is returned, however
// keys are added, deleted, renamed or re-created between calls, by many scans at once, and an
// iteration ends even while keys keep arriving.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';
import { seededRandom } from '../support/random';
import { decodeReply, items, text } from '../command/resp-value';
import { scanAll, scanShape } from './masks';

const errorsAndSmall: Step[] = [
  ['SCAN', 'x'],
  ['SCAN', ' 1'],
  ['SCAN', '1 '],
  ['SCAN', '0x10'],
  ['SCAN', '1.0'],
  ['SCAN', '+'],
  ['SCAN', '-'],
  ['SCAN', '18446744073709551616'],
  ['SCAN', '-18446744073709551616'],
  ['SCAN', '99999999999999999999999'],
  ['SCAN', 'x', 'COUNT', 'x'],
  ['SCAN', '0', 'COUNT', '0'],
  ['SCAN', '0', 'COUNT', '-1'],
  ['SCAN', '0', 'COUNT', 'x'],
  ['SCAN', '0', 'COUNT', '1.5'],
  ['SCAN', '0', 'COUNT', '9223372036854775808'],
  ['SCAN', '0', 'COUNT'],
  ['SCAN', '0', 'MATCH'],
  ['SCAN', '0', 'TYPE'],
  ['SCAN', '0', 'foo', 'bar'],
  ['SCAN', '0', 'COUNT', 'x', 'foo'],
  ['SCAN', '0', 'foo', 'bar', 'COUNT', 'x'],
  ['SCAN', '0', 'MATCH', '*', 'COUNT'],
  ['SCAN'],
  ['SCAN', '0'],
  ['SCAN', '0', 'MATCH', '*', 'COUNT', '5', 'TYPE', 'string'],
  ['SCAN', '0', 'count', '1', 'match', 'a', 'type', 'hash'],
  ['SET', 'a', '1'],
  ['SCAN', '0'],
  // With COUNT 1 Redis may stop after the bucket holding the key and hand out a cursor (hash seed dependent).
  { cmd: ['SCAN', '0', 'COUNT', '1'], mask: scanShape },
  ['SCAN', '0', 'COUNT', '9223372036854775807'],
  ['SCAN', '0', 'MATCH', 'a'],
  ['SCAN', '0', 'MATCH', 'b*'],
  ['SCAN', '0', 'MATCH', '[a]', 'MATCH', 'x'],
  ['SCAN', '0', 'TYPE', 'string'],
  ['SCAN', '0', 'TYPE', 'STRING'],
  ['SCAN', '0', 'TYPE', 'list'],
  ['SCAN', '0', 'TYPE', 'nosuch'],
  ['SCAN', '0', 'TYPE', 'string', 'MATCH', 'a'],
  ['SCAN', '+0'],
  ['SCAN', '-0'],
  ['SCAN', '00'],
  { cmd: ['SCAN', '-1'], mask: scanShape },
  { cmd: ['SCAN', '18446744073709551615'], mask: scanShape },
  { cmd: ['SCAN', '12345'], mask: scanShape },
];

/** Keys of a few shapes, so MATCH has something to choose from. */
function populate(n: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) out.push([i % 3 === 0 ? `user:${i}` : `item:${i}`, String(i)]);
  return out;
}

async function mset(client: RawClient, pairs: Array<[string, string]>): Promise<void> {
  for (let i = 0; i < pairs.length; i += 100) await client.call('MSET', ...pairs.slice(i, i + 100).flat());
}

t.test('SCAN matches Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  await t.test('errors and single pages', async (t) => {
    await pair.check(t, errorsAndSmall);
    await pair.check(t, errorsAndSmall, { resp: 3 });
  });
  await t.test('whole iterations return the same keys', async (t) => {
    const [r, s] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.sluice.port)]);
    t.teardown(() => {
      r.close();
      s.close();
    });
    const keys = populate(700);
    for (const c of [r, s]) {
      await c.call('FLUSHALL');
      await mset(c, keys);
    }
    for (const options of [[], ['COUNT', '1000'], ['COUNT', '7'], ['MATCH', 'user:*'], ['MATCH', '*1?', 'COUNT', '3'], ['TYPE', 'string'], ['TYPE', 'hash']]) {
      const [expected, actual] = await Promise.all([scanAll(r, options), scanAll(s, options)]);
      t.same([...new Set(actual.keys)], [...new Set(expected.keys)], `SCAN ${options.join(' ')}: same keys`);
      // Nothing changed during the iteration, so Sluice returns each key exactly once.
      t.equal(new Set(actual.keys).size, actual.keys.length, `SCAN ${options.join(' ')}: no duplicates`);
    }
    // COUNT bounds the work of a call: 700 keys at COUNT 7 take about 100 calls.
    const paged = await scanAll(s, ['COUNT', '7']);
    t.ok(paged.calls >= 100 && paged.calls <= 101, `COUNT 7 over 700 keys took ${paged.calls} calls`);
  });
});

t.test('SCAN keeps its guarantee while the keyspace changes', async (t) => {
  const seed = Number(process.env.SEED ?? Date.now() % 1000000);
  t.comment(`seed ${seed} (rerun with SEED=${seed})`);
  const random = seededRandom(seed);
  const server = await startSluice();
  const client = await RawClient.connect(server.port);
  t.teardown(async () => {
    client.close();
    await server.stop();
  });

  const stable = Array.from({ length: 1500 }, (_, i) => `stable:${i}`);
  const churn = Array.from({ length: 1000 }, (_, i) => `churn:${i}`);
  await mset(client, stable.map((k) => [k, 'v']));
  await mset(client, churn.map((k) => [k, 'v']));

  /** Changes between two SCAN calls: deletes, new keys, re-created and renamed keys, overwrites. */
  let fresh = 0;
  async function disturb(): Promise<void> {
    const commands: string[][] = [];
    for (let i = 0; i < 20; i++) {
      const victim = churn[Math.floor(random() * churn.length)]!;
      const roll = random();
      if (roll < 0.3) commands.push(['DEL', victim]);
      else if (roll < 0.5) commands.push(['DEL', victim], ['SET', victim, 'again']);
      else if (roll < 0.7) commands.push(['RENAME', victim, `renamed:${fresh++}`]);
      else commands.push(['SET', `new:${fresh++}`, 'v']);
      // Overwriting a stable key must not move it out of the iteration.
      commands.push(['SET', stable[Math.floor(random() * stable.length)]!, 'changed']);
    }
    for (const command of commands) await client.call(...command);
  }

  await t.test('one scan, keys changing between calls', async (t) => {
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, page] = items(decodeReply(await client.call('SCAN', cursor, 'COUNT', '50')));
      cursor = text(next!);
      for (const key of items(page!)) seen.add(text(key));
      await disturb();
      calls++;
    } while (cursor !== '0' && calls < 10000);
    t.equal(cursor, '0', 'the iteration ends');
    t.same(stable.filter((k) => !seen.has(k)), [], 'every stable key was returned');
    t.ok(calls < 200, `it took ${calls} calls`);
  });

  await t.test('many scans at once, more than the open-iterator cache holds', async (t) => {
    const scans = Array.from({ length: 300 }, () => ({ cursor: '0', seen: new Set<string>(), done: false }));
    let rounds = 0;
    while (scans.some((s) => !s.done) && rounds++ < 1000) {
      for (const scan of scans) {
        if (scan.done) continue;
        const [next, page] = items(decodeReply(await client.call('SCAN', scan.cursor, 'COUNT', '400')));
        scan.cursor = text(next!);
        for (const key of items(page!)) scan.seen.add(text(key));
        if (scan.cursor === '0') scan.done = true;
      }
      await disturb();
    }
    t.ok(scans.every((s) => s.done), 'every iteration ends');
    const missing = scans.map((s) => stable.filter((k) => !s.seen.has(k)).length);
    t.same(missing.filter((n) => n > 0), [], 'every scan returned every stable key');
  });

  await t.test('an iteration ends while keys keep arriving', async (t) => {
    const before = Number((await client.call('DBSIZE')).toString('latin1').slice(1, -2));
    let cursor = '0';
    let calls = 0;
    let added = 0;
    do {
      const [next] = items(decodeReply(await client.call('SCAN', cursor, 'COUNT', '100')));
      cursor = text(next!);
      const batch: string[] = [];
      for (let i = 0; i < 150; i++) batch.push(`flood:${added++}`, 'v');
      await client.call('MSET', ...batch);
      calls++;
    } while (cursor !== '0' && calls < 1000);
    t.equal(cursor, '0', 'the iteration ends');
    t.ok(calls <= Math.ceil(before / 100) + 1, `${calls} calls for ${before} keys present at the start`);
  });

  await t.test('a cursor that was never handed out still ends the iteration', async (t) => {
    for (const start of ['123', '18446744073709551615', '-1']) {
      const [next] = items(decodeReply(await client.call('SCAN', start, 'COUNT', '1000000')));
      t.equal(text(next!), '0', `SCAN ${start} COUNT 1000000 finishes in one call`);
    }
  });
});
