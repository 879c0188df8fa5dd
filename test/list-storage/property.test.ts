// Random operations on two lists against plain arrays: every operation must give the array model's
// answer, and every invariant (node counts, Redis node sizes, one node per listpack) must hold after
// it. Elements range from empty to larger than a node, from a small alphabet so that LREM, LINSERT
// and LPOS find matches; the fill (list-max-listpack-size) varies by seed. Replay a failure with
// SEED=<seed printed>.

import t from 'tap';
import { RedisList, type ListEnd } from '../../storage/list';
import { seededRandom } from '../support/random';

const SEEDS = 40;
const OPS = 400;
const FILLS = [-2, -2, -1, -3, 2, 5, 16];

/** LRANGE/LTRIM index rules on an array: the [from, to) slice kept. */
function window(length: number, start: number, stop: number): [number, number] {
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return [0, 0];
  if (stop >= length) stop = length - 1;
  return [start, stop + 1];
}

function modelPositions(model: string[], element: string, rank: number, count: number | undefined, maxlen: number): number[] {
  const out: number[] = [];
  const backwards = rank < 0;
  const r = Math.abs(rank);
  let matches = 0;
  for (let i = 0; i < model.length && (maxlen === 0 || i < maxlen); i++) {
    const index = backwards ? model.length - 1 - i : i;
    if (model[index] !== element) continue;
    matches++;
    if (matches < r) continue;
    out.push(index);
    if (count === undefined || (count !== 0 && out.length >= count)) break;
  }
  return out;
}

t.test('random operations match an array model', async (t) => {
  const base = Number(process.env.SEED ?? Date.now() % 1000000);
  t.comment(`seeds ${base}..${base + SEEDS - 1} (rerun with SEED=${base})`);
  let failures = 0;
  for (let seed = base; seed < base + SEEDS && failures === 0; seed++) {
    const random = seededRandom(seed);
    const int = (n: number) => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
    let fill = pick(FILLS);
    const element = (): string => {
      const roll = random();
      if (roll < 0.35) return pick(['a', 'b', 'c', '', '1', '-7', '128', 'a']);
      if (roll < 0.6) return `e${String(int(50)).padStart(9, '0')}`;
      if (roll < 0.75) return String(int(100000) - 50000);
      if (roll < 0.88) return String.fromCharCode(...Array.from({ length: 1 + int(200) }, () => int(256)));
      if (roll < 0.96) return pick(['m', 'n']).repeat(1000 + int(6000));
      return pick(['P', 'Q']).repeat(8190 + int(4000));
    };
    const end = (): ListEnd => (random() < 0.5 ? 'left' : 'right');
    const lists = [new RedisList(), new RedisList()];
    const models: string[][] = [[], []];
    const log: string[] = [];
    const fail = (what: string) => {
      failures++;
      t.fail(`seed ${seed}, op ${log.length}: ${what}\n  last ops: ${log.slice(-8).join('\n            ')}`);
    };
    for (let op = 0; op < OPS && failures === 0; op++) {
      const which = int(2);
      const list = lists[which]!;
      const model = models[which]!;
      const roll = random();
      let got: unknown;
      let want: unknown;
      if (random() < 0.02) fill = pick(FILLS);
      if (roll < 0.22) {
        const elements = Array.from({ length: 1 + int(4) }, element);
        const where = end();
        log.push(`${where} push ${elements.length} (fill ${fill})`);
        got = list.push(elements, where, fill);
        for (const e of elements) where === 'left' ? model.unshift(e) : model.push(e);
        want = model.length;
      } else if (roll < 0.3) {
        const where = end();
        log.push(`${where} pop`);
        got = list.pop(where, fill);
        want = where === 'left' ? model.shift() : model.pop();
      } else if (roll < 0.35) {
        const count = int(6);
        const where = end();
        log.push(`${where} pop ${count}`);
        got = list.popMany(count, where, fill);
        want = where === 'left' ? model.splice(0, count) : model.splice(Math.max(0, model.length - count)).reverse();
      } else if (roll < 0.42) {
        const index = int(model.length * 2 + 2) - model.length - 1;
        log.push(`index ${index}`);
        got = list.index(index);
        want = model[index < 0 ? index + model.length : index];
      } else if (roll < 0.49) {
        const start = int(model.length * 2 + 4) - model.length - 2;
        const stop = int(model.length * 2 + 4) - model.length - 2;
        log.push(`range ${start} ${stop}`);
        got = list.range(start, stop);
        const [from, to] = window(model.length, start, stop);
        want = model.slice(from, to);
      } else if (roll < 0.56) {
        const index = int(model.length * 2 + 2) - model.length - 1;
        const value = element();
        log.push(`set ${index} (${value.length} bytes, fill ${fill})`);
        got = list.set(index, value, fill);
        const at = index < 0 ? index + model.length : index;
        want = at >= 0 && at < model.length;
        if (want === true) model[at] = value;
      } else if (roll < 0.64) {
        const pivot = random() < 0.8 && model.length > 0 ? pick(model) : element();
        const value = element();
        const where = random() < 0.5 ? 'before' : 'after';
        log.push(`insert ${where} (${value.length} bytes, fill ${fill})`);
        got = list.insert(pivot, value, where, fill);
        const at = model.indexOf(pivot);
        if (at === -1) want = -1;
        else {
          model.splice(where === 'before' ? at : at + 1, 0, value);
          want = model.length;
        }
      } else if (roll < 0.71) {
        const value = random() < 0.7 && model.length > 0 ? pick(model) : element();
        const count = int(7) - 3;
        log.push(`remove ${count} (${value.length} bytes)`);
        got = list.remove(count, value, fill);
        let removed = 0;
        const limit = count === 0 ? Infinity : Math.abs(count);
        if (count >= 0) {
          for (let i = 0; i < model.length && removed < limit; ) {
            if (model[i] === value) {
              model.splice(i, 1);
              removed++;
            } else i++;
          }
        } else {
          for (let i = model.length - 1; i >= 0 && removed < limit; i--) {
            if (model[i] === value) {
              model.splice(i, 1);
              removed++;
            }
          }
        }
        want = removed;
      } else if (roll < 0.76) {
        const start = int(model.length + 4) - 2;
        const stop = int(model.length * 2 + 4) - model.length - 2;
        log.push(`trim ${start} ${stop}`);
        got = list.trim(start, stop, fill);
        const [from, to] = window(model.length, start, stop);
        want = model.length - (to - from);
        models[which] = model.slice(from, to);
      } else if (roll < 0.84) {
        const value = random() < 0.7 && model.length > 0 ? pick(model) : element();
        const rank = (int(3) + 1) * (random() < 0.5 ? -1 : 1);
        const count = random() < 0.4 ? undefined : int(4);
        const maxlen = random() < 0.6 ? 0 : int(model.length + 2);
        log.push(`positions rank ${rank} count ${count} maxlen ${maxlen}`);
        got = list.positions(value, { rank, count, maxlen });
        want = modelPositions(model, value, rank, count, maxlen);
      } else if (roll < 0.93) {
        const target = random() < 0.25 ? which : 1 - which;
        const from = end();
        const to = end();
        log.push(`move ${which}->${target} ${from} ${to}`);
        got = list.move(lists[target]!, from, to, fill);
        const moved = from === 'left' ? model.shift() : model.pop();
        if (moved !== undefined) {
          const destination = models[target]!;
          to === 'left' ? destination.unshift(moved) : destination.push(moved);
        }
        want = moved;
      } else if (roll < 0.97) {
        log.push('copy');
        const copy = list.copy();
        got = copy.toArray();
        want = model;
        copy.push(['extra'], 'right');
        lists[which] = copy;
        models[which] = [...model, 'extra'];
      } else {
        log.push('serialize');
        const back = RedisList.deserialize(list.serialize());
        got = [back.encoding, back.toArray()];
        want = [list.encoding, model];
        lists[which] = back;
      }
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        fail(`answer ${JSON.stringify(got)?.slice(0, 200)}, model ${JSON.stringify(want)?.slice(0, 200)}`);
        break;
      }
      // An emptied list is a deleted key: the next write starts a new one.
      for (const i of [0, 1]) {
        const current = lists[i]!;
        const problem = current.verify();
        if (problem !== null) fail(`list ${i}: ${problem}`);
        else if (JSON.stringify(current.toArray()) !== JSON.stringify(models[i])) fail(`list ${i} contents differ from the model`);
        if (current.length === 0) lists[i] = new RedisList();
      }
    }
  }
  t.equal(failures, 0, 'no seed failed');
});
