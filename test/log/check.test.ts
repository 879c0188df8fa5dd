// sluice-check-log: reports a healthy log, a torn tail and damage in the middle; --fix truncates
// after confirmation and leaves a log the server opens; refuses to fix a directory a live server
// holds. Run in-process against the faulty fs, and as the real CLI against a real directory.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, openSync, readSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { runCheckCli, type CliIo } from '../../storage/log/check';
import { acquireDirLock } from '../../storage/log/lock';
import { openLog } from '../../storage/log/recovery';
import { segmentFileName } from '../../storage/log/segment';
import type { FaultyFs } from '../support/faulty-fs';
import { DIR, freshFs, LOG_DIR, open, recordOf } from './helpers';

const CLI = resolve(__dirname, '..', '..', 'storage', 'log', 'check-cli.js');

function io(fs: FaultyFs, answer: boolean | null = null, isAlive: (pid: number) => boolean = () => false) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIo = {
    fs,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    confirm: async () => answer,
    isAlive,
  };
  return { cli, out, err, text: () => out.join('\n') + '\n' + err.join('\n') };
}

async function logWithSegments(fs: FaultyFs): Promise<void> {
  const { log } = open(fs, { segmentBytesMax: 400 });
  for (let i = 0; i < 30; i++) {
    log.append(recordOf(i, 30));
    log.append(recordOf(i + 1000, 30));
    await log.flush();
  }
  await log.close();
}

t.test('a healthy log: segments, records, offsets, OK, exit 0', async (t) => {
  const fs = freshFs();
  await logWithSegments(fs);
  const run = io(fs);
  t.equal(await runCheckCli([DIR], run.cli), 0);
  t.match(run.text(), /segment 00000000000000000000\.seg {2}base 0 /);
  t.match(run.text(), /records: 60 /);
  t.match(run.text(), /health: OK/);
  const viaLogDir = io(fs);
  t.equal(await runCheckCli([LOG_DIR], viaLogDir.cli), 0, 'the log folder itself works too');
});

t.test('a torn tail: reported, exit 1; --fix --yes cuts it', async (t) => {
  const fs = freshFs();
  await logWithSegments(fs);
  const names = fs.readdir(LOG_DIR).sort();
  const last = `${LOG_DIR}/${names[names.length - 1]}`;
  fs.truncateFile(last, fs.stat(last)!.size - 30); // the shutdown marker and part of the last record
  const report = io(fs);
  t.equal(await runCheckCli([DIR], report.cli), 1);
  t.match(report.text(), /health: TORN TAIL at offset \d+ .*torn frame/);
  const fix = io(fs);
  t.equal(await runCheckCli([DIR, '--fix', '--yes'], fix.cli), 0);
  t.match(fix.text(), /fixed: the log now ends at offset \d+ \(59 records\)/);
  t.equal(open(fs).report.truncatedTail, null);
});

t.test('damage in the middle: the server refuses, the tool explains, --fix truncates after confirming', async (t) => {
  const fs = freshFs();
  await logWithSegments(fs);
  const second = `${LOG_DIR}/${fs.readdir(LOG_DIR).sort()[1]}`;
  fs.flipBit(second, 20, 3);
  t.throws(() => open(fs, { segmentBytesMax: 400 }), /sluice-check-log --fix/);

  const report = io(fs);
  t.equal(await runCheckCli([DIR], report.cli), 1);
  t.match(report.text(), /health: DAMAGED at offset \d+ .*checksum mismatch.*not a torn tail/);
  t.match(report.text(), /DAMAGED\n|DAMAGED$/m);

  const notTty = io(fs, null);
  t.equal(await runCheckCli([DIR, '--fix'], notTty.cli), 1);
  t.match(notTty.text(), /pass --yes/);
  const declined = io(fs, false);
  t.equal(await runCheckCli([DIR, '--fix'], declined.cli), 1);
  t.match(declined.text(), /nothing changed/);
  t.throws(() => open(fs, { segmentBytesMax: 400 }), /sluice-check-log --fix/, 'still refused');

  const segmentsBefore = fs.readdir(LOG_DIR).length;
  const accepted = io(fs, true);
  t.equal(await runCheckCli([DIR, '--fix'], accepted.cli), 0);
  t.match(accepted.text(), /fix: truncate the log at offset \d+, dropping \d+ bytes .*whole segment file/);
  t.ok(fs.readdir(LOG_DIR).length < segmentsBefore, 'later segments deleted');
  const after = open(fs, { segmentBytesMax: 400 });
  t.ok(after.replayed.length > 0 && after.replayed.length < 60, `${after.replayed.length} records remain`);
  t.equal(after.report.truncatedTail, null);
  await after.log.close();
});

t.test('--fix refuses while a live server holds the directory', async (t) => {
  const fs = freshFs();
  await logWithSegments(fs);
  const lock = acquireDirLock(DIR, { fs, pid: 4242, isAlive: () => true });
  const seg = `${LOG_DIR}/${segmentFileName(0)}`;
  fs.flipBit(seg, 9);
  const run = io(fs, true, (pid) => pid === 4242);
  t.equal(await runCheckCli([DIR, '--fix', '--yes'], run.cli), 2);
  t.match(run.text(), /a server \(pid 4242\) is using this directory/);
  t.match(run.text(), /refusing to fix: data directory is in use by process 4242/);
  lock.release();
});

t.test('usage errors', async (t) => {
  const fs = freshFs();
  t.equal(await runCheckCli([], io(fs).cli), 2);
  t.equal(await runCheckCli(['/nope'], io(fs).cli), 2);
  t.equal(await runCheckCli([DIR, '--frobnicate'], io(fs).cli), 2);
  const help = io(fs);
  t.equal(await runCheckCli(['--help'], help.cli), 0);
  t.match(help.text(), /usage: sluice-check-log/);
});

t.test('the real CLI on a real directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-check-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const { log } = openLog({ dir, fsync: 'always', replay: () => {} });
  for (let i = 0; i < 100; i++) log.append(recordOf(i));
  await log.flush();
  await log.close();
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'latin1' });

  const healthy = run(dir);
  t.equal(healthy.status, 0, healthy.stderr);
  t.match(healthy.stdout, /records: 100 /);
  t.match(healthy.stdout, /health: OK/);

  // Flip a bit in the middle of the only segment.
  const seg = join(dir, 'log', segmentFileName(0));
  const fd = openSync(seg, 'r+');
  const byte = Buffer.alloc(1);
  const at = Math.floor(statSync(seg).size / 3);
  readSync(fd, byte, 0, 1, at);
  byte[0]! ^= 0x10;
  writeSync(fd, byte, 0, 1, at);
  closeSync(fd);
  t.throws(() => openLog({ dir, fsync: 'always', replay: () => {} }), /sluice-check-log --fix/);
  const broken = run(dir);
  t.equal(broken.status, 1);
  t.match(broken.stdout, /health: DAMAGED/);
  const refused = run(dir, '--fix');
  t.equal(refused.status, 1, 'no terminal, no --yes: nothing done');
  const fixed = run(dir, '--fix', '--yes');
  t.equal(fixed.status, 0, fixed.stderr);
  t.match(fixed.stdout, /fixed: the log now ends at offset/);
  const reopened = openLog({ dir, fsync: 'always', replay: () => {} });
  t.equal(reopened.report.truncatedTail, null);
  t.ok(reopened.report.recordsReplayed > 0 && reopened.report.recordsReplayed < 100);
  await reopened.log.close();
});
