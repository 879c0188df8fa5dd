// rename-command (config file) and enable-protected-configs, as Redis does them: a renamed command
// answers to its new name only (and to nothing when renamed to ""), while COMMAND INFO and INFO
// commandstats keep its own name; a bad rename stops the start-up naming the line; protected
// directives are refused unless enable-protected-configs allows the client.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { SERVER_MAIN, startSluice, tempDir } from '../support/servers';

const renames = ['--rename-command', 'get', 'fetch', '--rename-command', 'flushall', ''];

/** INFO commandstats with the call times blanked out. */
const commandstatsShape = (reply: Buffer): string =>
  reply
    .toString('latin1')
    .split('\r\n')
    .filter((line) => /^cmdstat_(get|set|flushall|fetch)/.test(line))
    .map((line) => line.replace(/usec=\d+,usec_per_call=[\d.]+/, 'usec=T'))
    .sort() // Redis lists them in its hash table's order
    .join('\n');

t.test('renamed and removed commands answer as in Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start({ sluiceArgs: renames, redisArgs: renames });
  t.teardown(() => pair.stop());
  const script: Step[] = [
    ['SET', 'k', 'v'],
    ['FETCH', 'k'],
    ['fetch', 'k', 'extra'],
    ['GET', 'k'],
    ['FLUSHALL'],
    ['COMMAND', 'INFO', 'get', 'flushall'],
    ['COMMAND', 'GETKEYS', 'FETCH', 'k'],
    { cmd: ['INFO', 'commandstats'], mask: commandstatsShape },
    ['CONFIG', 'SET', 'dir', '/tmp'],
    ['CONFIG', 'SET', 'dbfilename', 'other.rdb'],
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });
});

t.test('COMMAND INFO of a renamed command shows its own name; COMMAND COUNT drops removed ones', async (t) => {
  const plain = await startSluice();
  const renamed = await startSluice(renames);
  t.teardown(() => Promise.all([plain.stop(), renamed.stop()]));
  const a = await RawClient.connect(plain.port);
  const b = await RawClient.connect(renamed.port);
  t.teardown(() => {
    a.close();
    b.close();
  });
  const count = (reply: Buffer) => Number(reply.toString().slice(1, -2));
  t.equal(count(await b.call('COMMAND', 'COUNT')), count(await a.call('COMMAND', 'COUNT')) - 1, 'FLUSHALL is gone, GET renamed');
  t.same(await b.call('COMMAND', 'INFO', 'fetch'), await a.call('COMMAND', 'INFO', 'get'), 'FETCH is GET under another name');
  t.notMatch((await b.call('COMMAND', 'LIST')).toString(), /\$8\r\nflushall\r\n/);
});

t.test('a rename that cannot be done stops the start-up with Redis\'s reason', async (t) => {
  const cases: Array<[string, RegExp]> = [
    ['rename-command nosuch other', /at line 1\n>>> 'rename-command nosuch other'\nNo such command in rename-command/],
    ['rename-command get set', /Target command name already exists/],
    ['rename-command get', /Bad directive or wrong number of arguments/],
  ];
  for (const [line, expected] of cases) {
    const dir = tempDir();
    const file = join(dir, 'sluice.conf');
    writeFileSync(file, `${line}\n`);
    const run = spawnSync(process.execPath, [SERVER_MAIN, file, '--port', '0', '--dir', dir], { encoding: 'utf8', timeout: 20000 });
    t.equal(run.status, 1, line);
    t.match(run.stderr + run.stdout, expected, line);
  }
});

t.test('enable-protected-configs yes lets CONFIG SET change protected directives', async (t) => {
  const server = await startSluice(['--enable-protected-configs', 'yes']);
  t.teardown(() => server.stop());
  const client = await RawClient.connect(server.port);
  t.teardown(() => client.close());
  t.equal((await client.call('CONFIG', 'SET', 'dbfilename', 'other.rdb')).toString(), '+OK\r\n');
  t.equal(
    (await client.call('CONFIG', 'SET', 'dir', tempDir())).toString(),
    "-ERR CONFIG SET failed (possibly related to argument 'dir') - Sluice cannot move its data directory while running; stop it, move the directory and restart\r\n",
    'the data directory cannot move under a running log',
  );
  t.equal((await client.call('CONFIG', 'SET', 'enable-protected-configs', 'no')).toString(), "-ERR CONFIG SET failed (possibly related to argument 'enable-protected-configs') - can't set immutable config\r\n");
});
