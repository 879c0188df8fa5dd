// Property test: random stream commands against a running Sluice and against a plain reference
// model written here (a sorted array of entries and the stream's counters), comparing every reply
// byte for byte. Small nodes (stream-node-max-entries 5) make blocks split, empty and go often.
// Approximate trims depend on node layout, so for them the model checks what must hold (a prefix
// of the entries goes, never more than an exact trim would take) and follows the server.
// Each run prints its seed; a failing seed is replayed by adding it to SEEDS.

import t from 'tap';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';
import { seededRandom } from '../support/random';

const SEEDS = [11, 23, 37, 41];
const OPS = 700;

interface Entry {
  readonly ms: number;
  readonly seq: number;
  readonly fields: readonly string[];
}

const cmp = (a: { ms: number; seq: number }, b: { ms: number; seq: number }) => (a.ms !== b.ms ? a.ms - b.ms : a.seq - b.seq);
const idText = (e: { ms: number; seq: number }) => `${e.ms}-${e.seq}`;
const bulk = (s: string) => `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
const entryBytes = (e: Entry) => `*2\r\n${bulk(idText(e))}*${e.fields.length}\r\n${e.fields.map(bulk).join('')}`;
const listBytes = (list: readonly Entry[]) => `*${list.length}\r\n${list.map(entryBytes).join('')}`;
const err = (text: string) => `-${text}\r\n`;
const int = (n: number) => `:${n}\r\n`;

/** One stream as the reference model keeps it. */
class ModelStream {
  entries: Entry[] = [];
  last = { ms: 0, seq: 0 };
  maxDeleted = { ms: 0, seq: 0 };

  top(): Entry | undefined {
    return this.entries[this.entries.length - 1];
  }

  range(start: { ms: number; seq: number }, end: { ms: number; seq: number }): Entry[] {
    return this.entries.filter((e) => cmp(e, start) >= 0 && cmp(e, end) <= 0);
  }
}

t.test('random stream commands agree with a reference model', async (t) => {
  const server = await startSluice(['--stream-node-max-entries', '5']);
  const c = await RawClient.connect(server.port);
  try {
    for (const seed of SEEDS) {
      t.comment(`seed ${seed}`);
      await c.call('FLUSHALL');
      const random = seededRandom(seed);
      const int0 = (n: number) => Math.floor(random() * n);
      const keys = ['p', 'q'];
      const model = new Map<string, ModelStream>();
      let failures = 0;
      const check = async (args: string[], expected: string) => {
        const got = (await c.call(...args)).toString('latin1');
        if (got !== expected && failures++ < 5) t.equal(got, expected, `seed ${seed}: ${args.join(' ')}`);
        return got;
      };
      const randomId = (m: ModelStream | undefined) => {
        const near = m?.last.ms ?? 0;
        return { ms: Math.max(0, near + int0(7) - 4), seq: int0(3) };
      };
      for (let op = 0; op < OPS; op++) {
        const key = keys[int0(keys.length)]!;
        const m = model.get(key);
        const roll = random();
        if (roll < 0.4) {
          // XADD with an explicit ID or <ms>-*, sometimes with an exact MAXLEN or MINID.
          const autoSeq = random() < 0.25;
          const id = randomId(m);
          const fields = Array.from({ length: 2 * (1 + int0(3)) }, () => (random() < 0.1 ? 'x'.repeat(int0(300)) : String(int0(50))));
          const trim = random() < 0.15 ? ['MAXLEN', String(int0(12))] : random() < 0.1 ? ['MINID', idText(randomId(m))] : [];
          const args = ['XADD', key, ...trim, autoSeq ? `${id.ms}-*` : idText(id), ...fields];
          const last = m?.last ?? { ms: 0, seq: 0 };
          const chosen = autoSeq ? { ms: id.ms, seq: id.ms === last.ms ? last.seq + 1 : 0 } : id;
          if (!autoSeq && id.ms === 0 && id.seq === 0) {
            await check(args, err('ERR The ID specified in XADD must be greater than 0-0'));
          } else if (cmp(chosen, last) <= 0) {
            await check(args, err('ERR The ID specified in XADD is equal or smaller than the target stream top item'));
          } else {
            const s = m ?? new ModelStream();
            model.set(key, s);
            s.entries.push({ ...chosen, fields });
            s.last = chosen;
            if (trim[0] === 'MAXLEN') s.entries = s.entries.slice(Math.max(0, s.entries.length - Number(trim[1])));
            else if (trim[0] === 'MINID') {
              const [ms, seq] = trim[1]!.split('-').map(Number) as [number, number];
              s.entries = s.entries.filter((e) => cmp(e, { ms, seq }) >= 0);
            }
            await check(args, bulk(idText(chosen)));
          }
        } else if (roll < 0.5) {
          // XDEL of a few IDs, present or not.
          const ids = Array.from({ length: 1 + int0(3) }, () =>
            m !== undefined && m.entries.length > 0 && random() < 0.7 ? m.entries[int0(m.entries.length)]! : randomId(m),
          );
          let deleted = 0;
          if (m !== undefined) {
            for (const id of ids) {
              const at = m.entries.findIndex((e) => cmp(e, id) === 0);
              if (at === -1) continue;
              m.entries.splice(at, 1);
              deleted++;
              if (cmp(id, m.maxDeleted) > 0) m.maxDeleted = { ms: id.ms, seq: id.seq };
            }
          }
          await check(['XDEL', key, ...ids.map(idText)], int(deleted));
        } else if (roll < 0.57) {
          // Exact XTRIM.
          const byLength = random() < 0.5;
          const threshold = byLength ? int0(15) : randomId(m);
          const before = m?.entries.length ?? 0;
          if (m !== undefined) {
            if (typeof threshold === 'number') m.entries = m.entries.slice(Math.max(0, m.entries.length - threshold));
            else m.entries = m.entries.filter((e) => cmp(e, threshold) >= 0);
          }
          const args = ['XTRIM', key, byLength ? 'MAXLEN' : 'MINID', typeof threshold === 'number' ? String(threshold) : idText(threshold)];
          await check(args, int(before - (m?.entries.length ?? 0)));
        } else if (roll < 0.62) {
          // Approximate XTRIM: whole nodes only, so a prefix, never past what an exact trim removes.
          const maxLen = int0(15);
          const got = (await c.call('XTRIM', key, 'MAXLEN', '~', String(maxLen))).toString('latin1');
          const removed = Number(got.slice(1, -2));
          const exact = Math.max(0, (m?.entries.length ?? 0) - maxLen);
          if (!(got.startsWith(':') && removed >= 0 && removed <= exact) && failures++ < 5) {
            t.fail(`seed ${seed}: XTRIM ~ ${maxLen} removed ${got.trim()}, an exact trim removes ${exact}`);
          }
          if (m !== undefined && removed > 0) m.entries = m.entries.slice(removed);
        } else if (roll < 0.77) {
          // XRANGE / XREVRANGE with inclusive, exclusive or incomplete bounds and COUNT.
          const reverse = random() < 0.4;
          const a = randomId(m);
          const b = { ms: a.ms + int0(6), seq: int0(4) };
          const exclusiveStart = random() < 0.25;
          const incompleteEnd = random() < 0.25;
          const startArg = random() < 0.1 ? '-' : `${exclusiveStart ? '(' : ''}${idText(a)}`;
          const endArg = random() < 0.1 ? '+' : incompleteEnd ? String(b.ms) : idText(b);
          const count = random() < 0.5 ? int0(5) + 1 : 0;
          const start = startArg === '-' ? { ms: 0, seq: 0 } : exclusiveStart ? { ms: a.ms, seq: a.seq + 1 } : a;
          const end = endArg === '+' ? { ms: Infinity, seq: Infinity } : incompleteEnd ? { ms: b.ms, seq: Infinity } : b;
          let list = m?.range(start, end) ?? [];
          if (reverse) list = [...list].reverse();
          if (count > 0) list = list.slice(0, count);
          const args = reverse ? ['XREVRANGE', key, endArg, startArg] : ['XRANGE', key, startArg, endArg];
          if (count > 0) args.push('COUNT', String(count));
          await check(args, listBytes(list));
        } else if (roll < 0.87) {
          // XREAD over both keys from random IDs.
          const from = keys.map((k) => randomId(model.get(k)));
          const count = random() < 0.5 ? 1 + int0(4) : 0;
          const parts: string[] = [];
          for (let i = 0; i < keys.length; i++) {
            const s = model.get(keys[i]!);
            let list = s?.entries.filter((e) => cmp(e, from[i]!) > 0) ?? [];
            if (count > 0) list = list.slice(0, count);
            if (list.length > 0) parts.push(`*2\r\n${bulk(keys[i]!)}${listBytes(list)}`);
          }
          const args = ['XREAD', ...(count > 0 ? ['COUNT', String(count)] : []), 'STREAMS', ...keys, ...from.map(idText)];
          await check(args, parts.length === 0 ? '*-1\r\n' : `*${parts.length}\r\n${parts.join('')}`);
        } else if (roll < 0.95) {
          await check(['XLEN', key], int(m?.entries.length ?? 0));
        } else {
          // XSETID to a nearby ID: refused below the max deleted ID or the top entry.
          const id = { ms: Math.max(0, (m?.last.ms ?? 0) + int0(3) - 1), seq: int0(3) };
          const args = ['XSETID', key, idText(id)];
          if (m === undefined) await check(args, err('ERR no such key'));
          else if (cmp(id, m.maxDeleted) < 0) await check(args, err('ERR The ID specified in XSETID is smaller than current max_deleted_entry_id'));
          else if (m.top() !== undefined && cmp(id, m.top()!) < 0) {
            await check(args, err('ERR The ID specified in XSETID is smaller than the target stream top item'));
          } else {
            m.last = id;
            await check(args, '+OK\r\n');
          }
        }
      }
      t.equal(failures, 0, `seed ${seed}: ${OPS} commands, every reply as the model expects`);
    }
  } finally {
    c.close();
    await server.stop();
  }
});
