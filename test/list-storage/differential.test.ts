// storage/list.ts against real Redis: seeded random list commands run on redis-server and on two
// RedisLists, with each answer encoded as the RESP2 reply a command built on the list would send,
// compared byte for byte. Covers the semantics Redis 7.0 and 7.2 share (index rules, LINSERT, LSET,
// LREM directions, LTRIM, LPOS RANK/COUNT/MAXLEN, pops with COUNT, LMOVE); encodings are left to
// nodes.test.ts, since Redis 7.0 has no listpack lists. Replay a failure with SEED=<seed>.

import t from 'tap';
import { RedisList, type ListEnd } from '../../storage/list';
import { encodeCommand, RawClient } from '../support/resp';
import { redisSkip } from '../support/differential';
import { startRedis } from '../support/servers';
import { seededRandom } from '../support/random';

const SEEDS = 6;
const OPS = 300;

const bulk = (s: string | undefined) => (s === undefined ? '$-1\r\n' : `$${s.length}\r\n${s}\r\n`);
const int = (n: number) => `:${n}\r\n`;
const array = (items: string[]) => `*${items.length}\r\n${items.join('')}`;

t.test('random list commands answer as Redis does', { skip: redisSkip }, async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const client = await RawClient.connect(redis.port);
  const base = Number(process.env.SEED ?? Date.now() % 1000000);
  t.comment(`seeds ${base}..${base + SEEDS - 1} (rerun with SEED=${base})`);
  for (let seed = base; seed < base + SEEDS; seed++) {
    await client.call('FLUSHALL');
    const random = seededRandom(seed);
    const n = (k: number) => Math.floor(random() * k);
    const pick = <T>(items: readonly T[]): T => items[n(items.length)]!;
    const element = (): string => {
      const roll = random();
      if (roll < 0.4) return pick(['a', 'b', 'c', '', '1', '-7', 'a']);
      if (roll < 0.7) return `e${n(30)}`;
      if (roll < 0.9) return String.fromCharCode(...Array.from({ length: 1 + n(40) }, () => n(256)));
      return pick(['m', 'n']).repeat(2000 + n(8000));
    };
    const lists = new Map<string, RedisList>();
    const existing = (key: string) => lists.get(key);
    const ensure = (key: string) => {
      let list = lists.get(key);
      if (list === undefined) lists.set(key, (list = new RedisList()));
      return list;
    };
    const settle = (key: string) => {
      if (lists.get(key)?.length === 0) lists.delete(key);
    };
    const side = (end: ListEnd) => (end === 'left' ? 'LEFT' : 'RIGHT');
    for (let op = 0; op < OPS; op++) {
      const key = random() < 0.7 ? 'k' : 'k2';
      const other = key === 'k' ? 'k2' : 'k';
      const end: ListEnd = random() < 0.5 ? 'left' : 'right';
      const list = existing(key);
      const length = list?.length ?? 0;
      const index = () => n(length * 2 + 3) - length - 1;
      const roll = random();
      let command: string[];
      let expected: string;
      if (roll < 0.2) {
        const elements = Array.from({ length: 1 + n(4) }, element);
        command = [end === 'left' ? 'LPUSH' : 'RPUSH', key, ...elements];
        expected = int(ensure(key).push(elements, end));
      } else if (roll < 0.3) {
        command = [end === 'left' ? 'LPOP' : 'RPOP', key];
        expected = bulk(list?.pop(end));
      } else if (roll < 0.36) {
        const count = n(5);
        command = [end === 'left' ? 'LPOP' : 'RPOP', key, String(count)];
        expected = list === undefined ? '*-1\r\n' : array(list.popMany(count, end).map(bulk));
      } else if (roll < 0.43) {
        const i = index();
        command = ['LINDEX', key, String(i)];
        expected = bulk(list?.index(i));
      } else if (roll < 0.5) {
        const [a, b] = [index(), index()];
        command = ['LRANGE', key, String(a), String(b)];
        expected = array((list?.range(a, b) ?? []).map(bulk));
      } else if (roll < 0.57) {
        const i = index();
        const value = element();
        command = ['LSET', key, String(i), value];
        expected = list === undefined ? '-ERR no such key\r\n' : list.set(i, value) ? '+OK\r\n' : '-ERR index out of range\r\n';
      } else if (roll < 0.64) {
        const pivot = list !== undefined && random() < 0.8 ? pick(list.toArray()) : element();
        const value = element();
        const where = random() < 0.5 ? 'before' : 'after';
        command = ['LINSERT', key, where.toUpperCase(), pivot, value];
        expected = int(list === undefined ? 0 : list.insert(pivot, value, where));
      } else if (roll < 0.72) {
        const value = list !== undefined && random() < 0.7 ? pick(list.toArray()) : element();
        const count = n(7) - 3;
        command = ['LREM', key, String(count), value];
        expected = int(list?.remove(count, value) ?? 0);
      } else if (roll < 0.78) {
        const [a, b] = [n(length + 3) - 1, index()];
        command = ['LTRIM', key, String(a), String(b)];
        list?.trim(a, b);
        expected = '+OK\r\n';
      } else if (roll < 0.88) {
        const value = list !== undefined && random() < 0.7 ? pick(list.toArray()) : element();
        const rank = (n(3) + 1) * (random() < 0.5 ? -1 : 1);
        const count = random() < 0.4 ? undefined : n(4);
        const maxlen = random() < 0.6 ? undefined : n(length + 2);
        command = ['LPOS', key, value, 'RANK', String(rank)];
        if (count !== undefined) command.push('COUNT', String(count));
        if (maxlen !== undefined) command.push('MAXLEN', String(maxlen));
        const found = list?.positions(value, { rank, count, maxlen }) ?? [];
        expected = count !== undefined ? array(found.map(int)) : found.length === 0 ? '$-1\r\n' : int(found[0]!);
      } else if (roll < 0.97) {
        const to: ListEnd = random() < 0.5 ? 'left' : 'right';
        const destination = random() < 0.3 ? key : other;
        command = ['LMOVE', key, destination, side(end), side(to)];
        expected = bulk(list?.move(ensure(destination), end, to));
        settle(destination);
      } else {
        command = ['LLEN', key];
        expected = int(length);
      }
      settle(key);
      const reply = await client.call(...command.map((a) => Buffer.from(a, 'latin1')));
      if (!reply.equals(Buffer.from(expected, 'latin1'))) {
        t.fail(
          `seed ${seed}, op ${op}: ${command.map((a) => (a.length > 30 ? `${a.slice(0, 10)}...(${a.length})` : JSON.stringify(a))).join(' ')}\n` +
            `  redis: ${JSON.stringify(reply.toString('latin1').slice(0, 300))}\n  ours:  ${JSON.stringify(expected.slice(0, 300))}`,
        );
        return;
      }
    }
    // And the final contents, key by key.
    for (const key of ['k', 'k2']) {
      const reply = await client.call('LRANGE', key, '0', '-1');
      const mine = array((lists.get(key)?.toArray() ?? []).map(bulk));
      if (!reply.equals(Buffer.from(mine, 'latin1'))) {
        t.fail(`seed ${seed}: final contents of ${key} differ`);
        return;
      }
    }
  }
  t.pass(`${SEEDS * OPS} commands answered as Redis does`);
  client.write(encodeCommand(['QUIT']));
});
