// Starting like redis-server: a config file (quoted arguments, include), directives on the command
// line after it, a clear fatal error naming the line of a bad directive, and a graceful SIGTERM.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { RawClient } from '../support/resp';
import { SERVER_MAIN, startSluice, tempDir } from '../support/servers';

t.test('config file with include and quoted values, overridden by the command line', async (t) => {
  const dir = tempDir();
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'conf.d', 'extra.conf'), '# included\nslowlog-max-len 77\n');
  writeFileSync(
    join(dir, 'sluice.conf'),
    ['# a comment', 'databases 4', 'requirepass "pass word"', 'include conf.d/extra.conf', 'maxclients 50', ''].join('\n'),
  );
  const server = await startSluice(['--maxclients', '60'], { configFile: join(dir, 'sluice.conf') });
  t.teardown(() => server.stop());
  const client = await RawClient.connect(server.port);
  t.teardown(() => client.close());
  t.equal((await client.call('AUTH', 'pass word')).toString(), '+OK\r\n', 'quoted password with a space');
  t.equal((await client.call('CONFIG', 'GET', 'databases')).toString(), '*2\r\n$9\r\ndatabases\r\n$1\r\n4\r\n');
  t.equal((await client.call('CONFIG', 'GET', 'slowlog-max-len')).toString(), '*2\r\n$15\r\nslowlog-max-len\r\n$2\r\n77\r\n', 'from the included file');
  t.equal((await client.call('CONFIG', 'GET', 'maxclients')).toString(), '*2\r\n$10\r\nmaxclients\r\n$2\r\n60\r\n', 'the command line wins');
  t.equal((await client.call('SELECT', '4')).toString(), '-ERR DB index is out of range\r\n');
});

t.test('an unknown directive stops the server and names the line', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'bad.conf');
  writeFileSync(file, 'port 0\n\nno-such-directive yes\n');
  const run = spawnSync(process.execPath, [SERVER_MAIN, file], { encoding: 'utf8', timeout: 20000 });
  t.equal(run.status, 1);
  t.match(run.stderr, /\*\*\* FATAL CONFIG FILE ERROR/);
  t.match(run.stderr, /at line 3/);
  t.match(run.stderr, />>> 'no-such-directive yes'/);
  t.match(run.stderr, /Bad directive or wrong number of arguments/);
});

t.test('a bad value on the command line is refused the same way', async (t) => {
  const run = spawnSync(process.execPath, [SERVER_MAIN, '--port', '0', '--appendfsync', 'sometimes'], { encoding: 'utf8', timeout: 20000 });
  t.equal(run.status, 1);
  t.match(run.stderr, /FATAL CONFIG FILE ERROR/);
  t.match(run.stderr, /appendfsync sometimes/);
});

t.test('SIGTERM shuts down gracefully with exit code 0', async (t) => {
  const server = await startSluice();
  const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
  server.process.kill('SIGTERM');
  t.equal(await exited, 0);
  await server.stop();
});

t.test('--version answers without starting', async (t) => {
  const run = spawnSync(process.execPath, [SERVER_MAIN, '--version'], { encoding: 'utf8', timeout: 20000 });
  t.equal(run.status, 0);
  t.match(run.stdout, /^Sluice server v=\d+\.\d+\.\d+/);
});
