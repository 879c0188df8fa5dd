// A live server under the RESP fuzzer (test/support/resp-fuzz.ts): hostile clients send random and
// mutated frames in random pieces and vanish, while neighbours run a checked workload. The server
// must not crash or hang, every neighbour reply must be right, the hostile connections must all be
// gone afterwards and memory must come back down. The seed is printed; FUZZ_SEED replays a run and
// FUZZ_FRAMES makes it longer (bench/fuzz-resp runs millions).

import t from 'tap';
import { runFuzz } from '../support/resp-fuzz';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
const frames = Number(process.env.FUZZ_FRAMES ?? 20_000);

function infoField(info: string, name: string): number {
  const match = new RegExp(`^${name}:(\\d+)`, 'm').exec(info);
  if (match === null) throw new Error(`INFO has no ${name}`);
  return Number(match[1]);
}

t.test(`${frames} fuzzed frames against a live server (FUZZ_SEED=${seed})`, async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const admin = await RawClient.connect(server.port);
  t.teardown(() => admin.close());
  const before = (await admin.call('INFO', 'memory')).toString();
  const baselineRss = infoField(before, 'used_memory_rss');

  const report = await runFuzz({ port: server.port, seed, frames });
  t.comment(`sent ${report.framesSent} frames (${report.bytesSent} bytes) over ${report.connections} connections; server closed ${report.closedByServer}; ${report.neighbourChecks} neighbour replies checked`);
  t.equal(report.framesSent, frames);
  t.same(report.neighbourErrors, [], 'every neighbour reply was right');
  t.ok(report.neighbourChecks > 100, 'the neighbours kept being served while the fuzzer ran');
  t.ok(report.closedByServer > 0, 'protocol errors closed hostile connections');

  t.equal((await admin.call('PING')).toString(), '+PONG\r\n', 'the server is alive');
  let clients = 0;
  for (let i = 0; i < 100; i++) {
    clients = infoField((await admin.call('INFO', 'clients')).toString(), 'connected_clients');
    if (clients === 1) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  t.equal(clients, 1, 'every hostile connection is gone');
  const after = (await admin.call('INFO', 'memory')).toString();
  const grownMb = (infoField(after, 'used_memory_rss') - baselineRss) / 1e6;
  t.comment(`RSS grew by ${grownMb.toFixed(1)} MB`);
  t.ok(grownMb < 200, `memory stays bounded (RSS +${grownMb.toFixed(1)} MB; announced-but-unsent bulks of up to 100 MB are never allocated)`);
  t.notMatch(server.output(), /uncaught|FATAL|"level":60/i, 'nothing fatal in the log');
});
