// kill -9 in a loop under appendfsync always: clients write (INCR, SET, two-key MSET) in
// pipelines while background snapshots and segment deletion run (small segments, a low
// auto-aof-rewrite threshold); the server is killed at a random moment; after each restart every
// acknowledged write is present, counters lie between what was acknowledged and what was sent,
// and no MSET is half applied. The seed is printed; SEED=... replays the same schedule.

import { rmSync } from 'node:fs';
import t, { type Test } from 'tap';
import { RawClient, encodeCommand } from '../support/resp';
import { seededRandom } from '../support/random';
import { startSluice, tempDir, type RunningServer } from '../support/servers';
import { seedFor } from '../log/helpers';
import { cmd, decode, info, terminate } from '../persistence/helpers';

const WRITERS = 4;
const ROUNDS = Number(process.env.KILL9_ROUNDS ?? 8);
const ARGS = [
  '--appendfsync', 'always',
  '--save', '',
  '--segment-bytes', '32kb',
  '--repl-backlog-size', '1',
  '--auto-aof-rewrite-min-size', '64kb',
  '--auto-aof-rewrite-percentage', '50',
];

/** What one writer knows about its own keys, across rounds. */
interface WriterState {
  /** Next sequence number to use. */
  next: number;
  /** ctr:<w> is at least this (acknowledged INCR replies, or what a restart showed). */
  counterFloor: number;
  /** ...and at most this (every INCR sent). */
  counterCeiling: number;
  /** SET k:<w>:<i> acknowledged: these must exist with value v<i>. */
  ackedSets: number[];
  /** MSET pa:<w> i pb:<w> i: the highest acknowledged i, and the highest sent. */
  pairFloor: number;
  pairCeiling: number;
}

async function writeUntilKilled(client: RawClient, w: number, state: WriterState, random: () => number): Promise<number> {
  let acked = 0;
  for (;;) {
    const batch: Array<{ kind: 'incr' | 'set' | 'mset'; i: number }> = [];
    const n = 1 + Math.floor(random() * 8);
    const commands: Buffer[] = [];
    for (let j = 0; j < n; j++) {
      const i = state.next++;
      const kind = i % 3 === 0 ? 'incr' : i % 3 === 1 ? 'set' : 'mset';
      batch.push({ kind, i });
      if (kind === 'incr') {
        state.counterCeiling++;
        commands.push(encodeCommand(['INCR', `ctr:${w}`]));
      } else if (kind === 'set') {
        commands.push(encodeCommand(['SET', `k:${w}:${i}`, `v${i}`]));
      } else {
        state.pairCeiling = i;
        commands.push(encodeCommand(['MSET', `pa:${w}`, String(i), `pb:${w}`, String(i)]));
      }
    }
    client.write(Buffer.concat(commands));
    for (const op of batch) {
      let reply: Buffer;
      try {
        reply = await client.readReply(10000);
      } catch {
        return acked; // the server died: the rest of the batch is unacknowledged
      }
      const value = decode(reply);
      if (op.kind === 'incr') {
        if (typeof value !== 'number') throw new Error(`INCR answered ${JSON.stringify(value)}`);
        state.counterFloor = Math.max(state.counterFloor, value);
      } else {
        if (value !== 'OK') throw new Error(`${op.kind} answered ${JSON.stringify(value)}`);
        if (op.kind === 'set') state.ackedSets.push(op.i);
        else state.pairFloor = Math.max(state.pairFloor, op.i);
      }
      acked++;
    }
  }
}

async function verify(t: Test, client: RawClient, states: WriterState[], round: number): Promise<void> {
  let problems = 0;
  for (let w = 0; w < WRITERS; w++) {
    const s = states[w]!;
    const counter = Number((await cmd(client, 'GET', `ctr:${w}`)) ?? 0);
    if (counter < s.counterFloor || counter > s.counterCeiling) {
      problems++;
      t.fail(`round ${round} writer ${w}: ctr is ${counter}, acknowledged ${s.counterFloor}, sent ${s.counterCeiling}`);
    }
    // What the restart shows is the new truth for the next round.
    s.counterFloor = counter;
    s.counterCeiling = counter;
    const [a, b] = [await cmd(client, 'GET', `pa:${w}`), await cmd(client, 'GET', `pb:${w}`)];
    if (a !== b) {
      problems++;
      t.fail(`round ${round} writer ${w}: MSET half applied: pa=${String(a)} pb=${String(b)}`);
    }
    const pair = a === null ? -1 : Number(a);
    if (pair < s.pairFloor || pair > s.pairCeiling) {
      problems++;
      t.fail(`round ${round} writer ${w}: pair at ${pair}, acknowledged ${s.pairFloor}, sent ${s.pairCeiling}`);
    }
    s.pairFloor = Math.max(pair, -1);
    s.pairCeiling = s.pairFloor;
    for (let from = 0; from < s.ackedSets.length; from += 500) {
      const ids = s.ackedSets.slice(from, from + 500);
      const values = (await cmd(client, 'MGET', ...ids.map((i) => `k:${w}:${i}`))) as Array<string | null>;
      ids.forEach((i, j) => {
        if (values[j] !== `v${i}`) {
          problems++;
          if (problems < 20) t.fail(`round ${round} writer ${w}: acknowledged SET k:${w}:${i} reads ${JSON.stringify(values[j])}`);
        }
      });
    }
  }
  if (problems === 0) t.pass(`round ${round}: every acknowledged write is there, nothing half applied`);
}

t.test('kill -9 in a loop loses no acknowledged write (appendfsync always)', async (t) => {
  const seed = seedFor('kill -9 loop');
  const random = seededRandom(seed);
  const dir = tempDir('sluice-kill9-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const states: WriterState[] = Array.from({ length: WRITERS }, () => ({
    next: 0,
    counterFloor: 0,
    counterCeiling: 0,
    ackedSets: [],
    pairFloor: -1,
    pairCeiling: -1,
  }));
  let server: RunningServer | null = null;
  let totalAcked = 0;
  let rewrites = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    server = await startSluice(ARGS, { dir });
    const check = await RawClient.connect(server.port);
    await verify(t, check, states, round - 1);
    const clients = await Promise.all(Array.from({ length: WRITERS }, () => RawClient.connect(server!.port)));
    const writing = clients.map((c, w) => writeUntilKilled(c, w, states[w]!, random));
    const killAfterMs = 150 + Math.floor(random() * 550);
    await new Promise((r) => setTimeout(r, killAfterMs));
    rewrites += Number((await info(check)).get('aof_rewrites'));
    await server.kill();
    const acked = (await Promise.all(writing)).reduce((a, b) => a + b, 0);
    totalAcked += acked;
    t.comment(`round ${round}: killed after ${killAfterMs} ms, ${acked} writes acknowledged`);
    for (const c of [check, ...clients]) c.close();
  }
  server = await startSluice(ARGS, { dir });
  const check = await RawClient.connect(server.port);
  await verify(t, check, states, ROUNDS);
  t.ok(totalAcked > 100, `${totalAcked} acknowledged writes checked`);
  t.comment(`${rewrites} background rewrites ran during the rounds`);
  const output = server.output();
  check.close();
  await terminate(server);
  t.notMatch(output, /Refusing to start/, 'never refused to start');
});
