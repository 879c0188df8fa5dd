// A failing disk through the real server: the server runs on storage/fs-control.ts (the real file
// system, with faults switched by a control file named in SLUICE_TEST_FS_CONTROL), since as root a
// read-only directory or a full disk cannot be staged. A write error turns the turn's write replies
// into -MISCONF, refuses writes (and PING) until a retry succeeds, keeps reads working and loses
// nothing; an fsync error is final until restart; SHUTDOWN refuses to exit when its save fails
// unless FORCE; a read-only directory at start is a clear error.

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { RawClient, encodeCommand } from '../support/resp';
import { startSluice, tempDir, type RunningServer } from '../support/servers';
import { cmd, info, runToExit, terminate, waitFor } from './helpers';

const controlDir = tempDir('sluice-fs-control-');
const control = join(controlDir, 'faults');
writeFileSync(control, '');
process.env.SLUICE_TEST_FS_CONTROL = control;
t.teardown(() => rmSync(controlDir, { recursive: true, force: true }));

const fault = (text: string) => writeFileSync(control, text);
const ENOSPC = '-MISCONF Errors writing to the AOF file: No space left on device';
const EIO = '-MISCONF Errors writing to the AOF file: Input/output error';

async function exitOf(server: RunningServer): Promise<number | null> {
  if (server.process.exitCode !== null) return server.process.exitCode;
  return new Promise((r) => server.process.once('exit', (code) => r(code)));
}

t.test('a write error: -MISCONF for the writes, reads go on, the retry recovers and nothing is lost', async (t) => {
  fault('');
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const args = ['--appendfsync', 'always', '--save', ''];
  let server = await startSluice(args, { dir });
  let client = await RawClient.connect(server.port);
  t.equal(await cmd(client, 'SET', 'a', '1'), 'OK');

  fault('write ENOSPC');
  // A write and a read in one turn: the write's reply becomes the error, the read's stays.
  client.write(Buffer.concat([encodeCommand(['SET', 'b', '2']), encodeCommand(['GET', 'a'])]));
  t.equal((await client.readReply()).toString(), `${ENOSPC}\r\n`, 'the write whose record failed is not acknowledged');
  t.equal((await client.readReply()).toString(), '$1\r\n1\r\n', 'the read in the same turn answers');
  t.equal(await cmd(client, 'SET', 'c', '3'), ENOSPC, 'writes are refused');
  t.equal(await cmd(client, 'PING'), ENOSPC, 'PING too, as in Redis');
  t.equal(await cmd(client, 'GET', 'a'), '1', 'reads work');
  t.equal(await cmd(client, 'GET', 'c'), null, 'a refused write did nothing');
  const f = await info(client);
  t.equal(f.get('aof_last_write_status'), 'err');
  t.match(server.output(), /Error writing to the AOF file: No space left on device/);
  t.equal(await cmd(client, 'BGSAVE'), '-ERR', 'a snapshot cannot be written either');
  t.equal((await info(client)).get('rdb_last_bgsave_status'), 'err');
  t.equal(await cmd(client, 'SHUTDOWN', 'SAVE'), '-ERR Errors trying to SHUTDOWN. Check logs.', 'SHUTDOWN SAVE refuses to exit');
  t.equal(server.process.exitCode, null, 'still running');

  fault('');
  await waitFor('the write retry to succeed', async () => (await cmd(client, 'SET', 'd', '4')) === 'OK', 5000);
  t.equal((await info(client)).get('aof_last_write_status'), 'ok');
  t.match(server.output(), /AOF write error looks solved/);
  await server.kill();
  client.close();

  server = await startSluice(args, { dir });
  client = await RawClient.connect(server.port);
  t.equal(await cmd(client, 'GET', 'a'), '1');
  t.equal(await cmd(client, 'GET', 'b'), '2', 'the write held back was written by the retry');
  t.equal(await cmd(client, 'GET', 'c'), null);
  t.equal(await cmd(client, 'GET', 'd'), '4');
  client.close();
  await terminate(server);
});

t.test('an fsync error is final until restart; SHUTDOWN then exits non-zero', async (t) => {
  fault('');
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const args = ['--appendfsync', 'always', '--save', ''];
  let server = await startSluice(args, { dir });
  let client = await RawClient.connect(server.port);
  t.equal(await cmd(client, 'SET', 'a', '1'), 'OK');
  fault('fsync EIO');
  t.equal(await cmd(client, 'SET', 'b', '2'), EIO, 'not acknowledged: its fdatasync failed');
  t.equal(await cmd(client, 'INCR', 'n'), EIO);
  // The log line may reach the pipe after the reply reaches the client.
  await waitFor('the fsync error to be logged', () => /Can't persist AOF for fsync error: Input\/output error/.test(server.output()), 5000);
  t.match(server.output(), /Can't persist AOF for fsync error: Input\/output error/);
  fault('');
  await new Promise((r) => setTimeout(r, 1200));
  t.equal(await cmd(client, 'SET', 'c', '3'), EIO, 'still refused after the disk recovers: only a restart clears it');
  t.same(await cmd(client, 'WAITAOF', '1', '0', '0'), [0, 0], 'WAITAOF counts no local fsync');
  client.write(encodeCommand(['SHUTDOWN', 'NOSAVE']));
  t.equal(await exitOf(server), 1, 'SHUTDOWN exits with status 1: the log could not be made durable');
  client.close();

  server = await startSluice(args, { dir });
  client = await RawClient.connect(server.port);
  t.equal(await cmd(client, 'GET', 'a'), '1');
  t.equal(await cmd(client, 'SET', 'c', '3'), 'OK', 'a restart clears the state');
  client.close();
  await terminate(server);
});

t.test('an fsync error under everysec stops writes too; SHUTDOWN FORCE exits when its save fails', async (t) => {
  fault('');
  const server = await startSluice(['--appendfsync', 'everysec', '--save', '']);
  t.teardown(() => server.stop());
  const client = await RawClient.connect(server.port);
  t.teardown(() => client.close());
  fault('fsync EIO');
  t.equal(await cmd(client, 'SET', 'a', '1'), 'OK', 'everysec acknowledges once written');
  await waitFor('the background fsync to fail', async () => (await info(client)).get('aof_last_write_status') === 'err', 5000);
  t.equal(await cmd(client, 'SET', 'b', '2'), EIO);
  t.equal(await cmd(client, 'SHUTDOWN', 'SAVE'), '-ERR Errors trying to SHUTDOWN. Check logs.');
  client.write(encodeCommand(['SHUTDOWN', 'SAVE', 'FORCE']));
  t.equal(await exitOf(server), 1, 'FORCE exits (non-zero: the log is not durable)');
  fault('');
});

t.test('a read-only data directory at start is a clear error', async (t) => {
  fault('write EROFS');
  const dir = tempDir();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const result = await runToExit(['--dir', dir]);
  fault('');
  t.equal(result.code, 1);
  t.match(result.output, new RegExp(`Can't open the data in ${dir}: Read-only file system`));
});
