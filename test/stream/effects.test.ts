// Stream effects through the engine: the same effects give the same state (canonical dump and
// serialized blocks); a change to a missing key creates a stream only when it should (XADD), and
// a change to another type does nothing; COPY is deep; xrestore rebuilds a stream block for block;
// the canonical dump tells streams apart by their data.

import t from 'tap';
import { Engine } from '../../storage/engine';
import type { Effect } from '../../storage/effects';
import { canonicalDump, dumpDigest } from '../../storage/dump';
import { encodingOf } from '../../storage/encoding';
import { typeName } from '../../storage/keyspace';
import { Stream, serializeStream, type StreamChange } from '../../storage/stream';
import { seededRandom } from '../support/random';

const x = (key: string, change: StreamChange, db = 0): Effect => ({ op: 'stream', db, key, change });
const streamAt = (e: Engine, key: string, db = 0) => e.dbs[db]!.entries.get(key)!.value as Stream;

function randomStreamEffects(seed: number, count: number): Effect[] {
  const random = seededRandom(seed);
  const keys = ['a', 'b'];
  const last = new Map<string, number>();
  const out: Effect[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys[Math.floor(random() * keys.length)]!;
    const roll = random();
    if (roll < 0.8) {
      const ms = (last.get(key) ?? 0) + 1 + Math.floor(random() * 3);
      last.set(key, ms);
      const limits = random() < 0.3 ? { nodeMaxBytes: 300, nodeMaxEntries: 5 } : {};
      out.push(x(key, { op: 'xadd', id: `${ms}-0`, fields: ['f', 'v'.repeat(Math.floor(random() * 40)), 'g', String(i)], ...limits }));
    } else if (roll < 0.9) {
      out.push(x(key, { op: 'xtrim', trim: { strategy: 'maxlen', maxLen: Math.floor(random() * 30) } }));
    } else if (roll < 0.95) {
      out.push(x(key, { op: 'xdel', ids: [`${Math.floor(random() * (last.get(key) ?? 1))}-0`] }));
    } else {
      out.push({ op: 'copy', db: 0, from: key, toDb: 0, to: key === 'a' ? 'b' : 'a' });
      last.set(key === 'a' ? 'b' : 'a', last.get(key) ?? 0);
    }
  }
  return out;
}

const blocks = (e: Engine) =>
  [...e.dbs[0]!.entries].map(([key, entry]) => `${key}:${serializeStream(entry.value as Stream).toString('hex')}`).sort().join('\n');

t.test('the same stream effects give the same state, block for block', async (t) => {
  for (const seed of [1, 2, 3, 4]) {
    const effects = randomStreamEffects(seed, 500);
    const a = new Engine({ databases: 1 });
    const b = new Engine({ databases: 1 });
    for (const effect of effects) a.replay(effect);
    for (const effect of effects) b.replay(effect);
    t.equal(canonicalDump(b), canonicalDump(a), `seed ${seed}: same dump`);
    t.equal(blocks(b), blocks(a), `seed ${seed}: same blocks`);
    t.ok(a.dbs[0]!.size > 0, `seed ${seed}: streams were made`);
  }
});

t.test('which changes create a stream, and changes to other types', async (t) => {
  const e = new Engine({ databases: 1 });
  e.replay(x('s', { op: 'xtrim', trim: { strategy: 'maxlen', maxLen: 0 } }));
  e.replay(x('s', { op: 'xdel', ids: ['1-0'] }));
  e.replay(x('s', { op: 'xsetid', lastId: '5-0' }));
  t.equal(e.dbs[0]!.size, 0, 'no stream made by trims, deletes or XSETID');
  e.replay(x('s', { op: 'xadd', id: '1-0', fields: ['f', 'v'] }));
  t.equal(typeName(e.dbs[0]!.entries.get('s')!.value), 'stream');
  t.equal(encodingOf(e.dbs[0]!.entries.get('s')!), 'stream');
  e.replay(x('s', { op: 'xtrim', trim: { strategy: 'maxlen', maxLen: 0 } }));
  t.equal(streamAt(e, 's').length, 0, 'an emptied stream stays (as in Redis)');
  e.replay({ op: 'set', db: 0, key: 'str', value: 'v', expireAtMs: null });
  e.replay(x('str', { op: 'xadd', id: '1-0', fields: ['f', 'v'] }));
  t.equal(e.dbs[0]!.entries.get('str')!.value, 'v', 'a change to a string does nothing');
});

t.test('COPY of a stream is deep; xrestore rebuilds it block for block', async (t) => {
  const e = new Engine({ databases: 2 });
  for (let i = 1; i <= 300; i++) e.replay(x('s', { op: 'xadd', id: `${i}-0`, fields: ['n', String(i)] }));
  e.replay(x('s', { op: 'xgroupcreate', group: 'g', lastId: '0-0', entriesRead: 0 }));
  e.replay(x('s', { op: 'xdeliver', group: 'g', consumer: 'c', atMs: 1000, ids: ['1-0', '2-0'], noack: false, lastId: '2-0', entriesRead: 2 }));
  e.replay({ op: 'copy', db: 0, from: 's', toDb: 1, to: 'c' });
  const before = canonicalDump({ dbs: [e.dbs[1]!] });
  e.replay(x('s', { op: 'xtrim', trim: { strategy: 'maxlen', maxLen: 10 } }));
  e.replay(x('s', { op: 'xack', group: 'g', ids: ['1-0'] }));
  t.equal(streamAt(e, 's').length, 10);
  t.equal(streamAt(e, 'c', 1).length, 300, 'the copy keeps its entries');
  t.equal(streamAt(e, 'c', 1).group('g')!.pel.size, 2, 'and its own PEL');
  t.equal(canonicalDump({ dbs: [e.dbs[1]!] }), before);
  const original = streamAt(e, 'c', 1);
  e.replay({ op: 'xrestore', db: 0, key: 'r', bytes: serializeStream(original), expireAtMs: 1700000000000 });
  t.same(serializeStream(streamAt(e, 'r')), serializeStream(original), 'same bytes, so the same blocks');
  t.equal(e.dbs[0]!.expiryOf('r'), 1700000000000);
  t.match(canonicalDump(e), /type=stream value=\{[0-9a-f]+\}/);
});

t.test('the dump sees stream data', async (t) => {
  const make = (value: string) => {
    const e = new Engine({ databases: 1 });
    e.replay(x('s', { op: 'xadd', id: '1-0', fields: ['f', value] }));
    return e;
  };
  t.equal(dumpDigest(make('a')), dumpDigest(make('a')));
  t.not(dumpDigest(make('a')), dumpDigest(make('b')));
  const e = make('a');
  e.replay(x('s', { op: 'xsetid', lastId: '9-0' }));
  t.not(dumpDigest(e), dumpDigest(make('a')), 'counters count');
});
