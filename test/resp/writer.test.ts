// Unit tests of the reply writer: exact RESP2 and RESP3 bytes for every reply shape.

import t from 'tap';
import { ReplyWriter, formatDouble } from '../../server/resp/writer';

function bytes(resp: 2 | 3, write: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.resp = resp;
  write(w);
  return (w.take() ?? Buffer.alloc(0)).toString('latin1');
}

t.test('integers, small to 64-bit, negative and bigint', async (t) => {
  for (const n of [0, 7, 9, 10, 99, 100, 255, 256, 1000, 123456789, 2 ** 53 - 1, -1, -10, -987654321]) {
    t.equal(bytes(2, (w) => w.integer(n)), `:${n}\r\n`);
  }
  t.equal(bytes(2, (w) => w.integer(9223372036854775807n)), ':9223372036854775807\r\n');
  t.equal(bytes(2, (w) => w.integer(-9223372036854775808n)), ':-9223372036854775808\r\n');
});

t.test('integers and stream IDs at every digit-count boundary and at random', async (t) => {
  // The writer splits numbers at 2^32 and at 10^9 and writes digit pairs: every boundary of those.
  const edges: number[] = [2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 1e9 * 4294967 + 999999999];
  for (let p = 1; p <= 1e15; p *= 10) edges.push(p - 1, p, p + 1, p * 9 + (p - 1));
  let seed = 20261123;
  const random = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  for (let i = 0; i < 2000; i++) edges.push(Math.floor(random() * 2 ** (1 + Math.floor(random() * 53))));
  let wrong = 0;
  for (const n of edges) {
    if (bytes(2, (w) => w.integer(n)) !== `:${n}\r\n`) wrong++;
    if (n > 0 && bytes(2, (w) => w.integer(-n)) !== `:-${n}\r\n`) wrong++;
    const seq = Math.floor(random() * 2 ** 40);
    const id = `${n}-${seq}`;
    if (bytes(2, (w) => w.bulkIdParts(n, seq)) !== `$${id.length}\r\n${id}\r\n`) wrong++;
  }
  t.equal(wrong, 0, `${edges.length} numbers written as String() writes them`);
});

t.test('bulk strings of every size and every byte', async (t) => {
  for (const len of [0, 1, 31, 32, 33, 100, 5000, 70000]) {
    const value = 'x'.repeat(len);
    t.equal(bytes(2, (w) => w.bulk(value)), `$${len}\r\n${value}\r\n`, `string of ${len}`);
    t.equal(bytes(2, (w) => w.bulk(Buffer.from(value))), `$${len}\r\n${value}\r\n`, `buffer of ${len}`);
  }
  const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
  t.equal(bytes(2, (w) => w.bulk(all)), `$256\r\n${all}\r\n`);
  t.equal(bytes(2, (w) => w.bulk(all.slice(0, 20))), `$20\r\n${all.slice(0, 20)}\r\n`);
});

t.test('aggregate headers and nulls per protocol', async (t) => {
  t.equal(bytes(2, (w) => w.array(3)), '*3\r\n');
  t.equal(bytes(2, (w) => w.map(2)), '*4\r\n');
  t.equal(bytes(3, (w) => w.map(2)), '%2\r\n');
  t.equal(bytes(2, (w) => w.set(5)), '*5\r\n');
  t.equal(bytes(3, (w) => w.set(5)), '~5\r\n');
  t.equal(bytes(3, (w) => w.push(3)), '>3\r\n');
  t.equal(bytes(2, (w) => w.nullBulk()), '$-1\r\n');
  t.equal(bytes(2, (w) => w.nullArray()), '*-1\r\n');
  t.equal(bytes(3, (w) => w.nullBulk()), '_\r\n');
  t.equal(bytes(3, (w) => w.nullArray()), '_\r\n');
  t.equal(bytes(2, (w) => w.bool(true)), ':1\r\n');
  t.equal(bytes(3, (w) => w.bool(false)), '#f\r\n');
});

t.test('simple strings, errors (newlines removed), verbatim', async (t) => {
  t.equal(bytes(2, (w) => w.simple('PONG')), '+PONG\r\n');
  t.equal(bytes(2, (w) => w.ok()), '+OK\r\n');
  t.equal(bytes(2, (w) => w.error('ERR bad\r\nthing')), '-ERR bad  thing\r\n');
  t.equal(bytes(3, (w) => w.verbatim('hi')), '=6\r\ntxt:hi\r\n');
  t.equal(bytes(2, (w) => w.verbatim('hi')), '$2\r\nhi\r\n');
});

t.test('doubles: %.17g in RESP2, shortest form in RESP3', async (t) => {
  t.equal(formatDouble(1.5), '1.5');
  t.equal(formatDouble(0.1), '0.10000000000000001');
  t.equal(formatDouble(1e20), '1e+20');
  t.equal(formatDouble(-0.00001), '-1.0000000000000001e-05');
  t.equal(formatDouble(Infinity), 'inf');
  t.equal(bytes(3, (w) => w.double(0.1)), ',0.1\r\n');
  t.equal(bytes(2, (w) => w.double(3)), '$1\r\n3\r\n');
});

t.test('output grows past the initial buffer and is handed over whole', async (t) => {
  const w = new ReplyWriter();
  for (let i = 0; i < 10000; i++) w.bulk('0123456789');
  const out = w.take()!;
  t.equal(out.length, 10000 * 17);
  t.equal(w.take(), null);
});
