// Forward reads go on from where the previous read stopped or began (Stream.resumeAfter and
// resumeBefore) and lastValidId is
// remembered between appends: these are shortcuts, so here every read is checked against a walk of
// the whole stream, while reads, deletes, trims and appends interleave as consumer groups make them.

import t from 'tap';
import { seededRandom } from '../support/random';
import { type StreamId, MAX_ID, MIN_ID, Stream, compareIds, formatId, incrId } from '../../storage/stream';

const LIMITS = { nodeMaxBytes: 4096, nodeMaxEntries: 50 };

/** Every live entry, by a fresh walk from the first block (no shortcut can apply: start is 0-0). */
function allIds(stream: Stream): string[] {
  const ids: string[] = [];
  stream.range(MIN_ID, MAX_ID, 0, false, (e) => void ids.push(e.idText()));
  return ids;
}

t.test('paged forward reads, deletes and trims agree with full walks', async (t) => {
  const random = seededRandom(20261123);
  const stream = new Stream();
  let ms = 1;
  const append = (): void => {
    ms += random() < 0.7 ? 0 : 1 + Math.floor(random() * 3);
    const id: StreamId = { ms, seq: stream.lastId.ms === ms ? (stream.lastId.seq as number) + 1 : 0 };
    stream.append(id, ['f', `v${ms}`], LIMITS);
  };
  for (let i = 0; i < 3000; i++) append();
  // Three readers paging through at their own pace, as three groups would.
  const cursors: StreamId[] = [MIN_ID, MIN_ID, MIN_ID];
  let mismatches = 0;
  let reads = 0;
  for (let step = 0; step < 4000; step++) {
    const r = Math.floor(random() * cursors.length);
    const count = 1 + Math.floor(random() * 12);
    const start = incrId(cursors[r]!) ?? MAX_ID;
    const got: string[] = [];
    stream.range(start, MAX_ID, count, false, (e) => void got.push(e.idText()));
    const want = allIds(stream).filter((id) => compareIds(idOf(id), start) >= 0).slice(0, count);
    if (got.join() !== want.join()) mismatches++;
    // XREADGROUP walks the entries it delivers twice (decide, then reply): read the page again.
    const again: string[] = [];
    stream.range(start, MAX_ID, count, false, (e) => void again.push(e.idText()));
    if (again.join() !== want.join()) mismatches++;
    reads += 2;
    if (got.length > 0) cursors[r] = idOf(got[got.length - 1]!);
    const roll = random();
    if (roll < 0.15) {
      // Delete around the readers: the entry a read just returned, or one at random.
      const live = allIds(stream);
      const victim = got.length > 0 && random() < 0.5 ? got[got.length - 1]! : live[Math.floor(random() * live.length)];
      if (victim !== undefined) stream.delete([idOf(victim)]);
    } else if (roll < 0.18) {
      stream.trim({ strategy: 'maxlen', maxLen: Math.max(0, stream.length - Math.floor(random() * 40)), approx: random() < 0.5, limit: 0 });
    } else if (roll < 0.5) {
      append();
    }
    const live = allIds(stream);
    const last = stream.lastValidId();
    if ((last === null ? null : formatId(last)) !== (live.length === 0 ? null : live[live.length - 1]!)) mismatches++;
  }
  t.equal(mismatches, 0, `${reads} paged reads and lastValidId after each step match full walks`);
  t.ok(stream.length > 0, 'the stream still holds entries at the end (the test exercised non-empty reads)');
});

function idOf(text: string): StreamId {
  const dash = text.indexOf('-');
  return { ms: Number(text.slice(0, dash)), seq: Number(text.slice(dash + 1)) };
}
