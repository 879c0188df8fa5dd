// Server administration against real Redis: SLOWLOG, LATENCY, TIME, LASTSAVE, WAIT, DEBUG,
// MONITOR (raw and through redis-cli monitor) and finally SHUTDOWN. Times, durations, ids and
// client ports legitimately differ and are masked; everything else is compared byte for byte.

import { spawn } from 'node:child_process';
import t from 'tap';
import { DiffPair, redisSkip, typeOnly, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { hasBinary } from '../support/servers';

/** Integers, client addresses and digits inside text blanked out: the shape stays. */
function maskNumbers(reply: Buffer): string {
  return reply
    .toString('latin1')
    .replace(/\$\d+\r\n127\.0\.0\.1:\d+\r\n/g, '<addr>')
    .replace(/^([:$=*%])\d+\r\n/gm, '$1N\r\n')
    .replace(/\d+(\.\d+)?/g, 'D');
}

const masked = (...cmd: string[]): Step => ({ cmd, mask: maskNumbers });

/** One MONITOR line with its time and client port blanked out. */
function maskMonitor(text: string): string {
  return text.replace(/^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\]/gm, '+T [$1 addr]');
}

t.test('server administration matches Redis', { skip: redisSkip }, async (t) => {
  // Nothing is logged as slow until the script says so: at the default 10 ms, a command that a
  // loaded machine stalls (SLOWLOG RESET took 12 ms once) logs itself where the script expects none.
  const args = ['--enable-debug-command', 'local', '--slowlog-log-slower-than', '-1'];
  const pair = await DiffPair.start({ sluiceArgs: args, redisArgs: args });
  t.teardown(() => pair.stop());

  const script: Step[] = [
    ['SLOWLOG'],
    ['SLOWLOG', 'NOSUCH'],
    ['SLOWLOG', 'LEN', 'x'],
    ['SLOWLOG', 'RESET', 'x'],
    ['SLOWLOG', 'GET', 'x'],
    ['SLOWLOG', 'GET', '-2'],
    ['SLOWLOG', 'GET', '1.5'],
    ['SLOWLOG', 'GET', '1', '2'],
    ['SLOWLOG', 'HELP', 'x'],
    ['SLOWLOG', 'RESET'],
    ['SLOWLOG', 'LEN'],
    ['SLOWLOG', 'GET'],
    // Everything is slow from here: entries are id, time, duration, argv, address, name.
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
    ['CLIENT', 'SETNAME', 'slowpoke'],
    ['PING', 'a'],
    ['AUTH', 'user', 'secret'],
    ['ECHO', 'x'.repeat(200)],
    ['ECHO', ...Array.from({ length: 40 }, (_, i) => String(i))],
    masked('SLOWLOG', 'GET'),
    masked('SLOWLOG', 'GET', '2'),
    masked('SLOWLOG', 'GET', '0'),
    masked('SLOWLOG', 'GET', '-1'),
    ['SLOWLOG', 'LEN'],
    ['CONFIG', 'SET', 'slowlog-max-len', '2'],
    ['SLOWLOG', 'LEN'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'],
    ['PING'],
    ['SLOWLOG', 'LEN'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000', 'slowlog-max-len', '128'],
    ['SLOWLOG', 'RESET'],

    ['LATENCY'],
    ['LATENCY', 'NOSUCH'],
    ['LATENCY', 'LATEST'],
    ['LATENCY', 'LATEST', 'x'],
    ['LATENCY', 'HISTORY'],
    ['LATENCY', 'HISTORY', 'command'],
    ['LATENCY', 'RESET'],
    ['LATENCY', 'RESET', 'a', 'b'],
    ['LATENCY', 'DOCTOR'],
    ['LATENCY', 'HELP', 'x'],
    ['CONFIG', 'SET', 'latency-monitor-threshold', '10'],
    ['LATENCY', 'DOCTOR'],
    ['DEBUG', 'SLEEP', '0.03'],
    masked('LATENCY', 'LATEST'),
    masked('LATENCY', 'HISTORY', 'command'),
    masked('LATENCY', 'DOCTOR'),
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '-1'],
    masked('LATENCY', 'DOCTOR'),
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
    ['LATENCY', 'RESET', 'nosuch', 'command'],
    ['LATENCY', 'LATEST'],
    ['CONFIG', 'SET', 'latency-monitor-threshold', '0'],

    masked('TIME'),
    ['TIME', 'x'],
    { cmd: ['LASTSAVE'], mask: typeOnly },
    ['LASTSAVE', 'x'],

    ['WAIT'],
    ['WAIT', '0'],
    ['WAIT', '0', '0'],
    ['WAIT', '1', '10'],
    ['WAIT', '-1', '0'],
    ['WAIT', 'x', '0'],
    ['WAIT', '1.5', '0'],
    ['WAIT', '0', 'x'],
    ['WAIT', '0', '-1'],
    ['WAIT', '0', '1.5'],
    ['WAIT', '0', '9223372036854775807'],
    ['WAIT', '0', '9223372036854775808'],
    ['WAIT', '9223372036854775807', '0'],

    ['DEBUG'],
    ['DEBUG', 'NOSUCH'],
    ['debug', 'nosuch', 'x'],
    ['DEBUG', 'SLEEP'],
    ['DEBUG', 'sleep', '0', 'extra'],
    ['DEBUG', 'SLEEP', '0'],
    ['DEBUG', 'SLEEP', 'x'],
    ['DEBUG', 'SLEEP', '-1'],
    ['DEBUG', 'SLEEP', '0.001'],
    ['DEBUG', 'SLEEP', '1e-3'],
    ['DEBUG', 'HELP', 'x'],

    ['MONITOR', 'x'],
    ['SHUTDOWN', 'FOO'],
    ['SHUTDOWN', 'ABORT'],
    ['shutdown', 'abort'],
    ['SHUTDOWN', 'NOSAVE', 'SAVE'],
    ['SHUTDOWN', 'SAVE', 'NOSAVE'],
    ['SHUTDOWN', 'NOW', 'FORCE', 'ABORT'],
    ['SHUTDOWN', 'ABORT', 'NOW'],
    ['SHUTDOWN', 'NOSAVE', 'NOSAVE', 'ABORT'],
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });

  // MONITOR: +OK once; then every command any client runs, after its reply, with its database
  // and address, arguments quoted; secrets redacted; admin commands not shown.
  const watch = async (port: number): Promise<string> => {
    const monitor = await RawClient.connect(port);
    const client = await RawClient.connect(port);
    t.equal((await monitor.call('MONITOR')).toString(), '+OK\r\n');
    monitor.write('*1\r\n$7\r\nMONITOR\r\n*2\r\n$4\r\nPING\r\n$4\r\nself\r\n');
    await client.call('SET', 'k', 'v');
    await client.call('ECHO', Buffer.from('a\0"\\\n\r\t\x07\x08\x7f\xffz', 'latin1'));
    await client.call('AUTH', 'user', 'pass');
    await client.call('HELLO', '2', 'AUTH', 'default', 'pass');
    await client.call('SELECT', '2');
    await client.call('GET', 'k');
    await client.call('CONFIG', 'GET', 'hz');
    await client.call('DEBUG', 'SLEEP', '0');
    await client.call('NOSUCH');
    await client.call('GET');
    await client.call('PING');
    const seen = (await monitor.readUntilClose(300)).bytes.toString('latin1');
    monitor.close();
    client.close();
    return maskMonitor(seen);
  };
  const [fromRedis, fromSluice] = await Promise.all([watch(pair.redis.port), watch(pair.sluice.port)]);
  t.equal(fromSluice, fromRedis, 'MONITOR stream');
  t.match(fromSluice, /\+T \[0 addr\] "ECHO" "a\\x00\\"\\\\\\n\\r\\t\\a\\b\\x7f\\xffz"/);
  t.match(fromSluice, /"AUTH" "\(redacted\)" "\(redacted\)"/);

  // redis-cli's monitor mode (redis-cli monitor) reads Sluice's stream.
  if (hasBinary('redis-cli')) {
    const cli = spawn('redis-cli', ['-p', String(pair.sluice.port), 'monitor']);
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const client = await RawClient.connect(pair.sluice.port);
    for (let i = 0; i < 50 && !out.includes('OK'); i++) await new Promise((r) => setTimeout(r, 20));
    await client.call('SET', 'cli key', 'v');
    for (let i = 0; i < 50 && !out.includes('SET'); i++) await new Promise((r) => setTimeout(r, 20));
    cli.kill();
    client.close();
    t.match(out, /^OK\n\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "cli key" "v"\n$/, 'redis-cli monitor');
  }

  // DEBUG HELP: Redis's wording, for the subcommands Sluice has.
  const sluice = await RawClient.connect(pair.sluice.port);
  t.equal(
    (await sluice.call('DEBUG', 'HELP')).toString(),
    '*11\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n' +
      '+DIGEST\r\n+    Output a hex signature representing the current DB content.\r\n' +
      '+SET-ACTIVE-EXPIRE <0|1>\r\n+    Setting it to 0 disables expiring keys in background when they are not\r\n' +
      '+    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the\r\n+    default.\r\n+SLEEP <seconds>\r\n' +
      '+    Stop the server for <seconds>. Decimals allowed.\r\n+HELP\r\n+    Print this help.\r\n',
  );
  const slowlogHelp = (await sluice.call('SLOWLOG', 'HELP')).toString();
  t.match(slowlogHelp, /^\*12\r\n\+SLOWLOG <subcommand> \[<arg> \[value\] \[opt\] \.\.\.\]\. Subcommands are:\r\n\+GET \[<count>\]\r\n/);
  t.match(slowlogHelp, /\+HELP\r\n\+    Print this help\.\r\n$/);
  t.match((await sluice.call('LATENCY', 'HELP')).toString(), /^\*17\r\n\+LATENCY <subcommand> .*\+HELP\r\n\+    Print this help\.\r\n$/s);
  // TIME is the server's clock.
  // Between the moments the command was sent and answered, however long that took.
  const askedMs = Date.now();
  const [sec, usec] = (await sluice.call('TIME')).toString().split('\r\n').filter((_, i) => i === 2 || i === 4).map(Number);
  const answeredMs = Date.now();
  const timeMs = sec! * 1000 + usec! / 1000;
  t.ok(timeMs >= askedMs - 1 && timeMs <= answeredMs + 1, 'TIME is now');
  t.ok(usec! >= 0 && usec! < 1e6);

  // timeout: an idle client is closed after that many seconds; a monitor is not.
  const idle = await Promise.all([pair.redis.port, pair.sluice.port].map(async (port) => {
    const admin = await RawClient.connect(port);
    await admin.call('CONFIG', 'SET', 'timeout', '1');
    const quiet = await RawClient.connect(port);
    await quiet.call('PING');
    const monitor = await RawClient.connect(port);
    await monitor.call('MONITOR');
    const quietClosed = (await quiet.readUntilClose(4000)).closed;
    const monitorOpen = !monitor.isClosed;
    await admin.call('CONFIG', 'SET', 'timeout', '0').catch(() => null);
    for (const c of [admin, quiet, monitor]) c.close();
    return { quietClosed, monitorOpen };
  }));
  t.same(idle[1], idle[0], 'timeout closes idle clients as Redis does');
  t.same(idle[1], { quietClosed: true, monitorOpen: true });

  // SHUTDOWN: no reply, the connection closes and the server exits.
  for (const server of [pair.redis, pair.sluice]) {
    const client = await RawClient.connect(server.port);
    const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
    client.write('*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n');
    const { bytes, closed } = await client.readUntilClose(5000);
    t.equal(bytes.length, 0, 'no reply');
    t.ok(closed, 'connection closed');
    t.equal(await exited, 0, 'the server exited cleanly');
  }
  sluice.close();
});
