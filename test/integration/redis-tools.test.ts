// The real redis-cli and redis-benchmark binaries against Sluice: one-shot commands, --pipe mass
// insertion, --scan, and a short benchmark run that must finish without errors.

import { spawn, spawnSync } from 'node:child_process';
import t from 'tap';
import { hasBinary, startSluice } from '../support/servers';

const skip = hasBinary('redis-cli') && hasBinary('redis-benchmark') ? false : 'redis-cli/redis-benchmark not installed (apt-get install -y redis-tools); skipped';

function cli(port: number, args: string[], input?: string): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { input, encoding: 'utf8', timeout: 60000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

t.test('redis-cli one-shot commands', { skip }, async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  t.equal(cli(server.port, ['PING']).stdout, 'PONG\n');
  t.equal(cli(server.port, ['SET', 'greeting', 'hello world']).stdout, 'OK\n');
  t.equal(cli(server.port, ['GET', 'greeting']).stdout, 'hello world\n');
  t.equal(cli(server.port, ['INCRBY', 'n', '41']).stdout, '41\n');
  t.equal(cli(server.port, ['GET', 'missing']).stdout, '\n');
  t.equal(cli(server.port, ['NOSUCHCMD']).stdout, "ERR unknown command 'NOSUCHCMD', with args beginning with: \n\n", 'redis-cli prints the error and a blank line, as for Redis');
  t.equal(cli(server.port, ['-3', 'PING']).stdout, 'PONG\n', 'RESP3 through redis-cli -3');
});

t.test('redis-cli --pipe mass insertion and --scan', { skip }, async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const count = 100000;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`*3\r\n$3\r\nSET\r\n$${`key:${i}`.length}\r\nkey:${i}\r\n$${String(i).length}\r\n${i}\r\n`);
  const piped = cli(server.port, ['--pipe'], lines.join(''));
  t.match(piped.stdout, new RegExp(`errors: 0, replies: ${count}`), piped.stdout + piped.stderr);
  t.equal(cli(server.port, ['DBSIZE']).stdout, `${count}\n`);
  t.equal(cli(server.port, ['GET', 'key:99999']).stdout, '99999\n');
  const scanned = cli(server.port, ['--scan', '--pattern', 'key:1234*']).stdout.trim().split('\n').sort();
  t.same(scanned, ['key:1234', 'key:12340', 'key:12341', 'key:12342', 'key:12343', 'key:12344', 'key:12345', 'key:12346', 'key:12347', 'key:12348', 'key:12349'].sort());
});

t.test('redis-benchmark runs set, get, ping without errors', { skip }, async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const output = await new Promise<string>((resolve) => {
    const child = spawn('redis-benchmark', ['-p', String(server.port), '-n', '5000', '-c', '10', '-t', 'set,get,ping', '-q', '-P', '4']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', () => resolve(out));
  });
  for (const name of ['SET', 'GET', 'PING_INLINE', 'PING_MBULK']) t.match(output, new RegExp(`${name}: [0-9.]+ requests per second`), name);
  t.notMatch(output, /error/i);
});
