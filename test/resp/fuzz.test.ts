// Fuzz tests of the request reader: random and mutated input must never throw, and valid input cut
// at random places must always read back the same commands. The seed is printed; set FUZZ_SEED to
// replay a failure.

import t from 'tap';
import { RequestReader } from '../../server/resp/reader';
import { encodeCommand } from '../support/resp';
import { seededRandom } from '../support/random';

const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 3000);
t.comment(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
const random = seededRandom(seed);

function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(random() * 256);
  return b;
}

function randomCommand(): Buffer[] {
  const argc = 1 + Math.floor(random() * 5);
  return Array.from({ length: argc }, () => randomBytes(Math.floor(random() * 40)));
}

function cutRandomly(bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const size = 1 + Math.floor(random() * 64);
    chunks.push(bytes.subarray(pos, pos + size));
    pos += size;
  }
  return chunks;
}

function readAll(chunks: Buffer[]): { commands: Buffer[][]; error: string | null } {
  const commands: Buffer[][] = [];
  let error: string | null = null;
  const reader = new RequestReader(
    {
      command: (argv) => commands.push(argv.map((a) => Buffer.from(a))),
      protocolError: (detail) => (error = detail),
      queryBufferOverflow: () => (error = 'overflow'),
      authRequired: () => false,
    },
    { protoMaxBulkLen: 1024 * 1024, queryBufferLimit: 4 * 1024 * 1024 },
  );
  for (const c of chunks) reader.feed(c);
  return { commands, error };
}

t.test('valid pipelines cut at random places read back exactly', async (t) => {
  let checked = 0;
  for (let round = 0; round < ROUNDS / 10; round++) {
    const cmds = Array.from({ length: 1 + Math.floor(random() * 20) }, randomCommand);
    const bytes = Buffer.concat(cmds.map((c) => encodeCommand(c)));
    const { commands, error } = readAll(cutRandomly(bytes));
    if (error !== null || commands.length !== cmds.length || !commands.every((c, i) => Buffer.concat(c).equals(Buffer.concat(cmds[i]!)))) {
      t.fail(`round ${round}: pipeline read back differently (seed ${seed})`);
      return;
    }
    checked++;
  }
  t.equal(checked, ROUNDS / 10);
});

t.test('random bytes and mutated frames never throw', async (t) => {
  let errors = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let bytes: Buffer;
    const kind = round % 3;
    if (kind === 0) {
      bytes = randomBytes(Math.floor(random() * 200));
    } else {
      bytes = Buffer.concat(Array.from({ length: 3 }, () => encodeCommand(randomCommand())));
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(random() * bytes.length);
        bytes[at] = kind === 1 ? Math.floor(random() * 256) : '*$\r\n-0123456789'.charCodeAt(Math.floor(random() * 15));
      }
    }
    try {
      const { error } = readAll(cutRandomly(bytes));
      if (error !== null) errors++;
    } catch (err) {
      t.fail(`round ${round} threw ${(err as Error).message} (seed ${seed}) on ${JSON.stringify(bytes.toString('latin1'))}`);
      return;
    }
  }
  t.ok(errors > 0, `some inputs were refused with protocol errors (${errors})`);
  t.pass(`${ROUNDS} random inputs read without an exception`);
});
