// Not a test: the script that recorded test/stream-storage/fixtures/*.json from a real Redis, so the
// tests can check Sluice's stream storage against Redis's answers without a server at test time.
//
//   redis-server --port 7391 --bind 127.0.0.1 --save '' &     (any free port, loopback)
//   node dist/test/stream-storage/redis-fixtures.js 7391
//
// ids.json:       how Redis parses ID arguments (XADD on a fresh key, XGROUP SETID, XRANGE bounds).
// lag.json:       hand-written sequences around entries-read and lag (NAMED_SCENARIOS), same record.
// scenarios.json: seeded random sequences of XADD/XDEL/XTRIM/XGROUP/XREADGROUP/XACK/XSETID with
//                 explicit IDs (no clock), and after every step the reply and what XINFO STREAM and
//                 XINFO GROUPS report (length, radix-tree-keys, counters, entries-read, lag, pending).

import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { seededRandom } from '../support/random';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'stream-storage', 'fixtures');

type Reply = null | number | string | Reply[] | { error: string };

async function call(redis: Redis, args: string[]): Promise<Reply> {
  try {
    const out = await redis.call(args[0]!, ...args.slice(1));
    return normalize(out);
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function normalize(x: unknown): Reply {
  if (x === null || x === undefined) return null;
  if (typeof x === 'number' || typeof x === 'string') return x;
  if (Buffer.isBuffer(x)) return x.toString('latin1');
  if (Array.isArray(x)) return x.map(normalize);
  return String(x);
}

/** ID arguments worth asking Redis about. */
export const ID_INPUTS: string[] = [
  '0', '0-0', '0-1', '1', '1-1', '5-3', '-', '+', '*', '5-*', '0-*', '*-5', '', '-5', '5-', '--5', '5--3', '5--0',
  ' 5-1', '5- 3', '+5-1', '5-+3', '007-01', '00000000000000000000000005-1', '5-1-2', '5.0-1', '0x10-1',
  '18446744073709551615', '18446744073709551615-18446744073709551615', '18446744073709551616-0',
  '18446744073709551615-18446744073709551616', '9223372036854775807-9223372036854775808',
  '9007199254740993-9007199254740993', '-0', '5--18446744073709551615', '5- -1', '\t7-2', '7-2 ', '5-1\x00zz', '\x005-1',
  '5\x00-1', '(5-1', '(-', '(+', '(', '((5', '(5', '( 5', 'abc', '1e3-1', '\v9-\f9', '-1-1', '+-1',
  'x'.repeat(130), '1'.repeat(127), '0'.repeat(127) + '1',
];

async function idFixtures(redis: Redis): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const input of ID_INPUTS) {
    await call(redis, ['DEL', 'fx:id']);
    const xadd = await call(redis, ['XADD', 'fx:id', input, 'f', 'v']);
    await call(redis, ['DEL', 'fx:id']);
    await call(redis, ['XADD', 'fx:id', '1-1', 'f', 'v']);
    await call(redis, ['XGROUP', 'CREATE', 'fx:id', 'g', '0']);
    const setid = await call(redis, ['XGROUP', 'SETID', 'fx:id', 'g', input]);
    const groups = (await call(redis, ['XINFO', 'GROUPS', 'fx:id'])) as Reply[][];
    const lastDelivered = (groups[0] as string[])[(groups[0] as string[]).indexOf('last-delivered-id') + 1];
    const rangeStart = await call(redis, ['XRANGE', 'fx:none', input, '+']);
    const rangeEnd = await call(redis, ['XRANGE', 'fx:none', '-', input]);
    out.push({ input, xadd, setid: typeof setid === 'object' && setid !== null && 'error' in setid ? setid : lastDelivered, rangeStart, rangeEnd });
  }
  await call(redis, ['DEL', 'fx:id']);
  return out;
}

interface Step {
  cmd: string[];
  reply: Reply;
  info: Reply;
  groups: Reply;
}

/** A seeded random scenario: commands against key "s", with what Redis answered after each. */
async function scenario(redis: Redis, seed: number, steps: number): Promise<{ seed: number; config: [number, number]; steps: Step[] }> {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const configs: Array<[number, number]> = [[4096, 100], [4096, 5], [200, 0], [300, 7], [0, 3], [100, 1]];
  const config = configs[seed % configs.length]!;
  await call(redis, ['CONFIG', 'SET', 'stream-node-max-bytes', String(config[0])]);
  await call(redis, ['CONFIG', 'SET', 'stream-node-max-entries', String(config[1])]);
  await call(redis, ['DEL', 's']);
  const ids: string[] = [];
  let lastMs = 1 + int(3);
  let lastSeq = 0;
  const groups = ['g1', 'g2', 'g3'];
  const consumers = ['alice', 'bob'];
  const names = ['a', 'b', 'c', 'name', '1', '-7'];
  const value = (): string => {
    const r = random();
    if (r < 0.3) return String(int(300) - 50);
    if (r < 0.4) return pick(['007', '-0', '', '12345678901234567890', '9223372036854775807', '-9223372036854775808', '1e5']);
    if (r < 0.9) return 'v' + 'x'.repeat(int(8));
    return 'L'.repeat(40 + int(200));
  };
  const anId = (): string => {
    if (ids.length > 0 && random() < 0.8) return pick(ids);
    return `${int(lastMs + 2)}-${int(4)}`;
  };
  const out: Step[] = [];
  for (let i = 0; i < steps; i++) {
    const r = random();
    let cmd: string[];
    if (r < 0.4) {
      // XADD with an explicit or <ms>-* ID, optional trim.
      if (random() < 0.5) lastSeq += 1 + int(2);
      else {
        lastMs += 1 + int(3);
        lastSeq = int(2);
      }
      const idArg = random() < 0.2 ? `${lastMs}-*` : `${lastMs}-${lastSeq}`;
      const pairs: string[] = [];
      const same = random() < 0.6;
      const n = same ? 2 : 1 + int(3);
      for (let k = 0; k < n; k++) pairs.push(same ? names[k]! : pick(names), value());
      cmd = ['XADD', 's'];
      if (random() < 0.25) {
        cmd.push(random() < 0.5 ? 'MAXLEN' : 'MINID', random() < 0.6 ? '~' : '=');
        cmd.push(cmd[2] === 'MAXLEN' ? String(int(40)) : anId());
        if (cmd[3] === '~' && random() < 0.4) cmd.push('LIMIT', String(int(12)));
      }
      cmd.push(idArg, ...pairs);
    } else if (r < 0.5) {
      cmd = ['XDEL', 's', anId()];
      if (random() < 0.4) cmd.push(anId(), anId());
    } else if (r < 0.58) {
      const approx = random() < 0.5;
      cmd = ['XTRIM', 's'];
      if (random() < 0.5) cmd.push('MAXLEN', approx ? '~' : '=', String(int(30)));
      else cmd.push('MINID', approx ? '~' : '=', anId());
      if (approx && random() < 0.5) cmd.push('LIMIT', String(int(15)));
    } else if (r < 0.64) {
      cmd = ['XGROUP', 'CREATE', 's', pick(groups), random() < 0.3 ? '$' : random() < 0.5 ? '0' : anId()];
      if (random() < 0.3) cmd.push('ENTRIESREAD', String(int(10) - 1));
    } else if (r < 0.68) {
      cmd = ['XGROUP', 'SETID', 's', pick(groups), random() < 0.3 ? '$' : random() < 0.3 ? '0' : anId()];
      if (random() < 0.4) cmd.push('ENTRIESREAD', String(int(12) - 1));
    } else if (r < 0.84) {
      cmd = ['XREADGROUP', 'GROUP', pick(groups), pick(consumers), 'COUNT', String(1 + int(6))];
      if (random() < 0.15) cmd.push('NOACK');
      cmd.push('STREAMS', 's', '>');
    } else if (r < 0.92) {
      cmd = ['XACK', 's', pick(groups), anId(), anId()];
    } else if (r < 0.98) {
      const bump = random();
      const target = bump < 0.2 ? anId() : `${lastMs + int(3)}-${lastSeq + int(5)}`;
      cmd = ['XSETID', 's', target];
      if (random() < 0.4) cmd.push('ENTRIESADDED', String(int(40)));
      if (random() < 0.3) cmd.push('MAXDELETEDID', anId());
    } else {
      cmd = ['XGROUP', 'DESTROY', 's', pick(groups)];
    }
    const reply = await call(redis, cmd);
    if (cmd[0] === 'XADD' && typeof reply === 'string') {
      ids.push(reply);
      const [ms, seq] = reply.split('-');
      lastMs = Number(ms);
      lastSeq = Number(seq);
    }
    if (cmd[0] === 'XSETID' && reply === 'OK') {
      const [ms, seq] = cmd[2]!.split('-');
      if (Number(ms) > lastMs || (Number(ms) === lastMs && Number(seq) > lastSeq)) {
        lastMs = Number(ms);
        lastSeq = Number(seq);
      }
    }
    const info = await call(redis, ['XINFO', 'STREAM', 's']);
    const gr = await call(redis, ['XINFO', 'GROUPS', 's']);
    out.push({ cmd, reply: compactReply(cmd, reply), info: compactInfo(info), groups: compactGroups(gr) });
  }
  return { seed, config, steps: out };
}

/** XREADGROUP's and XRANGE's replies as the IDs only. */
function compactReply(cmd: string[], reply: Reply): Reply {
  if ((cmd[0] === 'XRANGE' || cmd[0] === 'XREVRANGE') && Array.isArray(reply)) return reply.map((e) => (e as Reply[])[0]!);
  if (cmd[0] !== 'XREADGROUP' || !Array.isArray(reply)) return reply;
  // RESP2: [[key, entries]]; RESP3 (a map, which ioredis flattens): [key, entries].
  const entries = (typeof reply[0] === 'string' ? reply[1] : (reply[0] as Reply[])[1]) as Reply[][];
  return entries.map((e) => e[0]!);
}

/** XINFO STREAM as [length, radix-tree-keys, last-generated-id, max-deleted-entry-id, entries-added,
 * recorded-first-entry-id, first entry ID, last entry ID] (null when the key is missing). */
function compactInfo(info: Reply): Reply {
  if (!Array.isArray(info)) return null;
  const get = (k: string): Reply => info[info.indexOf(k) + 1]!;
  const entryId = (e: Reply): Reply => (Array.isArray(e) ? e[0]! : null);
  return [get('length'), get('radix-tree-keys'), get('last-generated-id'), get('max-deleted-entry-id'), get('entries-added'),
    get('recorded-first-entry-id'), entryId(get('first-entry')), entryId(get('last-entry'))];
}

/** XINFO GROUPS as [name, consumers, pending, last-delivered-id, entries-read, lag] per group. */
function compactGroups(groups: Reply): Reply {
  if (!Array.isArray(groups)) return null;
  return groups.map((g) => {
    const a = g as Reply[];
    const get = (k: string): Reply => a[a.indexOf(k) + 1]!;
    return [get('name'), get('consumers'), get('pending'), get('last-delivered-id'), get('entries-read'), get('lag')];
  });
}

/** Hand-written sequences around entries-read and lag (after Redis's own stream-cgroups tests). */
export const NAMED_SCENARIOS: Record<string, string[][]> = (() => {
  const add = (...ids: string[]) => ids.map((id) => ['XADD', 's', id, 'data', id]);
  const read = (group: string, count: number, ...extra: string[]) => ['XREADGROUP', 'GROUP', group, 'c1', 'COUNT', String(count), ...extra, 'STREAMS', 's', '>'];
  const five = add('1-0', '2-0', '3-0', '4-0', '5-0');
  return {
    'read counter and lag sanity': [...five, ['XGROUP', 'CREATE', 's', 'g1', '0'], read('g1', 1), read('g1', 1), read('g1', 1), read('g1', 1), read('g1', 1), ...add('6-0'), read('g1', 1)],
    'lag with an XDEL ahead of the group': [...five, ['XDEL', 's', '3-0'], ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XGROUP', 'CREATE', 's', 'g2', '0'], read('g1', 1), read('g1', 1), read('g1', 1), read('g1', 1), ...add('6-0'), read('g1', 1), read('g2', 10)],
    'XDEL of the first entry': [...five, ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XDEL', 's', '1-0'], read('g1', 1), ['XDEL', 's', '2-0'], read('g1', 1), read('g1', 1)],
    'tombstone after the group': [...five, ['XGROUP', 'CREATE', 's', 'g1', '0'], read('g1', 2), ['XDEL', 's', '4-0'], read('g1', 1), read('g1', 1), ['XDEL', 's', '5-0'], ...add('6-0'), read('g1', 5)],
    'tombstone behind the group': [...five, ['XGROUP', 'CREATE', 's', 'g1', '0'], read('g1', 3), ['XDEL', 's', '2-0'], read('g1', 1), ...add('6-0'), read('g1', 1)],
    'XTRIM ahead of and behind the group': [...five, ...add('6-0', '7-0', '8-0', '9-0', '10-0'), ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XGROUP', 'CREATE', 's', 'g2', '0', 'ENTRIESREAD', '0'], ['XTRIM', 's', 'MAXLEN', '5'], read('g1', 3), ['XTRIM', 's', 'MAXLEN', '1'], read('g1', 3), read('g2', 1)],
    'XSETID with ENTRIESADDED and MAXDELETEDID': [...add('1-0', '2-0', '3-0'), ['XGROUP', 'CREATE', 's', 'g1', '0'], read('g1', 1), ['XSETID', 's', '3-0', 'ENTRIESADDED', '10', 'MAXDELETEDID', '2-0'], read('g1', 1), ['XSETID', 's', '9-0'], ...add('10-0'), read('g1', 5), ['XSETID', 's', '10-0', 'ENTRIESADDED', '3']],
    'everything deleted': [...add('1-0', '2-0'), ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XDEL', 's', '1-0', '2-0'], ['XGROUP', 'CREATE', 's', 'g2', '$'], ['XGROUP', 'CREATE', 's', 'g3', '1-5'], ...add('3-0'), read('g1', 5), read('g2', 5), read('g3', 5)],
    'ENTRIESREAD given and SETID': [...five, ['XGROUP', 'CREATE', 's', 'g1', '2-0', 'ENTRIESREAD', '2'], ['XGROUP', 'CREATE', 's', 'g2', '$'], ['XGROUP', 'CREATE', 's', 'g3', '0', 'ENTRIESREAD', '4'], read('g1', 1), read('g3', 1), ['XGROUP', 'SETID', 's', 'g1', '1-0'], read('g1', 1), ['XGROUP', 'SETID', 's', 'g2', '0', 'ENTRIESREAD', '-1'], read('g2', 2), ['XGROUP', 'SETID', 's', 'g3', '$'], ...add('6-0'), read('g3', 1)],
    'NOACK reads': [...five, ['XGROUP', 'CREATE', 's', 'g1', '0'], read('g1', 2, 'NOACK'), ['XDEL', 's', '4-0'], read('g1', 2, 'NOACK'), read('g1', 2)],
    'redelivery after SETID back': [...five, ['XGROUP', 'CREATE', 's', 'g1', '0'], read('g1', 3), ['XGROUP', 'SETID', 's', 'g1', '0'], ['XREADGROUP', 'GROUP', 'g1', 'c2', 'COUNT', '2', 'STREAMS', 's', '>'], ['XACK', 's', 'g1', '1-0', '3-0']],
    // An exact MINID trim leaves its node with tombstones only; XSETID (7.0 has no max-deleted check)
    // then moves the last ID below them, and Redis appends after the tombstones, or files new nodes
    // before the node with the greatest key.
    'appends below tombstones after XSETID (node not full)': [
      ...add('5-0', '6-0'), ['XDEL', 's', '6-0'], ['XTRIM', 's', 'MINID', '6-0'], ['XSETID', 's', '2-0'], ...add('3-0', '4-0'),
      ['XRANGE', 's', '-', '+'], ['XREVRANGE', 's', '+', '-'], ...add('4-1', '4-2'), ['XRANGE', 's', '-', '+'], ['XRANGE', 's', '4-0', '4-1'],
      ['XDEL', 's', '4-1'], ['XRANGE', 's', '-', '+'], ['XTRIM', 's', 'MAXLEN', '~', '1'], ['XRANGE', 's', '-', '+'], ['XTRIM', 's', 'MINID', '4-2'], ['XRANGE', 's', '-', '+'],
    ],
    'appends below tombstones after XSETID (node full)': [
      ...add('5-0', '6-0', '7-0', '8-0'), ['XDEL', 's', '7-0'], ['XTRIM', 's', 'MINID', '7-0'], ['XDEL', 's', '8-0'], ['XSETID', 's', '2-0'],
      ...add('3-0', '4-0', '4-1'), ['XRANGE', 's', '-', '+'], ['XREVRANGE', 's', '+', '-', 'COUNT', '2'], ['XRANGE', 's', '4', '+'], ['XGROUP', 'CREATE', 's', 'g1', '0'], read('g1', 2), read('g1', 5),
      ['XTRIM', 's', 'MAXLEN', '1'], ['XRANGE', 's', '-', '+'],
    ],
    'maximum IDs': [['XADD', 's', '18446744073709551615-18446744073709551614', 'a', '1'], ['XGROUP', 'CREATE', 's', 'g1', '0'], ['XADD', 's', '18446744073709551615-*', 'a', '2'], ['XADD', 's', '18446744073709551615-*', 'a', '3'], read('g1', 5), ['XDEL', 's', '18446744073709551615-18446744073709551615'], ['XTRIM', 's', 'MINID', '18446744073709551615-18446744073709551615']],
  };
})();

async function named(redis: Redis): Promise<Array<{ name: string; steps: Step[] }>> {
  await call(redis, ['CONFIG', 'SET', 'stream-node-max-bytes', '4096']);
  await call(redis, ['CONFIG', 'SET', 'stream-node-max-entries', '3']);
  const out: Array<{ name: string; steps: Step[] }> = [];
  for (const [name, cmds] of Object.entries(NAMED_SCENARIOS)) {
    await call(redis, ['DEL', 's']);
    const steps: Step[] = [];
    for (const cmd of cmds) {
      const reply = await call(redis, cmd);
      steps.push({ cmd, reply: compactReply(cmd, reply), info: compactInfo(await call(redis, ['XINFO', 'STREAM', 's'])), groups: compactGroups(await call(redis, ['XINFO', 'GROUPS', 's'])) });
    }
    out.push({ name, steps });
  }
  await call(redis, ['DEL', 's']);
  return out;
}

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? 7391);
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: false });
  const version = ((await call(redis, ['INFO', 'server'])) as string).match(/redis_version:(\S+)/)![1];
  mkdirSync(FIXTURES, { recursive: true });
  const ids = await idFixtures(redis);
  writeFileSync(join(FIXTURES, 'ids.json'), JSON.stringify({ redis: version, ids }, null, 0) + '\n');
  const scenarios = [];
  for (let seed = 1; seed <= 36; seed++) scenarios.push(await scenario(redis, seed, 70));
  const lag = await named(redis);
  await call(redis, ['CONFIG', 'SET', 'stream-node-max-bytes', '4096']);
  await call(redis, ['CONFIG', 'SET', 'stream-node-max-entries', '100']);
  writeFileSync(join(FIXTURES, 'lag.json'), JSON.stringify({ redis: version, nodeLimits: [4096, 3], scenarios: lag }, null, 1) + '\n');
  writeFileSync(join(FIXTURES, 'scenarios.json'), JSON.stringify({ redis: version, scenarios }) + '\n');
  redis.disconnect();
  process.stdout.write(`recorded from Redis ${version}: ${ids.length} ID inputs, ${scenarios.length} scenarios\n`);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(String(err) + '\n');
    process.exit(1);
  });
}
