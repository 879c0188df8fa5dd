// Blocking on Sluice alone: where Redis 7.2 (which Sluice follows) differs from the installed 7.0,
// what the server reports about blocked clients (INFO, CLIENT LIST, command stats, slow log),
// handlers that may not block (ctx.mayBlock false, as inside EXEC), and served pops surviving a
// crash exactly as direct pops do.

import { rmSync } from 'node:fs';
import t from 'tap';
import { spec as blmove } from '../../commands/list/blmove';
import { spec as blmpop } from '../../commands/list/blmpop';
import { spec as blpop } from '../../commands/list/blpop';
import { spec as brpoplpush } from '../../commands/list/brpoplpush';
import type { BlockSpec, CommandSpec, Ctx, ServerApi } from '../../commands/types';
import { ReplyWriter } from '../../server/resp/writer';
import type { Effect } from '../../storage/effects';
import { Engine } from '../../storage/engine';
import { RawClient } from '../support/resp';
import { startSluice, tempDir, type RunningServer } from '../support/servers';
import { runScenario } from './scenario';

const text = (b: Buffer) => b.toString('latin1');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitBlocked(control: RawClient, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (text(await control.call('INFO', 'clients')).includes(`blocked_clients:${n}\r\n`)) return;
    await sleep(5);
  }
  throw new Error(`never saw ${n} blocked clients`);
}

let server: RunningServer;
t.before(async () => {
  server = await startSluice();
});
t.teardown(() => server.stop());

t.test('Redis 7.2 timeouts: out of range where 7.0 said negative or timed out at once', async (t) => {
  const c = await RawClient.connect(server.port);
  for (const timeout of ['inf', '+inf', 'infinity', '1e400', '9223372036854775807', '9223372036854775.807']) {
    t.equal(text(await c.call('BLPOP', 'q', timeout)), '-ERR timeout is out of range\r\n', timeout);
  }
  t.equal(text(await c.call('BLPOP', 'q', '-inf')), '-ERR timeout is negative\r\n');
  t.equal(text(await c.call('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', 'inf')), '-ERR timeout is out of range\r\n');
  t.equal(text(await c.call('BLMPOP', '1e400', '1', 'q', 'LEFT')), '-ERR timeout is out of range\r\n');
  // Hex floats are strtold's too: 0x1p-10 s is under 1 ms, rounded up to 1 ms.
  t.equal(text(await c.call('BLPOP', 'q', '0x1p-10')), '*-1\r\n');
  c.close();
});

t.test('Redis 7.2 runs a woken command again whole: a key of another type met first is WRONGTYPE', async (t) => {
  // Redis 7.0 served [b, x] from the key that was written; 7.2 re-runs BLPOP a b, which meets the string at a.
  const transcript = await runScenario(server.port, [
    { c: 'a', send: ['BLPOP', 'a', 'b', '0'] },
    { blocked: 1 },
    { c: 'd', cmd: ['SET', 'a', 'str'] },
    { c: 'd', cmd: ['RPUSH', 'b', 'x'] },
    { c: 'a', read: true },
    { c: 'd', cmd: ['LLEN', 'b'] },
  ]);
  t.same(transcript, [
    'd SET a str -> +OK\r\n',
    'd RPUSH b x -> :1\r\n',
    'a reads -WRONGTYPE Operation against a key holding the wrong kind of value\r\n',
    'd LLEN b -> :1\r\n',
  ]);
});

t.test('INFO clients, CLIENT LIST, command stats and the slow log of blocked commands', async (t) => {
  const control = await RawClient.connect(server.port);
  const a = await RawClient.connect(server.port);
  const b = await RawClient.connect(server.port);
  await control.call('CONFIG', 'RESETSTAT');
  await control.call('SLOWLOG', 'RESET');
  await control.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
  a.write('*4\r\n$5\r\nBLPOP\r\n$2\r\nk1\r\n$2\r\nk2\r\n$1\r\n0\r\n');
  b.write('*4\r\n$5\r\nBRPOP\r\n$2\r\nk2\r\n$2\r\nk3\r\n$2\r\n30\r\n');
  await waitBlocked(control, 2);
  const info = text(await control.call('INFO', 'clients'));
  t.match(info, /blocked_clients:2\r\n/);
  t.match(info, /clients_in_timeout_table:1\r\n/);
  t.match(info, /total_blocking_keys:3\r\n/);
  t.match(info, /total_blocking_keys_on_nokey:0\r\n/);
  const list = text(await control.call('CLIENT', 'LIST'));
  t.equal(list.match(/flags=b /g)?.length, 2, 'two clients flagged b');
  t.match(list, /flags=b db=0 .* cmd=blpop /);
  t.match(list, /flags=b db=0 .* cmd=brpop /);
  t.notMatch(text(await control.call('INFO', 'commandstats')), /cmdstat_blpop/, 'a blocked command is not counted yet');
  t.notMatch(text(await control.call('SLOWLOG', 'GET')), /BLPOP/, 'nor logged as slow');

  await control.call('RPUSH', 'k2', 'v');
  t.equal(text(await a.readReply()), '*2\r\n$2\r\nk2\r\n$1\r\nv\r\n');
  t.match(text(await control.call('INFO', 'commandstats')), /cmdstat_blpop:calls=1,/);
  t.match(text(await control.call('SLOWLOG', 'GET')), /\$5\r\nBLPOP\r\n\$2\r\nk1\r\n\$2\r\nk2\r\n\$1\r\n0\r\n/, 'logged with its arguments once served');
  const after = text(await control.call('INFO', 'clients'));
  t.match(after, /blocked_clients:1\r\n/);
  t.match(after, /total_blocking_keys:2\r\n/);

  b.write('*2\r\n$6\r\nCLIENT\r\n$2\r\nID\r\n');
  t.equal(await b.readReply(150).then(text, () => 'nothing'), 'nothing', 'a blocked client runs nothing meanwhile');
  // b's CLIENT ID waits in its backlog; unblock b through the id CLIENT LIST shows.
  const bid = /id=(\d+) [^\n]*cmd=brpop/.exec(text(await control.call('CLIENT', 'LIST')))![1]!;
  t.equal(text(await control.call('CLIENT', 'UNBLOCK', bid, 'ERROR')), ':1\r\n');
  t.equal(text(await b.readReply()), '-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
  t.equal(text(await b.readReply()), `:${bid}\r\n`, 'then its waiting command ran');
  const stats = text(await control.call('INFO', 'commandstats'));
  t.match(stats, /cmdstat_brpop:calls=1,[^\r]*failed_calls=1/);
  t.match(text(await control.call('INFO', 'errorstats')), /errorstat_UNBLOCKED:count=1/);
  t.match(text(await control.call('INFO', 'clients')), /blocked_clients:0\r\ntracking_clients:0\r\npubsub_clients:0\r\nclients_in_timeout_table:0\r\ntotal_blocking_keys:0\r\n/);
  await control.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  for (const c of [control, a, b]) c.close();
});

/** A context for a handler alone, with mayBlock as given; block() records what it was asked. */
function fakeCtx(mayBlock: boolean): { ctx: Ctx; out: ReplyWriter; blocks: BlockSpec[]; effects: Effect[] } {
  const engine = new Engine({ databases: 16 });
  const out = new ReplyWriter();
  const blocks: BlockSpec[] = [];
  const effects: Effect[] = [];
  const server = { configApi: { int: () => -2 }, stats: { keyspaceHits: 0, keyspaceMisses: 0 } } as unknown as ServerApi;
  const ctx: Ctx = {
    out,
    client: { dbIndex: 0, noTouch: false } as unknown as Ctx['client'],
    server,
    engine,
    nowMs: 1_700_000_000_000,
    commit(effect) {
      effects.push(effect);
      engine.commit(effect);
    },
    mayBlock,
    block(spec) {
      blocks.push(spec);
    },
    notify() {
      // Keyspace notifications are not what these tests look at.
    },
  };
  return { ctx, out, blocks, effects };
}

function run(spec: CommandSpec, ctx: Ctx, ...args: string[]): void {
  spec.handler!(ctx, [spec.name, ...args].map((a) => Buffer.from(a, 'latin1')));
}

t.test('ctx.mayBlock false (inside EXEC): the timeout reply at once, even with timeout 0', async (t) => {
  const { ctx, out, blocks, effects } = fakeCtx(false);
  run(blpop, ctx, 'q', 'r', '0');
  run(blmpop, ctx, '0', '1', 'q', 'LEFT');
  run(blmove, ctx, 'q', 'd', 'LEFT', 'RIGHT', '0');
  run(brpoplpush, ctx, 'q', 'd', '0');
  run(blpop, ctx, 'q', '-1');
  t.equal(out.take()?.toString('latin1'), '*-1\r\n*-1\r\n$-1\r\n$-1\r\n-ERR timeout is negative\r\n', 'null array, null bulk (as Redis inside MULTI), errors first');
  t.equal(blocks.length, 0, 'nothing blocked');
  t.equal(effects.length, 0, 'nothing committed');
  ctx.commit({ op: 'rpush', db: 0, key: 'q', elements: ['x'], fill: -2 });
  run(blpop, ctx, 'q', '0');
  t.equal(out.take()?.toString('latin1'), '*2\r\n$1\r\nq\r\n$1\r\nx\r\n', 'data still served');
});

t.test('ctx.block: keys, deadline from ctx.nowMs, a retry that serves once the key holds a list', async (t) => {
  const { ctx, out, blocks } = fakeCtx(true);
  run(blpop, ctx, 'a', 'b', 'a', '1.5');
  t.equal(out.take(), null, 'no reply while blocked');
  t.equal(blocks.length, 1);
  const spec = blocks[0]!;
  t.same(spec.keys, ['a', 'b', 'a']);
  t.equal(spec.deadlineMs, ctx.nowMs + 1500);
  t.equal(spec.retry('b'), 'empty', 'key still missing');
  ctx.commit({ op: 'set', db: 0, key: 'a', value: 's', expireAtMs: null });
  t.equal(spec.retry('a'), 'skip', 'another type: the next waiter may try');
  t.equal(out.take(), null, 'nothing written by a retry that does not serve');
  ctx.commit({ op: 'rpush', db: 0, key: 'b', elements: ['x'], fill: -2 });
  t.equal(spec.retry('b'), 'served', 'the whole command ran again');
  t.equal(out.take()?.toString('latin1'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
  spec.timedOut();
  t.equal(out.take()?.toString('latin1'), '*-1\r\n');
});

t.test('a pop served to a blocked client survives a crash like a direct pop', async (t) => {
  const dir = tempDir();
  try {
    const s = await startSluice(['--appendonly', 'yes', '--appendfsync', 'always'], { dir });
    const transcript = await runScenario(s.port, [
      { c: 'a', send: ['BLPOP', 'q', '0'] },
      { blocked: 1 },
      { c: 'b', send: ['BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0'] },
      { blocked: 2 },
      { c: 'c', send: ['BLMPOP', '0', '1', 'm', 'LEFT', 'COUNT', '2'] },
      { blocked: 3 },
      { c: 'd', cmd: ['RPUSH', 'q', '1', '2', '3'] },
      { c: 'd', cmd: ['RPUSH', 'src', 'x', 'y'] },
      { c: 'd', cmd: ['RPUSH', 'm', 'p', 'q', 'r'] },
      { c: 'a', read: true },
      { c: 'b', read: true },
      { c: 'c', read: true },
    ]);
    t.same(transcript.slice(3), ['a reads *2\r\n$1\r\nq\r\n$1\r\n1\r\n', 'b reads $1\r\ny\r\n', 'c reads *2\r\n$1\r\nm\r\n*2\r\n$1\r\np\r\n$1\r\nq\r\n']);
    await s.kill();
    const again = await startSluice(['--appendonly', 'yes'], { dir });
    const c = await RawClient.connect(again.port);
    t.equal(text(await c.call('LRANGE', 'q', '0', '-1')), '*2\r\n$1\r\n2\r\n$1\r\n3\r\n', 'the served pop is in the log');
    t.equal(text(await c.call('LRANGE', 'src', '0', '-1')), '*1\r\n$1\r\nx\r\n');
    t.equal(text(await c.call('LRANGE', 'dst', '0', '-1')), '*1\r\n$1\r\ny\r\n', 'the served move too');
    t.equal(text(await c.call('LRANGE', 'm', '0', '-1')), '*1\r\n$1\r\nr\r\n');
    c.close();
    await again.kill();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
