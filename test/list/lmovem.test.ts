// LMOVEM and BLMOVEM (Redis 8.10, absent from the installed Redis): exact reply bytes in RESP2 and
// RESP3, built from Redis's documentation and its list-4.tcl expectations. The ordering table:
// from [a b c d] into [x y], two elements:
//   LEFT→LEFT  OBO [b a] / BULK [a b]      LEFT→RIGHT  both [a b]
//   RIGHT→LEFT both [c d]                  RIGHT→RIGHT OBO [d c] / BULK [c d]
// The reply lists the moved elements as they read in the destination, head to tail.

import { rmSync } from 'node:fs';
import t from 'tap';
import { RawClient } from '../support/resp';
import { startSluice, tempDir, type RunningServer } from '../support/servers';
import { runScenario } from '../blocking/scenario';

const text = (b: Buffer) => b.toString('latin1');
const bulks = (...items: string[]) => `*${items.length}\r\n${items.map((i) => `$${i.length}\r\n${i}\r\n`).join('')}`;

let server: RunningServer;
t.before(async () => {
  server = await startSluice();
});
t.teardown(() => server.stop());

async function client(resp: 2 | 3 = 2): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  if (resp === 3) await c.call('HELLO', '3');
  await c.call('FLUSHALL');
  t.teardown(() => c.close());
  return c;
}

t.test('the four directions, OBO and BULK: reply and both lists', async (t) => {
  const c = await client();
  const cases: Array<[string, string, string, string, string]> = [
    ['LEFT', 'LEFT', 'OBO', 'b a', 'b a x y'],
    ['LEFT', 'LEFT', 'BULK', 'a b', 'a b x y'],
    ['LEFT', 'RIGHT', 'OBO', 'a b', 'x y a b'],
    ['LEFT', 'RIGHT', 'BULK', 'a b', 'x y a b'],
    ['RIGHT', 'LEFT', 'OBO', 'c d', 'c d x y'],
    ['RIGHT', 'LEFT', 'BULK', 'c d', 'c d x y'],
    ['RIGHT', 'RIGHT', 'OBO', 'd c', 'x y d c'],
    ['RIGHT', 'RIGHT', 'BULK', 'c d', 'x y c d'],
  ];
  for (const [from, to, order, reply, dest] of cases) {
    await c.call('DEL', 'src', 'dst');
    await c.call('RPUSH', 'src', 'a', 'b', 'c', 'd');
    await c.call('RPUSH', 'dst', 'x', 'y');
    const name = `${from} ${to} COUNT 2 ${order}`;
    t.equal(text(await c.call('LMOVEM', 'src', 'dst', from, to, 'COUNT', '2', order)), bulks(...reply.split(' ')), name);
    t.equal(text(await c.call('LRANGE', 'dst', '0', '-1')), bulks(...dest.split(' ')), `${name}: destination`);
    t.equal(text(await c.call('LRANGE', 'src', '0', '-1')), bulks(...(from === 'LEFT' ? ['c', 'd'] : ['a', 'b'])), `${name}: source`);
  }
});

t.test('counts, EXACTLY, a missing source, the same key, RESP3', async (t) => {
  for (const resp of [2, 3] as const) {
    const c = await client(resp);
    const nil = resp === 2 ? '*-1\r\n' : '_\r\n';
    await c.call('RPUSH', 'src', 'a', 'b', 'c');
    t.equal(text(await c.call('LMOVEM', 'src', 'dst', 'left', 'right')), bulks('a'), 'no options: one element, as an array');
    t.equal(text(await c.call('LMOVEM', 'src', 'dst', 'left', 'right', 'exactly', '3', 'bulk')), nil, 'EXACTLY more than there are: null');
    t.equal(text(await c.call('LRANGE', 'src', '0', '-1')), bulks('b', 'c'), 'nothing moved');
    t.equal(text(await c.call('LMOVEM', 'src', 'dst', 'left', 'right', 'count', '100', 'obo')), bulks('b', 'c'), 'COUNT takes what there is');
    t.equal(text(await c.call('EXISTS', 'src')), ':0\r\n', 'an emptied source is deleted');
    t.equal(text(await c.call('LRANGE', 'dst', '0', '-1')), bulks('a', 'b', 'c'));
    t.equal(text(await c.call('LMOVEM', 'src', 'dst', 'left', 'right')), nil, 'missing source: null (as Redis 8.10 sends it)');
    t.equal(text(await c.call('LMOVEM', 'src', 'dst', 'left', 'right', 'COUNT', '5', 'BULK')), nil);
    t.equal(text(await c.call('LMOVEM', 'nosrc', 'newdst', 'left', 'right', 'EXACTLY', '1', 'OBO')), nil);
    t.equal(text(await c.call('EXISTS', 'newdst')), ':0\r\n', 'destination not created');
    await c.call('RPUSH', 'same', 'a', 'b', 'c');
    t.equal(text(await c.call('LMOVEM', 'same', 'same', 'LEFT', 'LEFT', 'EXACTLY', '2', 'OBO')), bulks('b', 'a'), 'the docs example');
    t.equal(text(await c.call('LRANGE', 'same', '0', '-1')), bulks('b', 'a', 'c'));
    t.equal(text(await c.call('LMOVEM', 'same', 'same', 'LEFT', 'RIGHT', 'COUNT', '2', 'BULK')), bulks('b', 'a'), 'rotation');
    t.equal(text(await c.call('LRANGE', 'same', '0', '-1')), bulks('c', 'b', 'a'));
    t.equal(text(await c.call('LMOVEM', 'same', 'same', 'RIGHT', 'RIGHT', 'COUNT', '3', 'BULK')), bulks('c', 'b', 'a'), 'the whole list, same end, BULK');
    t.equal(text(await c.call('LRANGE', 'same', '0', '-1')), bulks('c', 'b', 'a'), 'unchanged and still there');
    await c.call('PEXPIRE', 'same', '100000');
    await c.call('LMOVEM', 'same', 'same', 'LEFT', 'LEFT', 'COUNT', '3', 'OBO');
    t.equal(text(await c.call('LRANGE', 'same', '0', '-1')), bulks('a', 'b', 'c'), 'the whole list reversed in place');
    t.match(text(await c.call('PTTL', 'same')), /^:\d+\r\n$/, 'keeps its expiry: the key never went away');
  }
});

t.test('errors: syntax, counts, arity, WRONGTYPE (nothing moved)', async (t) => {
  const c = await client();
  await c.call('RPUSH', 'src', 'a', 'b', 'c');
  const err = async (...args: string[]) => text(await c.call(...args));
  t.equal(await err('LMOVEM', 'src', 'dst', 'left'), "-ERR wrong number of arguments for 'lmovem' command\r\n");
  t.equal(await err('BLMOVEM', 'src', 'dst', 'left', 'right'), "-ERR wrong number of arguments for 'blmovem' command\r\n");
  for (const tail of [['count', '2'], ['count', '2', 'obo', 'extra'], ['bad', '2', 'obo'], ['count', '2', 'badorder'], ['count']]) {
    t.equal(await err('LMOVEM', 'src', 'dst', 'left', 'right', ...tail), '-ERR syntax error\r\n', tail.join(' '));
  }
  t.equal(await err('LMOVEM', 'src', 'dst', 'up', 'right', 'count', '2', 'obo'), '-ERR syntax error\r\n');
  t.equal(await err('LMOVEM', 'src', 'dst', 'left', 'down'), '-ERR syntax error\r\n');
  for (const [selector, n] of [['count', '0'], ['exactly', '0'], ['COUNT', '-1'], ['count', 'a'], ['EXACTLY', '1.5']]) {
    t.equal(await err('LMOVEM', 'src', 'dst', 'left', 'right', selector!, n!, 'bulk'), '-ERR count should be greater than 0\r\n', `${selector} ${n}`);
  }
  t.equal(await err('BLMOVEM', 'src', 'dst', 'left', 'right', 'x', 'count', '1', 'bulk'), '-ERR timeout is not a float or out of range\r\n');
  t.equal(await err('BLMOVEM', 'src', 'dst', 'left', 'right', '-1'), '-ERR timeout is negative\r\n');
  t.equal(await err('BLMOVEM', 'src', 'dst', 'left', 'right', '0', 'count', '0', 'obo'), '-ERR count should be greater than 0\r\n');
  await c.call('SET', 'str', 'v');
  const wrongType = '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n';
  t.equal(await err('LMOVEM', 'str', 'dst', 'left', 'right'), wrongType);
  t.equal(await err('LMOVEM', 'src', 'str', 'left', 'right', 'count', '2', 'bulk'), wrongType);
  t.equal(await err('BLMOVEM', 'str', 'dst', 'left', 'right', '0'), wrongType);
  t.equal(text(await c.call('LRANGE', 'src', '0', '-1')), bulks('a', 'b', 'c'), 'nothing moved out of the source');
  t.equal(await err('LMOVEM', 'src', 'str', 'left', 'right', 'exactly', '9', 'bulk'), '*-1\r\n', 'too few: null before the destination is looked at');
  t.equal(text(await c.call('COMMAND', 'GETKEYS', 'LMOVEM', 'a', 'b', 'LEFT', 'RIGHT', 'COUNT', '2', 'OBO')), bulks('a', 'b'));
  t.equal(text(await c.call('COMMAND', 'GETKEYS', 'BLMOVEM', 'a', 'b', 'LEFT', 'RIGHT', '0')), bulks('a', 'b'));
});

t.test('BLMOVEM: like LMOVEM when there is enough; waits otherwise', async (t) => {
  const s = server.port;
  t.same(
    await runScenario(s, [
      { c: 'd', cmd: ['RPUSH', 'src', '1', '2', '3'] },
      { c: 'a', cmd: ['BLMOVEM', 'src', 'dst', 'LEFT', 'RIGHT', '0', 'COUNT', '2', 'BULK'] },
      // COUNT waits only while the source is missing, and takes what the first push brings.
      { c: 'a', send: ['BLMOVEM', 'q', 'dst', 'LEFT', 'RIGHT', '0', 'COUNT', '5', 'BULK'] },
      { blocked: 1 },
      { c: 'd', cmd: ['RPUSH', 'q', 'a', 'b'] },
      { c: 'a', read: true },
      // EXACTLY waits until the source holds enough, then moves them at once.
      { c: 'b', send: ['BLMOVEM', 'e', 'out', 'LEFT', 'RIGHT', '0', 'EXACTLY', '3', 'BULK'] },
      { blocked: 1 },
      { c: 'd', cmd: ['RPUSH', 'e', '1', '2'] },
      { c: 'b', none: 100 },
      { c: 'd', cmd: ['LINSERT', 'e', 'BEFORE', '1', '0'] },
      { c: 'b', read: true },
      { c: 'd', cmd: ['EXISTS', 'e'] },
      { c: 'd', cmd: ['LRANGE', 'out', '0', '-1'] },
    ]),
    [
      'd RPUSH src 1 2 3 -> :3\r\n',
      `a BLMOVEM src dst LEFT RIGHT 0 COUNT 2 BULK -> ${bulks('1', '2')}`,
      'd RPUSH q a b -> :2\r\n',
      `a reads ${bulks('a', 'b')}`,
      'd RPUSH e 1 2 -> :2\r\n',
      'b waits (nothing)',
      'd LINSERT e BEFORE 1 0 -> :3\r\n',
      `b reads ${bulks('0', '1', '2')}`,
      'd EXISTS e -> :0\r\n',
      `d LRANGE out 0 -1 -> ${bulks('0', '1', '2')}`,
    ],
  );
});

t.test('BLMOVEM EXACTLY keeps its turn while those behind it take what is too little for it', async (t) => {
  t.same(
    await runScenario(server.port, [
      { c: 'a', send: ['BLMOVEM', 'src', 'dst', 'LEFT', 'RIGHT', '0', 'EXACTLY', '2', 'BULK'] },
      { blocked: 1 },
      { c: 'b', send: ['BLPOP', 'src', '0'] },
      { blocked: 2 },
      { c: 'c', send: ['BLPOP', 'src', '0'] },
      { blocked: 3 },
      { c: 'd', cmd: ['RPUSH', 'src', 'a'] },
      { c: 'b', read: true },
      { c: 'd', cmd: ['RPUSH', 'src', 'b', 'c'] },
      { c: 'a', read: true },
      { c: 'c', none: 100 },
      { c: 'd', cmd: ['RPUSH', 'src', 'd'] },
      { c: 'c', read: true },
    ]),
    [
      'd RPUSH src a -> :1\r\n',
      'b reads *2\r\n$3\r\nsrc\r\n$1\r\na\r\n',
      'd RPUSH src b c -> :2\r\n',
      `a reads ${bulks('b', 'c')}`,
      'c waits (nothing)',
      'd RPUSH src d -> :1\r\n',
      'c reads *2\r\n$3\r\nsrc\r\n$1\r\nd\r\n',
    ],
  );
});

t.test('BLMOVEM times out, and inside MULTI answers at once, with a null array', async (t) => {
  for (const resp of [2, 3] as const) {
    const c = await client(resp);
    const nil = resp === 2 ? '*-1\r\n' : '_\r\n';
    t.equal(text(await c.call('BLMOVEM', 'src', 'dst', 'LEFT', 'RIGHT', '0.05', 'EXACTLY', '3', 'BULK')), nil, `RESP${resp} timeout`);
    await c.call('MULTI');
    await c.call('BLMOVEM', 'src', 'dst', 'LEFT', 'RIGHT', '0', 'EXACTLY', '3', 'BULK');
    await c.call('BLMOVEM', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    t.equal(text(await c.call('EXEC')), `*2\r\n${nil}${nil}`, `RESP${resp} inside EXEC`);
  }
});

t.test('moves survive a crash through the log, BLMOVEM served from a wait included', async (t) => {
  const dir = tempDir();
  try {
    const s = await startSluice(['--appendonly', 'yes', '--appendfsync', 'always'], { dir });
    const transcript = await runScenario(s.port, [
      { c: 'd', cmd: ['RPUSH', 'src', 'a', 'b', 'c', 'd', 'e'] },
      { c: 'd', cmd: ['RPUSH', 'dst', 'x'] },
      { c: 'd', cmd: ['LMOVEM', 'src', 'dst', 'LEFT', 'LEFT', 'COUNT', '2', 'OBO'] },
      { c: 'd', cmd: ['LMOVEM', 'src', 'dst', 'RIGHT', 'RIGHT', 'EXACTLY', '2', 'BULK'] },
      { c: 'd', cmd: ['RPUSH', 'ring', '1', '2', '3'] },
      { c: 'd', cmd: ['LMOVEM', 'ring', 'ring', 'LEFT', 'LEFT', 'COUNT', '3', 'OBO'] },
      { c: 'a', send: ['BLMOVEM', 'w', 'done', 'LEFT', 'RIGHT', '0', 'EXACTLY', '2', 'OBO'] },
      { blocked: 1 },
      { c: 'd', cmd: ['RPUSH', 'w', 'p'] },
      { c: 'd', cmd: ['RPUSH', 'w', 'q', 'r'] },
      { c: 'a', read: true },
    ]);
    t.equal(transcript.at(-1), `a reads ${bulks('p', 'q')}`);
    await s.kill();
    const again = await startSluice(['--appendonly', 'yes'], { dir });
    const c = await RawClient.connect(again.port);
    t.equal(text(await c.call('LRANGE', 'src', '0', '-1')), bulks('c'));
    t.equal(text(await c.call('LRANGE', 'dst', '0', '-1')), bulks('b', 'a', 'x', 'd', 'e'));
    t.equal(text(await c.call('LRANGE', 'ring', '0', '-1')), bulks('3', '2', '1'));
    t.equal(text(await c.call('LRANGE', 'w', '0', '-1')), bulks('r'));
    t.equal(text(await c.call('LRANGE', 'done', '0', '-1')), bulks('p', 'q'));
    c.close();
    await again.kill();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
