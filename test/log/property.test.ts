// Property: random effect sequences, appended to the log in random records and turns, then
// recovered into a fresh Engine, give exactly the keyspace that applying them directly gave
// (compared by the canonical dump) — also across segment rolls, restarts in the middle, and
// power losses after which the replayed prefix must match a direct application of that prefix.

import t from 'tap';
import { canonicalDump } from '../../storage/dump';
import type { Effect } from '../../storage/effects';
import { Engine } from '../../storage/engine';
import { openLog } from '../../storage/log/recovery';
import { seededRandom } from '../support/random';
import type { FaultyFs } from '../support/faulty-fs';
import { DIR, EffectGenerator, freshFs, seedFor } from './helpers';
import { ManualClock } from '../../storage/clock';

const DATABASES = 4;

function recoverInto(fs: FaultyFs, segmentBytesMax: number): { engine: Engine; records: Effect[][]; close: () => Promise<void> } {
  const engine = new Engine({ databases: DATABASES });
  const records: Effect[][] = [];
  const { log } = openLog({
    dir: DIR,
    fsync: 'always',
    segmentBytesMax,
    fs,
    clock: new ManualClock(),
    replay: (effects) => {
      records.push(effects);
      for (const e of effects) engine.replay(e);
    },
  });
  return { engine, records, close: () => log.close() };
}

t.test('log → recovery into a fresh Engine equals applying the effects directly', async (t) => {
  const seed = seedFor('log property');
  const random = seededRandom(seed);
  for (let run = 0; run < 8; run++) {
    const fs = freshFs(seed + run);
    const segmentBytesMax = 500 + Math.floor(random() * 20_000);
    const direct = new Engine({ databases: DATABASES });
    const generator = new EffectGenerator(random, direct);
    let opened = openLog({ dir: DIR, fsync: 'always', segmentBytesMax, fs, clock: new ManualClock(), replay: () => {} });
    let effects = 0;
    const turns = 20 + Math.floor(random() * 60);
    for (let turn = 0; turn < turns; turn++) {
      const commands = 1 + Math.floor(random() * 8);
      for (let c = 0; c < commands; c++) {
        // A command (or an EXEC) produces one or more effects: one record.
        const n = random() < 0.8 ? 1 : 2 + Math.floor(random() * 6);
        for (let i = 0; i < n; i++) {
          opened.log.add(generator.next());
          effects++;
        }
        opened.log.endRecord();
      }
      await opened.log.flush();
      if (random() < 0.05) {
        // A clean restart in the middle: the recovered state must already match.
        await opened.log.close();
        const mid = recoverInto(fs, segmentBytesMax);
        if (canonicalDump(mid.engine) !== canonicalDump(direct)) return t.fail(`run ${run}: mid-run restart differs`);
        await mid.close();
        opened = openLog({ dir: DIR, fsync: 'always', segmentBytesMax, fs, clock: new ManualClock(), replay: () => {} });
      }
    }
    await opened.log.close();
    const recovered = recoverInto(fs, segmentBytesMax);
    const want = canonicalDump(direct);
    if (canonicalDump(recovered.engine) !== want) return t.fail(`run ${run}: recovered keyspace differs (seed ${seed})`);
    await recovered.close();
    t.ok(true, `run ${run}: ${effects} effects in ${turns} turns, ${want.split('\n').length - 1} keys, identical`);
  }
});

t.test('after a power loss the replayed prefix equals applying that prefix directly', async (t) => {
  const seed = seedFor('log property, power loss');
  const random = seededRandom(seed);
  for (let run = 0; run < 6; run++) {
    const fs = freshFs(seed + run);
    fs.pageBytes = 128;
    const segmentBytesMax = 1000 + Math.floor(random() * 5000);
    const direct = new Engine({ databases: DATABASES });
    const generator = new EffectGenerator(random, direct);
    const { log } = openLog({ dir: DIR, fsync: 'always', segmentBytesMax, fs, clock: new ManualClock(), replay: () => {} });
    const written: Effect[][] = [];
    let acked = 0;
    for (let turn = 0; turn < 40; turn++) {
      fs.holdSyncs = random() < 0.3;
      for (let c = 0; c < 1 + Math.floor(random() * 5); c++) {
        const record = [generator.next()];
        if (random() < 0.2) record.push(generator.next());
        written.push(record);
        log.append(record);
      }
      const count = written.length;
      void log.flush().then(
        () => (acked = Math.max(acked, count)),
        () => {},
      );
      if (!fs.holdSyncs) await new Promise((r) => setImmediate(r));
    }
    fs.crash('power');
    const recovered = recoverInto(fs, segmentBytesMax);
    const n = recovered.records.length;
    if (n < acked) return t.fail(`run ${run}: ${n} records replayed, ${acked} acknowledged`);
    const prefix = new Engine({ databases: DATABASES });
    for (const record of written.slice(0, n)) for (const e of record) prefix.replay(e);
    if (canonicalDump(recovered.engine) !== canonicalDump(prefix)) return t.fail(`run ${run}: prefix state differs`);
    await recovered.close();
    t.ok(true, `run ${run}: ${n} of ${written.length} records recovered (${acked} acknowledged), state identical`);
  }
});
