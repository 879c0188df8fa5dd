// Damaged logs through the real server process: a torn tail left by a crash is cut at start by
// itself and logged (offset and bytes); damage in the middle of the log refuses to start with a
// message naming sluice-check-log, whose --fix makes the server start again.

import { appendFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { RawClient, encodeCommand } from '../support/resp';
import { ROOT, startSluice, tempDir } from '../support/servers';
import { cmd, runNode, runToExit, segments, terminate } from '../persistence/helpers';

const ARGS = ['--appendfsync', 'always', '--save', ''];
const CHECK_CLI = join(ROOT, 'dist', 'storage', 'log', 'check-cli.js');

/** SET k0..k<n-1>, one record each, in pipelines. */
async function writeKeys(client: RawClient, n: number): Promise<void> {
  for (let from = 0; from < n; from += 50) {
    const commands: Buffer[] = [];
    for (let i = from; i < Math.min(n, from + 50); i++) commands.push(encodeCommand(['SET', `k${i}`, `value-${i}`]));
    client.write(Buffer.concat(commands));
    for (let i = from; i < Math.min(n, from + 50); i++) await client.readReply();
  }
}

async function countKeys(client: RawClient, n: number): Promise<number> {
  const values = (await cmd(client, 'MGET', ...Array.from({ length: n }, (_, i) => `k${i}`))) as Array<string | null>;
  values.forEach((v, i) => {
    if (v !== null && v !== `value-${i}`) throw new Error(`k${i} holds ${v}`);
  });
  // Present keys form a prefix: a cut log keeps the oldest records.
  const present = values.filter((v) => v !== null).length;
  if (values.slice(0, present).some((v) => v === null)) throw new Error('keys missing before present ones');
  return present;
}

t.test('a torn tail after a crash is cut by itself at start, and logged', async (t) => {
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let server = await startSluice(ARGS, { dir });
  let client = await RawClient.connect(server.port);
  await writeKeys(client, 100);
  await server.kill();
  client.close();

  // What an interrupted write leaves: a frame header announcing more bytes than follow.
  const segment = join(dir, 'log', segments(dir).at(-1)!);
  const sizeBefore = statSync(segment).size;
  const header = Buffer.alloc(8);
  header.writeUInt32LE(500, 0);
  header.writeUInt32LE(0xdeadbeef, 4);
  appendFileSync(segment, Buffer.concat([header, Buffer.alloc(37, 0x61)]));

  server = await startSluice(ARGS, { dir });
  client = await RawClient.connect(server.port);
  t.equal(await countKeys(client, 100), 100, 'every acknowledged key is there');
  t.match(server.output(), new RegExp(`Torn tail of the log truncated at offset ${sizeBefore}: 45 bytes dropped`), 'the cut is logged');
  t.equal(statSync(segment).size, sizeBefore, 'the segment ends on its last whole record again');
  await writeKeys(client, 120);
  await server.kill();
  client.close();

  // A whole frame with a bad checksum at the end (written out of order, never acknowledged): cut too.
  const size2 = statSync(segment).size;
  const bad = Buffer.alloc(20);
  bad.writeUInt32LE(12, 0);
  bad.writeUInt32LE(12345, 4);
  appendFileSync(segment, bad);
  server = await startSluice(ARGS, { dir });
  client = await RawClient.connect(server.port);
  t.equal(await countKeys(client, 120), 120);
  t.match(server.output(), new RegExp(`truncated at offset ${size2}: 20 bytes dropped`));
  client.close();
  await terminate(server);
});

t.test('damage in the middle refuses to start until sluice-check-log --fix', async (t) => {
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let server = await startSluice(ARGS, { dir });
  let client = await RawClient.connect(server.port);
  await writeKeys(client, 200);
  // A clean shutdown ends the log with a durability marker: damage before it is never a torn tail.
  const exited = new Promise((r) => server.process.once('exit', r));
  client.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
  await exited;
  client.close();

  const segment = join(dir, 'log', segments(dir).at(-1)!);
  const bytes = readFileSync(segment);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x10;
  writeFileSync(segment, bytes);

  const refused = await runToExit([...ARGS, '--dir', dir]);
  t.equal(refused.code, 1, 'refuses to start');
  t.match(refused.output, /log damaged at offset \d+/);
  t.match(refused.output, /sluice-check-log/, 'names the check tool');

  const report = await runNode(CHECK_CLI, [dir]);
  t.equal(report.code, 1, 'the check tool reports damage');
  t.match(report.output, /DAMAGED/);
  const fixed = await runNode(CHECK_CLI, [dir, '--fix', '--yes']);
  t.equal(fixed.code, 0, `--fix succeeds: ${fixed.output}`);
  const healthy = await runNode(CHECK_CLI, [dir]);
  t.equal(healthy.code, 0);
  t.match(healthy.output, /health: OK/);

  server = await startSluice(ARGS, { dir });
  client = await RawClient.connect(server.port);
  const kept = await countKeys(client, 200);
  t.ok(kept > 0 && kept < 200, `the records before the damage are kept (${kept} of 200)`);
  t.equal(await cmd(client, 'SET', 'after-fix', '1'), 'OK', 'writes work again');
  client.close();
  await terminate(server);
});
