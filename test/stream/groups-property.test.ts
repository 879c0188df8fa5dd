// Property test through the wire: random sequences of group commands (XADD, XGROUP CREATE / SETID /
// CREATECONSUMER / DELCONSUMER / DESTROY, XREADGROUP `>` with COUNT and NOACK, XREADGROUP history,
// XACK, XNACK (every mode, RETRYCOUNT, FORCE), XCLAIM, XAUTOCLAIM, and XDEL when the server has it) sent to Sluice, each reply compared with
// what a plain model written here predicts. After every command XLEN, XRANGE, XPENDING's summary and
// XINFO GROUPS (consumers, pending, last-delivered-id) must agree with the model; every 25 commands
// the PEL is compared page by page through XPENDING too.
// Times are the server's: the model leaves them out (XPENDING's idle is masked, claims use no
// min-idle-time). Seeded; SEED=<n> replays a run.

import t from 'tap';
import { decodeReply, show, type RespValue } from '../command/resp-value';
import { seededRandom } from '../support/random';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const OPS = Number(process.env.GROUP_OPS ?? 400);
const RUNS = 3;

interface Pending {
  /** The owning consumer, "" once XNACK released the entry. */
  owner: string;
  /** Delivery count, a signed 64-bit value as Redis keeps it (FATAL sets LLONG_MAX; one more wraps). */
  count: bigint;
}

const LLONG_MAX = 0x7fffffffffffffffn;
const inc = (c: bigint): bigint => BigInt.asIntN(64, c + 1n);

interface Group {
  lastId: number;
  /** Pending entries by entry number. */
  pel: Map<number, Pending>;
  consumers: Set<string>;
}

/** The model: entries numbered n (ID "n-0") with one field, and the groups. */
class Model {
  entries = new Map<number, string>();
  lastId = 0;
  groups = new Map<string, Group>();
}

const bulk = (v: string): RespValue => ({ t: 'bulk', v });
const int = (v: number): RespValue => ({ t: 'int', v });
const arr = (v: RespValue[]): RespValue => ({ t: 'array', v });
const NULL: RespValue = { t: 'null' };
const id = (n: number) => `${n}-0`;
const entry = (m: Model, n: number): RespValue => arr([bulk(id(n)), arr([bulk('n'), bulk(m.entries.get(n)!)])]);
const noGroup = (key: string, group: string): RespValue => ({ t: 'error', v: `NOGROUP No such key '${key}' or consumer group '${group}'` });

const GROUPS = ['g1', 'g2', 'g3'];
const CONSUMERS = ['alice', 'bob', 'carol'];

function sorted(pel: Map<number, Pending>): number[] {
  return [...pel.keys()].sort((a, b) => a - b);
}

/** One random command and the reply the model predicts (the model is updated as the server would be). */
function nextOp(m: Model, random: () => number, hasXdel: boolean): { cmd: string[]; expect: RespValue } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const someIds = (): number[] => {
    const ids: number[] = [];
    const n = 1 + Math.floor(random() * 4);
    for (let i = 0; i < n; i++) ids.push(1 + Math.floor(random() * Math.max(1, m.lastId + 2)));
    return ids;
  };
  const groupName = pick(GROUPS);
  const group = m.groups.get(groupName);
  const consumer = pick(CONSUMERS);
  const roll = random();

  if (roll < 0.2 || m.lastId === 0) {
    const n = m.lastId + 1 + Math.floor(random() * 3);
    const value = String(Math.floor(random() * 1000));
    m.entries.set(n, value);
    m.lastId = n;
    return { cmd: ['XADD', 's', id(n), 'n', value], expect: bulk(id(n)) };
  }
  if (roll < 0.26) {
    const at = random() < 0.5 ? '0' : '$';
    if (group !== undefined) return { cmd: ['XGROUP', 'CREATE', 's', groupName, at], expect: { t: 'error', v: 'BUSYGROUP Consumer Group name already exists' } };
    m.groups.set(groupName, { lastId: at === '0' ? 0 : m.lastId, pel: new Map(), consumers: new Set() });
    return { cmd: ['XGROUP', 'CREATE', 's', groupName, at], expect: { t: 'simple', v: 'OK' } };
  }
  if (roll < 0.46) {
    // XREADGROUP >
    const count = Math.floor(random() * 4);
    const noack = random() < 0.15;
    const cmd = ['XREADGROUP', 'GROUP', groupName, consumer, ...(count > 0 ? ['COUNT', String(count)] : []), ...(noack ? ['NOACK'] : []), 'STREAMS', 's', '>'];
    if (group === undefined) {
      return { cmd, expect: { t: 'error', v: `NOGROUP No such key 's' or consumer group '${groupName}' in XREADGROUP with GROUP option` } };
    }
    group.consumers.add(consumer);
    const fresh = [...m.entries.keys()].filter((n) => n > group.lastId).sort((a, b) => a - b);
    const served = count > 0 ? fresh.slice(0, count) : fresh;
    if (served.length === 0) return { cmd, expect: { t: 'null' } };
    for (const n of served) if (!noack) group.pel.set(n, { owner: consumer, count: 1n });
    group.lastId = served[served.length - 1]!;
    return { cmd, expect: arr([arr([bulk('s'), arr(served.map((n) => entry(m, n)))])]) };
  }
  if (roll < 0.54) {
    // XREADGROUP history from 0
    const count = Math.floor(random() * 3);
    const cmd = ['XREADGROUP', 'GROUP', groupName, consumer, ...(count > 0 ? ['COUNT', String(count)] : []), 'STREAMS', 's', '0'];
    if (group === undefined) {
      return { cmd, expect: { t: 'error', v: `NOGROUP No such key 's' or consumer group '${groupName}' in XREADGROUP with GROUP option` } };
    }
    group.consumers.add(consumer);
    const own = sorted(group.pel).filter((n) => group.pel.get(n)!.owner === consumer);
    const served = count > 0 ? own.slice(0, count) : own;
    const items = served.map((n) => {
      if (!m.entries.has(n)) return arr([bulk(id(n)), NULL]);
      const pending = group.pel.get(n)!;
      pending.count = inc(pending.count);
      return entry(m, n);
    });
    return { cmd, expect: arr([arr([bulk('s'), arr(items)])]) };
  }
  if (roll < 0.64) {
    const ids = someIds();
    const cmd = ['XACK', 's', groupName, ...ids.map(id)];
    if (group === undefined) return { cmd, expect: int(0) };
    let acked = 0;
    for (const n of ids) if (group.pel.delete(n)) acked++;
    return { cmd, expect: int(acked) };
  }
  if (roll < 0.68) {
    // XNACK (Redis 8.8): release back to the group, the count adjusted by the mode or RETRYCOUNT.
    const ids = someIds();
    const mode = pick(['SILENT', 'FAIL', 'FATAL'] as const);
    const retry = random() < 0.2 ? BigInt(Math.floor(random() * 5)) : null;
    const force = random() < 0.25;
    const cmd = ['XNACK', 's', groupName, mode, 'IDS', String(ids.length), ...ids.map(id), ...(retry !== null ? ['RETRYCOUNT', String(retry)] : []), ...(force ? ['FORCE'] : [])];
    if (group === undefined) return { cmd, expect: int(0) };
    let released = 0;
    for (const n of ids) {
      const pending = group.pel.get(n);
      if (pending === undefined && !(force && m.entries.has(n))) continue;
      const before = pending?.count;
      const count = retry ?? (mode === 'FATAL' ? LLONG_MAX : before === undefined ? 0n : mode === 'SILENT' && before > 0n ? before - 1n : before);
      group.pel.set(n, { owner: '', count });
      released++;
    }
    return { cmd, expect: int(released) };
  }
  if (roll < 0.72) {
    const ids = someIds();
    const justId = random() < 0.5;
    const cmd = ['XCLAIM', 's', groupName, consumer, '0', ...ids.map(id), ...(justId ? ['JUSTID'] : [])];
    if (group === undefined) return { cmd, expect: noGroup('s', groupName) };
    group.consumers.add(consumer);
    const out: RespValue[] = [];
    for (const n of ids) {
      const pending = group.pel.get(n);
      if (!m.entries.has(n)) {
        group.pel.delete(n);
        continue;
      }
      if (pending === undefined) continue;
      pending.owner = consumer;
      if (!justId) pending.count = inc(pending.count);
      out.push(justId ? bulk(id(n)) : entry(m, n));
    }
    return { cmd, expect: arr(out) };
  }
  if (roll < 0.8) {
    const start = Math.floor(random() * (m.lastId + 1));
    const count = 1 + Math.floor(random() * 3);
    const justId = random() < 0.5;
    const cmd = ['XAUTOCLAIM', 's', groupName, consumer, '0', id(start), 'COUNT', String(count), ...(justId ? ['JUSTID'] : [])];
    if (group === undefined) return { cmd, expect: noGroup('s', groupName) };
    group.consumers.add(consumer);
    const scan = sorted(group.pel).filter((n) => n >= start);
    const claimed: RespValue[] = [];
    const deleted: RespValue[] = [];
    let i = 0;
    for (let left = count; i < scan.length && left > 0; i++, left--) {
      const n = scan[i]!;
      if (!m.entries.has(n)) {
        group.pel.delete(n);
        deleted.push(bulk(id(n)));
        continue;
      }
      const pending = group.pel.get(n)!;
      pending.owner = consumer;
      if (!justId) pending.count = inc(pending.count);
      claimed.push(justId ? bulk(id(n)) : entry(m, n));
    }
    const next = i < scan.length ? id(scan[i]!) : '0-0';
    return { cmd, expect: arr([bulk(next), arr(claimed), arr(deleted)]) };
  }
  if (roll < 0.84 && hasXdel) {
    const ids = someIds();
    let deleted = 0;
    for (const n of new Set(ids)) if (m.entries.delete(n)) deleted++;
    return { cmd: ['XDEL', 's', ...ids.map(id)], expect: int(deleted) };
  }
  if (roll < 0.88) {
    const cmd = ['XGROUP', 'DELCONSUMER', 's', groupName, consumer];
    if (group === undefined) return { cmd, expect: { t: 'error', v: `NOGROUP No such consumer group '${groupName}' for key name 's'` } };
    if (!group.consumers.delete(consumer)) return { cmd, expect: int(0) };
    let owned = 0;
    for (const [n, p] of group.pel) {
      if (p.owner !== consumer) continue;
      group.pel.delete(n);
      owned++;
    }
    return { cmd, expect: int(owned) };
  }
  if (roll < 0.92) {
    const cmd = ['XGROUP', 'CREATECONSUMER', 's', groupName, consumer];
    if (group === undefined) return { cmd, expect: { t: 'error', v: `NOGROUP No such consumer group '${groupName}' for key name 's'` } };
    if (group.consumers.has(consumer)) return { cmd, expect: int(0) };
    group.consumers.add(consumer);
    return { cmd, expect: int(1) };
  }
  if (roll < 0.97) {
    const at = Math.floor(random() * (m.lastId + 1));
    const cmd = ['XGROUP', 'SETID', 's', groupName, id(at)];
    if (group === undefined) return { cmd, expect: { t: 'error', v: `NOGROUP No such consumer group '${groupName}' for key name 's'` } };
    group.lastId = at;
    return { cmd, expect: { t: 'simple', v: 'OK' } };
  }
  const cmd = ['XGROUP', 'DESTROY', 's', groupName];
  if (group === undefined) return { cmd, expect: int(0) };
  m.groups.delete(groupName);
  return { cmd, expect: int(1) };
}

/** XPENDING's summary and full page as the model has them (idle masked in the page). */
function expectedPending(group: Group): [RespValue, RespValue] {
  const ids = sorted(group.pel);
  const owners = new Map<string, number>();
  for (const p of group.pel.values()) if (p.owner !== '') owners.set(p.owner, (owners.get(p.owner) ?? 0) + 1);
  const summary =
    ids.length === 0
      ? arr([int(0), NULL, NULL, NULL])
      : arr([
          int(ids.length),
          bulk(id(ids[0]!)),
          bulk(id(ids[ids.length - 1]!)),
          arr([...owners.keys()].sort().map((o) => arr([bulk(o), bulk(String(owners.get(o)))]))),
        ]);
  const page = arr(ids.map((n) => arr([bulk(id(n)), bulk(group.pel.get(n)!.owner), bulk('<idle>'), int(Number(group.pel.get(n)!.count))])));
  return [summary, page];
}

/** XLEN, XRANGE - + and, per group, XPENDING's summary and XINFO GROUPS' counters, as the model has them. */
function expectedState(m: Model): RespValue[] {
  const numbers = [...m.entries.keys()].sort((a, b) => a - b);
  const state: RespValue[] = [int(numbers.length), arr(numbers.map((n) => arr([bulk(id(n)), arr([bulk('n'), bulk(m.entries.get(n)!)])])))];
  for (const name of [...m.groups.keys()].sort()) {
    const group = m.groups.get(name)!;
    state.push(expectedPending(group)[0], arr([bulk(name), int(group.consumers.size), int(group.pel.size), bulk(id(group.lastId))]));
  }
  return state;
}

/** The same, read from the server (XINFO GROUPS reduced to the fields the model keeps). */
async function serverState(c: RawClient, m: Model): Promise<RespValue[]> {
  const state: RespValue[] = [decodeReply(await c.call('XLEN', 's')), decodeReply(await c.call('XRANGE', 's', '-', '+'))];
  const info = decodeReply(await c.call('XINFO', 'GROUPS', 's'));
  const groups = new Map<string, RespValue>();
  if (info.t === 'array') {
    for (const g of info.v) {
      if (g.t !== 'array') continue;
      const field = (name: string) => g.v[g.v.findIndex((x) => x.t === 'bulk' && x.v === name) + 1]!;
      const name = field('name');
      if (name.t === 'bulk') groups.set(name.v, arr([name, field('consumers'), field('pending'), field('last-delivered-id')]));
    }
  }
  for (const name of [...m.groups.keys()].sort()) {
    state.push(decodeReply(await c.call('XPENDING', 's', name)), groups.get(name) ?? NULL);
  }
  if (groups.size !== m.groups.size) state.push(bulk(`server has ${groups.size} groups`));
  return state;
}

function maskIdle(page: RespValue): RespValue {
  if (page.t !== 'array') return page;
  return arr(page.v.map((row) => (row.t === 'array' && row.v.length === 4 ? arr([row.v[0]!, row.v[1]!, bulk('<idle>'), row.v[3]!]) : row)));
}

t.test('random group commands agree with a model', async (t) => {
  const s = await startSluice();
  const c = await RawClient.connect(s.port);
  t.teardown(async () => {
    c.close();
    await s.stop();
  });
  const xdelInfo = decodeReply(await c.call('COMMAND', 'INFO', 'XDEL'));
  const hasXdel = xdelInfo.t === 'array' && xdelInfo.v[0]!.t !== 'null';
  const base = Number(process.env.SEED ?? Date.now() % 1000000);
  t.comment(`seeds ${base}..${base + RUNS - 1} (SEED=<n> replays), XDEL ${hasXdel ? 'included' : 'not available'}`);
  for (let run = 0; run < RUNS; run++) {
    const seed = base + run;
    const random = seededRandom(seed);
    const m = new Model();
    await c.call('FLUSHALL');
    let failures = 0;
    for (let i = 0; i < OPS && failures === 0; i++) {
      const { cmd, expect } = nextOp(m, random, hasXdel);
      const got = show(decodeReply(await c.call(...cmd)));
      if (got !== show(expect)) {
        failures++;
        t.equal(got, show(expect), `seed ${seed} op ${i}: ${cmd.join(' ')}`);
      }
      const gotState = show(arr(await serverState(c, m)));
      const expectedStateText = show(arr(expectedState(m)));
      if (gotState !== expectedStateText) {
        failures++;
        t.equal(gotState, expectedStateText, `seed ${seed} state after op ${i}: ${cmd.join(' ')}`);
      }
      if (i % 25 === 24 || i === OPS - 1) {
        for (const [name, group] of m.groups) {
          const [summary, page] = expectedPending(group);
          const gotSummary = show(decodeReply(await c.call('XPENDING', 's', name)));
          const gotPage = show(maskIdle(decodeReply(await c.call('XPENDING', 's', name, '-', '+', '100000'))));
          if (gotSummary !== show(summary) || gotPage !== show(page)) {
            failures++;
            t.equal(gotSummary + gotPage, show(summary) + show(page), `seed ${seed} PEL of ${name} after op ${i}`);
          }
        }
      }
    }
    t.equal(failures, 0, `seed ${seed}: ${OPS} commands as the model predicts`);
  }
});
