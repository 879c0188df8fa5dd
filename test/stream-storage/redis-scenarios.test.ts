// Stream storage against real Redis 7.0.15's answers (recorded by redis-fixtures.ts): seeded random
// sequences of XADD (with MAXLEN/MINID, = and ~, LIMIT), XDEL, XTRIM, XGROUP CREATE/SETID/DESTROY,
// XREADGROUP '>', XACK and XSETID, under six stream-node-max-bytes / -entries settings. After every
// step, the reply and what XINFO STREAM and XINFO GROUPS report must match: length, radix-tree-keys
// (so blocks split and trims cut exactly where Redis's nodes do), last-generated-id,
// max-deleted-entry-id, entries-added, recorded-first-entry-id, first and last entry, and per group
// the consumer and pending counts, last-delivered-id, entries-read and lag.
// Then the log of changes is replayed on a fresh stream, each change through msgpack as the durable
// log encodes it (storage/log/frame.ts's options) and a snapshot round trip midway, and must reach
// the same canonical state and block layout.

import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Packr } from 'msgpackr';
import { MiniServer, type Reply } from './mini-commands';
import { type StreamChange, Stream, applyStreamChange, canonicalStream, deserializeStream, serializeStream } from '../../storage/stream';

// The durable log's msgpack settings (64-bit integers come back as doubles: effects must not need them).
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true, int64AsType: 'number' });

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'stream-storage', 'fixtures');

interface Scenario {
  seed: number;
  config: [number, number];
  steps: Array<{ cmd: string[]; reply: Reply; info: Reply; groups: Reply }>;
}

const recorded = JSON.parse(readFileSync(join(FIXTURES, 'scenarios.json'), 'utf8')) as { redis: string; scenarios: Scenario[] };

t.test(`scenarios recorded from Redis ${recorded.redis}`, async (t) => {
  let steps = 0;
  for (const sc of recorded.scenarios) {
    const limits = { nodeMaxBytes: sc.config[0], nodeMaxEntries: sc.config[1] };
    const server = new MiniServer(limits);
    let failed = false;
    for (const [i, step] of sc.steps.entries()) {
      const reply = server.run(step.cmd);
      const info = server.info('s');
      const groups = server.groups('s');
      const where = `seed ${sc.seed} (node limits ${sc.config.join('/')}), step ${i}: ${step.cmd.join(' ').slice(0, 120)}`;
      if (JSON.stringify(reply) !== JSON.stringify(step.reply)) {
        t.same(reply, step.reply, `${where}: reply`);
        failed = true;
      }
      if (JSON.stringify(info) !== JSON.stringify(step.info)) {
        t.same(info, step.info, `${where}: XINFO STREAM`);
        failed = true;
      }
      if (JSON.stringify(groups) !== JSON.stringify(step.groups)) {
        t.same(groups, step.groups, `${where}: XINFO GROUPS`);
        failed = true;
      }
      if (failed) break;
      steps++;
    }
    if (failed) continue;

    // The changes alone rebuild the same state (with a snapshot round trip halfway).
    const live = server.streams.get('s');
    if (live === undefined) continue;
    let replica: Stream | null = null;
    const half = server.log.length >> 1;
    server.log.forEach(({ change }, i) => {
      if (replica === null) replica = new Stream();
      if (i === half) replica = deserializeStream(serializeStream(replica));
      applyStreamChange(replica, packr.unpack(packr.pack(change)) as StreamChange, limits);
    });
    t.equal(canonicalStream(replica!), canonicalStream(live), `seed ${sc.seed}: replayed changes reach the same state`);
    t.equal(replica!.blockCount, live.blockCount, `seed ${sc.seed}: replayed changes reach the same block layout`);
  }
  t.ok(steps > 2000, `${steps} steps matched Redis`);
});
