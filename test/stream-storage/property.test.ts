// Property test: random sequences of appends, deletes, trims, range reads, lookups, group
// deliveries, acks, claims, consumer deletion and snapshot round trips, against a plain-array model
// written here. Seeded; rerun a failure with SEED=<seed> (the comment line prints the range).

import t from 'tap';
import { seededRandom } from '../support/random';
import {
  type StreamId,
  type TrimSpec,
  MAX_ID,
  MIN_ID,
  Stream,
  canonicalStream,
  compareIds,
  copyStream,
  deserializeStream,
  formatId,
  incrId,
  serializeStream,
} from '../../storage/stream';

interface ModelEntry {
  id: StreamId;
  fields: string[];
}

interface ModelPending {
  consumer: string;
  time: number;
  count: number;
}

interface ModelGroup {
  lastId: StreamId;
  pel: Map<string, ModelPending & { id: StreamId }>;
  consumers: Set<string>;
}

class Model {
  entries: ModelEntry[] = [];
  lastId: StreamId = MIN_ID;
  maxDeleted: StreamId = MIN_ID;
  added = 0;
  groups = new Map<string, ModelGroup>();

  range(start: StreamId, end: StreamId, count: number, reverse: boolean): ModelEntry[] {
    const inRange = this.entries.filter((e) => compareIds(e.id, start) >= 0 && compareIds(e.id, end) <= 0);
    if (reverse) inRange.reverse();
    return count === 0 ? inRange : inRange.slice(0, count);
  }
}

const fromBig = (v: bigint): StreamId => {
  const ms = v >> 64n;
  const seq = v & 0xffffffffffffffffn;
  return { ms: ms <= 9007199254740991n ? Number(ms) : ms, seq: seq <= 9007199254740991n ? Number(seq) : seq };
};

function check(t: { fail(message: string): void }, stream: Stream, model: Model, where: string): boolean {
  const problems: string[] = [];
  if (stream.length !== model.entries.length) problems.push(`length ${stream.length} != ${model.entries.length}`);
  if (compareIds(stream.lastId, model.lastId) !== 0) problems.push(`lastId ${formatId(stream.lastId)} != ${formatId(model.lastId)}`);
  const first = model.entries[0]?.id ?? MIN_ID;
  if (compareIds(stream.firstId, first) !== 0) problems.push(`firstId ${formatId(stream.firstId)} != ${formatId(first)}`);
  if (compareIds(stream.maxDeletedEntryId, model.maxDeleted) !== 0) problems.push('maxDeleted');
  if (Number(stream.entriesAdded) !== model.added) problems.push(`entriesAdded ${stream.entriesAdded} != ${model.added}`);
  const got: string[] = [];
  stream.range(MIN_ID, MAX_ID, 0, false, (e) => {
    got.push(`${e.idText()} ${e.pairs().join(',')}`);
  });
  const want = model.entries.map((e) => `${formatId(e.id)} ${e.fields.join(',')}`);
  if (got.join('|') !== want.join('|')) problems.push(`entries differ:\n got  ${got.slice(0, 8).join('|')}\n want ${want.slice(0, 8).join('|')}`);
  for (const [name, mg] of model.groups) {
    const g = stream.group(name);
    if (g === undefined) {
      problems.push(`group ${name} missing`);
      continue;
    }
    if (compareIds(g.lastId, mg.lastId) !== 0) problems.push(`group ${name} lastId`);
    const pel = g.pel.toArray().map((e) => `${formatId(e.id)}:${e.consumer.name}:${e.deliveryTimeMs}:${e.deliveryCount}`);
    const mpel = [...mg.pel.values()]
      .sort((a, b) => compareIds(a.id, b.id))
      .map((p) => `${formatId(p.id)}:${p.consumer}:${p.time}:${p.count}`);
    if (pel.join('|') !== mpel.join('|')) problems.push(`group ${name} PEL differs`);
    for (const c of g.consumers.values()) {
      const own = c.pel.toArray().map((e) => formatId(e.id));
      const mown = [...mg.pel.values()].filter((p) => p.consumer === c.name).sort((a, b) => compareIds(a.id, b.id)).map((p) => formatId(p.id));
      if (own.join('|') !== mown.join('|')) problems.push(`consumer ${c.name} PEL differs`);
      c.pel.check();
    }
    g.pel.check();
    if ([...g.consumers.keys()].sort().join(',') !== [...mg.consumers].sort().join(',')) problems.push(`group ${name} consumers differ`);
  }
  if (stream.groupCount !== model.groups.size) problems.push('group count');
  if (problems.length > 0) {
    t.fail(`${where}: ${problems.join('; ')}`);
    return false;
  }
  return true;
}

t.test('random operations agree with a plain-array model', async (t) => {
  const base = Number(process.env.SEED ?? Date.now() % 1000000);
  const seeds = Number(process.env.SEEDS ?? 40);
  t.comment(`seeds ${base}..${base + seeds - 1} (rerun with SEED=${base})`);
  let ops = 0;
  for (let seed = base; seed < base + seeds; seed++) {
    const random = seededRandom(seed);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const limits = pick([
      { nodeMaxBytes: 4096, nodeMaxEntries: 100 },
      { nodeMaxBytes: 4096, nodeMaxEntries: 4 },
      { nodeMaxBytes: 120, nodeMaxEntries: 0 },
      { nodeMaxBytes: 0, nodeMaxEntries: 7 },
      { nodeMaxBytes: 1, nodeMaxEntries: 100 },
    ]);
    let stream = new Stream();
    const model = new Model();
    // Some seeds live near the top of the ID space, where bigints take over.
    let cursor = random() < 0.3 ? (0xffffffffffffffffn << 64n) - BigInt(int(1e6)) * 1000000n : BigInt(1 + int(1000)) << 64n;
    const names = ['f', 'g', 'h', 'name', '\x00\xff'];
    const value = () => {
      const r = random();
      if (r < 0.3) return String(int(1000));
      if (r < 0.9) return String.fromCharCode(...Array.from({ length: int(12) }, () => int(256)));
      return 'x'.repeat(100 + int(300));
    };
    const someId = (): StreamId => {
      if (model.entries.length > 0 && random() < 0.7) return pick(model.entries).id;
      const v = cursor - BigInt(int(1000)) * (random() < 0.5 ? 1n : 1n << 64n) + BigInt(int(3));
      return fromBig(v < 0n ? 0n : v);
    };
    const consumers = ['c1', 'c2', 'c3'];
    let now = 1_700_000_000_000;
    const steps = 250;
    let ok = true;
    for (let step = 0; step < steps && ok; step++) {
      ops++;
      now += int(5);
      const r = random();
      let what = '';
      if (r < 0.35) {
        // append
        const gap = random() < 0.5 ? BigInt(1 + int(3)) : BigInt(1 + int(4)) << 64n;
        if (cursor + gap > (0xffffffffffffffffn << 64n) + 0xffffffffffffffffn) continue;
        cursor += gap;
        const id = fromBig(cursor);
        const fields: string[] = [];
        const n = random() < 0.6 ? 2 : 1 + int(4);
        const same = random() < 0.6;
        for (let k = 0; k < n; k++) fields.push(same ? names[k % names.length]! : pick(names) + (random() < 0.3 ? String(k) : ''), value());
        what = `append ${formatId(id)}`;
        stream.append(id, fields, limits);
        model.entries.push({ id, fields });
        model.lastId = id;
        model.added++;
      } else if (r < 0.45) {
        const ids = Array.from({ length: 1 + int(3) }, someId);
        what = `delete ${ids.map(formatId).join(' ')}`;
        const n = stream.delete(ids);
        let expected = 0;
        for (const id of ids) {
          const i = model.entries.findIndex((e) => compareIds(e.id, id) === 0);
          if (i === -1) continue;
          model.entries.splice(i, 1);
          expected++;
          if (compareIds(id, model.maxDeleted) > 0) model.maxDeleted = id;
        }
        if (n !== expected) t.fail(`seed ${seed} step ${step}: delete returned ${n}, expected ${expected}`);
      } else if (r < 0.53) {
        const approx = random() < 0.5;
        const limit = approx && random() < 0.5 ? int(20) : 0;
        const spec: TrimSpec =
          random() < 0.5
            ? { strategy: 'maxlen', maxLen: int(model.entries.length + 3), approx, limit }
            : { strategy: 'minid', minId: someId(), approx, limit };
        what = `trim ${JSON.stringify(spec, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`;
        // The plan must match the trim, and its replay must do the same on a copy of the old state.
        const before = random() < 0.3 ? copyStream(stream) : null;
        const plan = stream.planTrim(spec);
        const { removed, replay } = stream.trim(spec);
        if (removed !== plan.removed) t.fail(`seed ${seed} step ${step}: plan said ${plan.removed}, trim removed ${removed}`);
        // The model: a prefix of `removed` live entries goes.
        const gone = model.entries.splice(0, removed);
        if (!approx) {
          const expected =
            spec.strategy === 'maxlen'
              ? Math.max(0, gone.length + model.entries.length - spec.maxLen)
              : gone.length + model.entries.filter(() => false).length;
          if (spec.strategy === 'maxlen' && removed !== expected) t.fail(`seed ${seed} step ${step}: exact MAXLEN removed ${removed}`);
          if (spec.strategy === 'minid' && model.entries.length > 0 && compareIds(model.entries[0]!.id, spec.minId) < 0) {
            t.fail(`seed ${seed} step ${step}: exact MINID left an entry below the threshold`);
          }
        }
        if (spec.strategy === 'minid' && gone.some((e) => compareIds(e.id, spec.minId) >= 0)) t.fail(`seed ${seed} step ${step}: MINID removed an entry at or past it`);
        if (spec.strategy === 'maxlen' && removed > 0 && model.entries.length < spec.maxLen) t.fail(`seed ${seed} step ${step}: MAXLEN went below`);
        if (limit !== 0 && removed > limit) t.fail(`seed ${seed} step ${step}: LIMIT exceeded`);
        if (before !== null) {
          before.trim(replay);
          if (canonicalStream(before) !== canonicalStream(stream) || before.blockCount !== stream.blockCount) {
            t.fail(`seed ${seed} step ${step}: the replay trim does not reach the same state`);
          }
        }
      } else if (r < 0.63) {
        // range reads, both directions, random bounds and counts
        let a = someId();
        let b = random() < 0.2 ? MAX_ID : someId();
        if (random() < 0.1) a = MIN_ID;
        if (compareIds(a, b) > 0 && random() < 0.8) [a, b] = [b, a];
        const count = random() < 0.3 ? 0 : 1 + int(10);
        const reverse = random() < 0.5;
        what = `range ${formatId(a)} ${formatId(b)} ${count} ${reverse}`;
        const got: string[] = [];
        stream.range(a, b, count, reverse, (e) => {
          got.push(`${e.idText()} ${e.pairs().join(',')}`);
        });
        const want = model.range(a, b, count, reverse).map((e) => `${formatId(e.id)} ${e.fields.join(',')}`);
        if (got.join('|') !== want.join('|')) t.fail(`seed ${seed} step ${step}: ${what}: got ${got.length}, want ${want.length}`);
        const probe = someId();
        const expect = model.entries.find((e) => compareIds(e.id, probe) === 0);
        const entry = stream.entry(probe);
        if ((entry === null) !== (expect === undefined) || (entry !== null && entry.pairs().join(',') !== expect!.fields.join(','))) {
          t.fail(`seed ${seed} step ${step}: entry(${formatId(probe)})`);
        }
        if (stream.has(probe) !== (expect !== undefined)) t.fail(`seed ${seed} step ${step}: has(${formatId(probe)})`);
        const lastValid = stream.lastValidId();
        const mLast = model.entries[model.entries.length - 1]?.id ?? null;
        if ((lastValid === null) !== (mLast === null) || (lastValid !== null && compareIds(lastValid, mLast!) !== 0)) t.fail(`seed ${seed} step ${step}: lastValidId`);
      } else if (r < 0.68) {
        const name = pick(['g1', 'g2']);
        const at = random() < 0.5 ? MIN_ID : someId();
        what = `create group ${name}`;
        const created = stream.createGroup(name, at, -1);
        if ((created === null) !== model.groups.has(name)) t.fail(`seed ${seed} step ${step}: createGroup`);
        if (created !== null) model.groups.set(name, { lastId: at, pel: new Map(), consumers: new Set() });
      } else if (r < 0.8) {
        // XREADGROUP '>' COUNT n
        const name = pick(['g1', 'g2']);
        const g = stream.group(name);
        const mg = model.groups.get(name);
        if (g === undefined || mg === undefined) continue;
        const cname = pick(consumers);
        const count = 1 + int(5);
        what = `deliver ${name} ${cname} ${count}`;
        const consumer = g.consumerOrCreate(cname, now);
        mg.consumers.add(cname);
        const start = incrId(g.lastId);
        const delivered: StreamId[] = [];
        if (start !== null) stream.range(start, MAX_ID, count, false, (e) => void delivered.push(e.id()));
        for (const id of delivered) {
          stream.advanceGroup(g, id);
          g.deliver(id, consumer, now);
          mg.pel.set(formatId(id), { id, consumer: cname, time: now, count: 1 });
          mg.lastId = id;
        }
        const want = mg.lastId;
        const expectIds = model.entries.filter((e) => start !== null && compareIds(e.id, start) >= 0).slice(0, count).map((e) => formatId(e.id));
        if (delivered.map(formatId).join(',') !== expectIds.join(',')) t.fail(`seed ${seed} step ${step}: delivered the wrong entries`);
        void want;
      } else if (r < 0.86) {
        const name = pick(['g1', 'g2']);
        const g = stream.group(name);
        const mg = model.groups.get(name);
        if (g === undefined || mg === undefined) continue;
        const pending = [...mg.pel.values()];
        const ids = Array.from({ length: 1 + int(3) }, () => (pending.length > 0 && random() < 0.8 ? pick(pending).id : someId()));
        what = `ack ${name}`;
        for (const id of ids) {
          const acked = g.ack(id);
          if (acked !== mg.pel.delete(formatId(id))) t.fail(`seed ${seed} step ${step}: ack(${formatId(id)})`);
        }
      } else if (r < 0.92) {
        // claim (XCLAIM-like: set owner, time and count; FORCE creates)
        const name = pick(['g1', 'g2']);
        const g = stream.group(name);
        const mg = model.groups.get(name);
        if (g === undefined || mg === undefined) continue;
        const pending = [...mg.pel.values()];
        const id = pending.length > 0 && random() < 0.8 ? pick(pending).id : someId();
        const cname = pick(consumers);
        const count = int(10);
        what = `claim ${name} ${formatId(id)} ${cname}`;
        g.claim(id, g.consumerOrCreate(cname, now), now - int(100), count);
        mg.consumers.add(cname);
        const time = g.pending(id)!.deliveryTimeMs;
        mg.pel.set(formatId(id), { id, consumer: cname, time, count });
      } else if (r < 0.95) {
        const name = pick(['g1', 'g2']);
        const g = stream.group(name);
        const mg = model.groups.get(name);
        if (g === undefined || mg === undefined) continue;
        const cname = pick(consumers);
        what = `delete consumer ${name} ${cname}`;
        const n = g.deleteConsumer(cname);
        const mine = [...mg.pel.values()].filter((p) => p.consumer === cname);
        if (n !== (mg.consumers.has(cname) ? mine.length : -1)) t.fail(`seed ${seed} step ${step}: deleteConsumer returned ${n}`);
        for (const p of mine) mg.pel.delete(formatId(p.id));
        mg.consumers.delete(cname);
      } else if (r < 0.98) {
        // PEL pages from a random ID, both directions, against the model
        const name = pick(['g1', 'g2']);
        const g = stream.group(name);
        const mg = model.groups.get(name);
        if (g === undefined || mg === undefined) continue;
        const from = someId();
        const reverse = random() < 0.5;
        const n = 1 + int(8);
        what = `pel page ${name} ${formatId(from)} ${reverse}`;
        const cur = g.pel.cursor(from.ms, from.seq, reverse);
        const got: string[] = [];
        for (let k = 0; k < n; k++) {
          const e = cur.next();
          if (e === undefined) break;
          got.push(formatId(e.id));
        }
        const sorted = [...mg.pel.values()].sort((a, b) => compareIds(a.id, b.id)).map((p) => p.id);
        const want = (reverse ? sorted.filter((id) => compareIds(id, from) <= 0).reverse() : sorted.filter((id) => compareIds(id, from) >= 0))
          .slice(0, n)
          .map(formatId);
        if (got.join(',') !== want.join(',')) t.fail(`seed ${seed} step ${step}: ${what}: ${got.join(',')} != ${want.join(',')}`);
      } else {
        what = 'snapshot round trip';
        const bytes = serializeStream(stream);
        const back = deserializeStream(bytes);
        const was = canonicalStream(stream).split('\n');
        const now2 = canonicalStream(back).split('\n');
        const at = was.findIndex((line, i) => line !== now2[i]);
        if (at !== -1) t.fail(`seed ${seed} step ${step}: round trip changed the stream at line ${at}: ${was[at]} -> ${now2[at]}`);
        const copy = copyStream(stream);
        if (canonicalStream(copy) !== canonicalStream(stream)) t.fail(`seed ${seed} step ${step}: copy differs`);
        // Carry on with one of them: appends must extend a deserialized tail block correctly.
        stream = random() < 0.5 ? back : copy;
      }
      ok = check(t, stream, model, `seed ${seed} step ${step} (${what})`);
    }
  }
  t.pass(`${ops} operations`);
});
