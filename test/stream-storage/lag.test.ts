// entries-read and lag, sequence by sequence, against what a real Redis 7.0.15 reported in XINFO
// GROUPS (fixtures/lag.json, recorded by redis-fixtures.ts from NAMED_SCENARIOS): reads counted
// forward, estimates after XDEL before, at and after the group's position, XTRIM, XSETID with
// ENTRIESADDED/MAXDELETEDID, emptied streams, ENTRIESREAD on CREATE/SETID, NOACK, redelivery after
// SETID back, and IDs at the top of the ID space. Replies and XINFO STREAM are compared too.

import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MiniServer, type Reply } from './mini-commands';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'stream-storage', 'fixtures');

interface Named {
  name: string;
  steps: Array<{ cmd: string[]; reply: Reply; info: Reply; groups: Reply }>;
}

const recorded = JSON.parse(readFileSync(join(FIXTURES, 'lag.json'), 'utf8')) as {
  redis: string;
  nodeLimits: [number, number];
  scenarios: Named[];
};

for (const sc of recorded.scenarios) {
  t.test(`${sc.name} (as Redis ${recorded.redis} answered)`, async (t) => {
    const server = new MiniServer({ nodeMaxBytes: recorded.nodeLimits[0], nodeMaxEntries: recorded.nodeLimits[1] });
    for (const [i, step] of sc.steps.entries()) {
      const where = `step ${i}: ${step.cmd.join(' ')}`;
      t.same(server.run(step.cmd), step.reply, `${where}: reply`);
      t.same(server.info('s'), step.info, `${where}: XINFO STREAM`);
      t.same(server.groups('s'), step.groups, `${where}: XINFO GROUPS (name, consumers, pending, last-delivered-id, entries-read, lag)`);
    }
  });
}
