// Unit tests of the request reader: framing, inline commands, limits and Redis's protocol errors,
// fed in every possible split so that chunk boundaries never change what is read.

import t from 'tap';
import { RequestReader, type ReaderSink } from '../../server/resp/reader';
import { encodeCommand } from '../support/resp';

interface Outcome {
  commands: string[][];
  error: string | null;
  overflow: boolean;
}

function read(chunks: Buffer[], options: { auth?: boolean; maxBulk?: number; queryLimit?: number } = {}): Outcome {
  const outcome: Outcome = { commands: [], error: null, overflow: false };
  let authenticated = options.auth ?? true;
  const sink: ReaderSink = {
    command: (argv) => {
      const args = argv.map((a) => a.toString('latin1'));
      outcome.commands.push(args);
      if (args[0]?.toLowerCase() === 'auth') authenticated = true;
    },
    protocolError: (detail) => (outcome.error = detail),
    queryBufferOverflow: () => (outcome.overflow = true),
    authRequired: () => !authenticated,
  };
  const reader = new RequestReader(sink, {
    protoMaxBulkLen: options.maxBulk ?? 512 * 1024 * 1024,
    queryBufferLimit: options.queryLimit ?? 1024 * 1024 * 1024,
  });
  for (const chunk of chunks) reader.feed(chunk);
  return outcome;
}

/** Every way of cutting `bytes` in two, plus byte-at-a-time. */
function splits(bytes: Buffer): Buffer[][] {
  const ways: Buffer[][] = [[bytes]];
  for (let i = 1; i < bytes.length; i++) ways.push([bytes.subarray(0, i), bytes.subarray(i)]);
  ways.push([...bytes].map((b) => Buffer.from([b])));
  return ways;
}

t.test('multibulk commands survive every split', async (t) => {
  const bytes = Buffer.concat([
    encodeCommand(['SET', 'key', 'va\r\nlue']),
    encodeCommand(['GET', 'key']),
    encodeCommand(['ECHO', '']),
  ]);
  for (const chunks of splits(bytes)) {
    const out = read(chunks);
    t.same(out.commands, [['SET', 'key', 'va\r\nlue'], ['GET', 'key'], ['ECHO', '']]);
    t.equal(out.error, null);
  }
});

t.test('inline commands, mixed with multibulk, survive every split', async (t) => {
  const bytes = Buffer.concat([
    Buffer.from('PING\r\n'),
    encodeCommand(['GET', 'k']),
    Buffer.from('SET "a b" \'c d\' "\\x41\\n"\n'),
    Buffer.from('\r\n'),
    Buffer.from('   \r\n'),
    Buffer.from('ECHO x\r\n'),
  ]);
  for (const chunks of splits(bytes)) {
    const out = read(chunks);
    t.same(out.commands, [['PING'], ['GET', 'k'], ['SET', 'a b', 'c d', 'A\n'], ['ECHO', 'x']]);
    t.equal(out.error, null);
  }
});

t.test('binary-safe arguments', async (t) => {
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const out = read([encodeCommand(['SET', all, all])]);
  t.equal(out.commands.length, 1);
  t.same(Buffer.from(out.commands[0]![1]!, 'latin1'), all);
});

t.test('empty frames are ignored as Redis ignores them', async (t) => {
  const out = read([Buffer.from('*0\r\n*-1\r\n'), encodeCommand(['PING'])]);
  t.same(out.commands, [['PING']]);
  t.equal(out.error, null);
});

t.test("protocol errors carry Redis's texts and commands before them still run", async (t) => {
  const cases: Array<[string, string]> = [
    ['*1\r\n:1\r\n', "expected '$', got ':'"],
    ['*x\r\n', 'invalid multibulk length'],
    ['*01\r\n', 'invalid multibulk length'],
    ['*+1\r\n', 'invalid multibulk length'],
    ['*3000000000\r\n', 'invalid multibulk length'],
    ['*1\r\n$-1\r\n', 'invalid bulk length'],
    ['*1\r\n$abc\r\n', 'invalid bulk length'],
    ['*1\r\n$600000000\r\n', 'invalid bulk length'],
    ['SET "a b\r\n', 'unbalanced quotes in request'],
    ['SET "a"b\r\n', 'unbalanced quotes in request'],
  ];
  for (const [bad, detail] of cases) {
    for (const chunks of splits(Buffer.concat([encodeCommand(['PING']), Buffer.from(bad), encodeCommand(['PING'])]))) {
      const out = read(chunks);
      t.equal(out.error, detail, JSON.stringify(bad));
      t.same(out.commands, [['PING']], `only the command before ${JSON.stringify(bad)} runs`);
    }
  }
});

t.test('over-long lines are refused', async (t) => {
  t.equal(read([Buffer.from('*1' + '1'.repeat(70 * 1024))]).error, 'too big mbulk count string');
  t.equal(read([Buffer.from('*1\r\n$1' + '1'.repeat(70 * 1024))]).error, 'too big bulk count string');
  t.equal(read([Buffer.from('PING' + ' '.repeat(70 * 1024))]).error, 'too big inline request');
  // Just under the limit is fine.
  t.same(read([Buffer.from('PING' + ' '.repeat(60 * 1024) + '\r\n')]).commands, [['PING']]);
});

t.test('proto-max-bulk-len bounds a bulk before any of it is buffered', async (t) => {
  const out = read([Buffer.from('*1\r\n$2000000\r\n')], { maxBulk: 1024 * 1024 });
  t.equal(out.error, 'invalid bulk length');
});

t.test('unauthenticated clients are limited as in Redis, and AUTH lifts the limits', async (t) => {
  t.equal(read([Buffer.from('*11\r\n')], { auth: false }).error, 'unauthenticated multibulk length');
  t.equal(read([Buffer.from('*1\r\n$16385\r\n')], { auth: false }).error, 'unauthenticated bulk length');
  const big = 'x'.repeat(20000);
  const out = read([Buffer.concat([encodeCommand(['AUTH', 'pw']), encodeCommand(['SET', 'k', big])])], { auth: false });
  t.equal(out.error, null);
  t.equal(out.commands.length, 2);
  t.equal(out.commands[1]![2]!.length, 20000);
});

t.test('client-query-buffer-limit closes a client whose command grows past it', async (t) => {
  const out = read([Buffer.from('*2\r\n$4\r\nECHO\r\n$5000000\r\n'), Buffer.alloc(3 * 1024 * 1024, 0x61)], {
    queryLimit: 2 * 1024 * 1024,
  });
  t.ok(out.overflow);
  t.same(out.commands, []);
});

t.test('a deep pipeline is read whole and in order', async (t) => {
  const count = 100000;
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) parts.push(encodeCommand(['SET', `k${i}`, `v${i}`]));
  const bytes = Buffer.concat(parts);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
  const out = read(chunks);
  t.equal(out.commands.length, count);
  t.same(out.commands[count - 1], ['SET', `k${count - 1}`, `v${count - 1}`]);
  t.same(out.commands[12345], ['SET', 'k12345', 'v12345']);
});
