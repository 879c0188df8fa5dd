// CONFIG against real Redis: GET (exact names, globs, several patterns), SET (several pairs,
// atomicity, every refusal in Redis's order and words), RESETSTAT; then REWRITE and HELP on Sluice
// alone (the test Redis has no config file, and 7.2's HELP wording differs from 7.0's).

import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { SERVER_MAIN, freePort, tempDir } from '../support/servers';

/** A CONFIG GET reply with its name/value pairs sorted: Redis orders them by its hash table. */
function sortedPairs(reply: Buffer): string {
  const lines = reply.toString('latin1').split('\r\n');
  const header = lines[0]!;
  const items: string[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) items.push(`${lines[i]}\r\n${lines[i + 1]}`);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < items.length; i += 2) pairs.push(`${items[i]}\r\n${items[i + 1]}`);
  return [header, ...pairs.sort()].join('\r\n');
}

const get = (...patterns: string[]): Step => ({ cmd: ['CONFIG', 'GET', ...patterns], mask: sortedPairs });

t.test('CONFIG matches Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());

  const script: Step[] = [
    ['CONFIG'],
    ['CONFIG', 'NOSUCH'],
    ['CONFIG', 'GET'],
    get('maxmemory'),
    get('MAXMEMORY'),
    get('maxmemory', 'hz', 'maxclients', 'timeout'),
    get('hz', 'HZ', 'h?'),
    get('nosuch'),
    get('nosuch*'),
    get('slowlog-*'),
    get('*read-only*'),
    get('slave-read-only'),
    get('replica-read-only', 'slave-read-only'),
    get('latency-monitor-thresh[aeiou]ld'),
    get('databases', 'tcp-keepalive', 'maxmemory-policy', 'proto-max-bulk-len', 'client-query-buffer-limit'),

    ['CONFIG', 'SET'],
    ['CONFIG', 'SET', 'maxmemory'],
    ['CONFIG', 'SET', 'maxmemory', '1mb', 'hz'],
    ['CONFIG', 'SET', 'nosuch', '1'],
    ['CONFIG', 'SET', 'nosuch', '1', 'daemonize', 'yes'],
    ['CONFIG', 'SET', 'daemonize', 'yes', 'nosuch', '1'],
    ['CONFIG', 'SET', 'maxmemory', 'abc', 'nosuch', '1'],
    ['CONFIG', 'SET', 'maxmemory', 'abc', 'daemonize', 'yes'],
    ['CONFIG', 'SET', 'daemonize', 'yes'],
    ['CONFIG', 'SET', 'databases', '4'],
    ['CONFIG', 'SET', 'enable-debug-command', 'yes'],
    ['CONFIG', 'SET', 'dir', '/tmp'],
    ['CONFIG', 'SET', 'dbfilename', 'x.rdb'],
    ['CONFIG', 'SET', 'maxmemory', '1mb', 'maxmemory', '2mb'],
    ['CONFIG', 'SET', 'maxmemory', '1mb', 'MAXMEMORY', '2mb'],
    ['CONFIG', 'SET', 'slave-read-only', 'yes', 'replica-read-only', 'yes'],
    ['CONFIG', 'SET', 'maxmemory', 'abc'],
    ['CONFIG', 'SET', 'maxmemory', '1.5mb'],
    ['CONFIG', 'SET', 'maxmemory', '-1'],
    ['CONFIG', 'SET', 'maxmemory', ' 1mb'],
    ['CONFIG', 'SET', 'maxmemory', '1xb'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '0'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '99999999999999999999'],
    ['CONFIG', 'SET', 'hz', 'abc'],
    ['CONFIG', 'SET', 'hz', '-1'],
    ['CONFIG', 'SET', 'hz', '+5'],
    ['CONFIG', 'SET', 'hz', '05'],
    ['CONFIG', 'SET', 'hz', ' 5'],
    ['CONFIG', 'SET', 'timeout', '1.5'],
    ['CONFIG', 'SET', 'port', '99999'],
    ['CONFIG', 'SET', 'maxclients', '0'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '-5'],
    ['CONFIG', 'SET', 'slowlog-max-len', '-1'],
    ['CONFIG', 'SET', 'latency-monitor-threshold', '-1'],
    ['CONFIG', 'SET', 'appendonly', 'maybe'],
    ['CONFIG', 'SET', 'appendfsync', 'sometimes'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'foo'],
    ['CONFIG', 'SET', 'save', 'x'],
    ['CONFIG', 'SET', 'save', '1'],
    ['CONFIG', 'SET', 'notify-keyspace-events', 'zz'],
    ['CONFIG', 'SET', 'bind', 'not-an-address'],

    // Values as Redis stores and shows them.
    ['CONFIG', 'SET', 'maxmemory', '1MB'],
    get('maxmemory'),
    ['CONFIG', 'SET', 'maxmemory', '5gb'],
    get('maxmemory'),
    ['CONFIG', 'SET', 'maxmemory', '2k'],
    get('maxmemory'),
    ['CONFIG', 'SET', 'maxmemory', ''],
    get('maxmemory'),
    ['CONFIG', 'SET', 'hz', '0'],
    get('hz'),
    ['CONFIG', 'SET', 'hz', '100000'],
    get('hz'),
    ['CONFIG', 'SET', 'appendonly', 'YES'],
    get('appendonly'),
    ['CONFIG', 'SET', 'appendonly', 'no'],
    ['CONFIG', 'SET', 'maxmemory-policy', 'ALLKEYS-LRU'],
    get('maxmemory-policy'),
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '9223372036854775807'],
    get('slowlog-log-slower-than'),
    ['CONFIG', 'SET', 'slave-read-only', 'no'],
    get('replica-read-only', 'slave-read-only'),
    ['CONFIG', 'SET', 'save', '100 1 30 5'],
    get('save'),
    ['CONFIG', 'SET', 'save', ''],
    get('save'),
    ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'],
    get('notify-keyspace-events'),
    ['CONFIG', 'SET', 'notify-keyspace-events', 'Kx$'],
    get('notify-keyspace-events'),
    ['CONFIG', 'SET', 'notify-keyspace-events', ''],

    // Several pairs: all applied, or none.
    ['CONFIG', 'SET', 'maxmemory', '3mb', 'hz', '20', 'timeout', '7'],
    get('maxmemory', 'hz', 'timeout'),
    ['CONFIG', 'SET', 'maxmemory', '4mb', 'hz', 'abc'],
    get('maxmemory', 'hz'),
    ['CONFIG', 'SET', 'maxmemory', '0', 'hz', '10', 'timeout', '0', 'maxmemory-policy', 'noeviction', 'replica-read-only', 'yes'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],

    ['CONFIG', 'RESETSTAT'],
    ['CONFIG', 'RESETSTAT', 'x'],
    ['CONFIG', 'REWRITE'],
    ['CONFIG', 'REWRITE', 'x'],
    ['CONFIG', 'HELP', 'x'],
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });

  // CONFIG SET of a password never shows in the slow log (nor in MONITOR: CONFIG is an admin
  // command, never shown there).
  for (const port of [pair.redis.port, pair.sluice.port]) {
    const client = await RawClient.connect(port);
    await client.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await client.call('CONFIG', 'SET', 'requirepass', 'hunter2', 'maxmemory', '0');
    await client.call('AUTH', 'hunter2');
    await client.call('CONFIG', 'SET', 'requirepass', '', 'slowlog-log-slower-than', '10000');
    const logged = (await client.call('SLOWLOG', 'GET', '3')).toString();
    t.notMatch(logged, /hunter2/, 'the password is not logged');
    t.match(logged, /\$6\r\nCONFIG\r\n\$3\r\nSET\r\n\$11\r\nrequirepass\r\n\$10\r\n\(redacted\)\r\n\$9\r\nmaxmemory\r\n\$1\r\n0\r\n/);
    t.match(logged, /\$4\r\nAUTH\r\n\$10\r\n\(redacted\)\r\n/);
    await client.call('SLOWLOG', 'RESET');
    client.close();
  }
});

t.test('CONFIG REWRITE and CONFIG HELP', async (t) => {
  const dir = tempDir();
  const file = join(dir, 'sluice.conf');
  writeFileSync(file, '# my settings\nhz 20\nmaxmemory 1mb\n\ntimeout 5\n');
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_MAIN, file, '--port', String(port), '--dir', dir, '--loglevel', 'warning'], { stdio: 'ignore' });
  t.teardown(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  let client: RawClient | null = null;
  for (let i = 0; i < 200 && client === null; i++) {
    client = await RawClient.connect(port).catch(() => null);
    if (client === null) await new Promise((r) => setTimeout(r, 50));
  }
  if (client === null) throw new Error('sluice did not start');
  const call = async (...args: string[]) => (await client!.call(...args)).toString();

  t.equal(await call('CONFIG', 'GET', 'hz'), '*2\r\n$2\r\nhz\r\n$2\r\n20\r\n', 'read from the file');
  t.equal(await call('CONFIG', 'SET', 'hz', '30', 'maxmemory', '3mb', 'maxclients', '500', 'timeout', '0'), '+OK\r\n');
  t.equal(await call('CONFIG', 'REWRITE'), '+OK\r\n');
  const lines = readFileSync(file, 'utf8').split('\n');
  t.equal(lines[0], '# my settings', 'comments kept');
  t.ok(lines.includes('hz 30'), 'changed line rewritten in place');
  t.ok(lines.includes('maxmemory 3mb'), 'memory in Redis units');
  t.ok(lines.includes('timeout 0'), 'a directive already in the file stays, even at its default');
  t.ok(lines.includes('maxclients 500'), 'new directive appended');
  t.ok(lines.indexOf('# Generated by CONFIG REWRITE') < lines.indexOf('maxclients 500'));
  t.notOk(lines.some((l) => l.startsWith('databases')), 'defaults not written');

  const help = await call('CONFIG', 'HELP');
  t.equal(
    help,
    [
      '*11',
      '+CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
      '+GET <pattern>',
      '+    Return parameters matching the glob-like <pattern> and their values.',
      '+SET <directive> <value>',
      '+    Set the configuration <directive> to <value>.',
      '+RESETSTAT',
      '+    Reset statistics reported by the INFO command.',
      '+REWRITE',
      '+    Rewrite the configuration file.',
      '+HELP',
      '+    Print this help.',
      '',
    ].join('\r\n'),
  );
  client.close();
});
