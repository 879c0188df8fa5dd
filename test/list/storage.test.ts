// Lists beyond the wire: OBJECT ENCODING by Redis 7.2's rules (the installed Redis 7.0 has no
// listpack lists, so these are checked on Sluice alone), and lists surviving a restart through the
// durable log and through a BGSAVE snapshot.

import t from 'tap';
import { RawClient } from '../support/resp';
import { startSluice, tempDir } from '../support/servers';
import { rmSync } from 'node:fs';

const big = (n: number, c = 'x') => c.repeat(n);
const text = (b: Buffer) => b.toString('latin1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('OBJECT ENCODING of lists (Redis 7.2: listpack, then quicklist past 8 KiB)', async (t) => {
  const s = await startSluice();
  const c = await RawClient.connect(s.port);
  try {
    t.equal(text(await c.call('RPUSH', 'e', 'a')), ':1\r\n');
    t.equal(text(await c.call('OBJECT', 'ENCODING', 'e')), '$8\r\nlistpack\r\n');
    await c.call('RPUSH', 'e', big(9000));
    t.equal(text(await c.call('OBJECT', 'ENCODING', 'e')), '$9\r\nquicklist\r\n');
    await c.call('RPOP', 'e');
    t.equal(text(await c.call('OBJECT', 'ENCODING', 'e')), '$8\r\nlistpack\r\n', 'back to listpack when small again');
    await c.call('RPUSH', 'm', ...Array.from({ length: 200 }, (_, i) => big(50, String(i % 10))));
    t.equal(text(await c.call('OBJECT', 'ENCODING', 'm')), '$9\r\nquicklist\r\n');
    await c.call('COPY', 'm', 'm2');
    t.equal(text(await c.call('OBJECT', 'ENCODING', 'm2')), '$9\r\nquicklist\r\n', 'COPY keeps the encoding');
    await c.call('LTRIM', 'm', '0', '9');
    t.equal(text(await c.call('OBJECT', 'ENCODING', 'm')), '$8\r\nlistpack\r\n');
    t.equal(text(await c.call('LLEN', 'm2')), ':200\r\n', 'the copy is independent');
    // list-max-listpack-size as a count of elements.
    t.equal(text(await c.call('CONFIG', 'SET', 'list-max-listpack-size', '3')), '+OK\r\n');
    await c.call('RPUSH', 'n', 'a', 'b', 'c');
    t.equal(text(await c.call('OBJECT', 'ENCODING', 'n')), '$8\r\nlistpack\r\n');
    await c.call('RPUSH', 'n', 'd');
    t.equal(text(await c.call('OBJECT', 'ENCODING', 'n')), '$9\r\nquicklist\r\n', 'a fourth element needs a second node');
  } finally {
    c.close();
    await s.stop();
  }
});

async function contents(port: number): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    return [
      text(await c.call('LRANGE', 'q', '0', '-1')),
      text(await c.call('LRANGE', 'big', '0', '2')),
      text(await c.call('LLEN', 'big')),
      text(await c.call('TYPE', 'q')),
      text(await c.call('EXISTS', 'gone')),
      text(await c.call('OBJECT', 'ENCODING', 'small')),
      text(await c.call('TTL', 'q')),
    ];
  } finally {
    c.close();
  }
}

async function fill(port: number): Promise<void> {
  const c = await RawClient.connect(port);
  try {
    await c.call('RPUSH', 'q', 'a', 'b', 'c', 'd');
    await c.call('LPUSH', 'q', 'z');
    await c.call('LSET', 'q', '1', 'A');
    await c.call('LINSERT', 'q', 'AFTER', 'b', 'b2');
    await c.call('LREM', 'q', '1', 'c');
    await c.call('LMOVE', 'q', 'gone', 'RIGHT', 'LEFT');
    await c.call('LPOP', 'gone');
    await c.call('RPUSH', 'big', ...Array.from({ length: 3000 }, (_, i) => `element-${i}`));
    await c.call('LTRIM', 'big', '1', '-2');
    await c.call('EXPIRE', 'q', '1000');
    // Written with a small node size, then the default again: replay must build the same nodes.
    await c.call('CONFIG', 'SET', 'list-max-listpack-size', '2');
    await c.call('RPUSH', 'small', 'a', 'b', 'c');
    await c.call('CONFIG', 'SET', 'list-max-listpack-size', '-2');
  } finally {
    c.close();
  }
}

const expected = [
  '*4\r\n$1\r\nz\r\n$1\r\nA\r\n$1\r\nb\r\n$2\r\nb2\r\n',
  '*3\r\n$9\r\nelement-1\r\n$9\r\nelement-2\r\n$9\r\nelement-3\r\n',
  ':2998\r\n',
  '+list\r\n',
  ':0\r\n',
  '$9\r\nquicklist\r\n',
];

t.test('lists survive a crash through the durable log', async (t) => {
  const dir = tempDir();
  try {
    const s = await startSluice(['--appendonly', 'yes', '--appendfsync', 'always'], { dir });
    await fill(s.port);
    t.same((await contents(s.port)).slice(0, 6), expected);
    await s.kill();
    const again = await startSluice(['--appendonly', 'yes'], { dir });
    const got = await contents(again.port);
    t.same(got.slice(0, 6), expected, 'same lists after replay');
    t.match(got[6], /^:\d+\r\n$/, 'expiry kept');
    await again.kill();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t.test('lists survive a restart through a BGSAVE snapshot', async (t) => {
  const dir = tempDir();
  try {
    const s = await startSluice(['--appendonly', 'no'], { dir });
    await fill(s.port);
    const c = await RawClient.connect(s.port);
    t.equal(text(await c.call('BGSAVE')), '+Background saving started\r\n');
    // Change the list while the snapshot may still be writing: the snapshot keeps the old contents.
    await c.call('RPUSH', 'big', 'after-bgsave');
    for (let i = 0; i < 100; i++) {
      const info = text(await c.call('INFO', 'persistence'));
      if (info.includes('rdb_bgsave_in_progress:0')) break;
      await sleep(50);
    }
    c.close();
    await s.kill();
    const again = await startSluice(['--appendonly', 'no'], { dir });
    const got = await contents(again.port);
    t.same(got.slice(0, 6), expected, 'same lists after loading the snapshot');
    t.match(got[6], /^:\d+\r\n$/, 'expiry kept');
    await again.kill();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
