// MULTI / EXEC / DISCARD against real Redis, byte for byte, in RESP2 and RESP3: queueing, every
// queue-time refusal (unknown command, arity, unknown subcommand, no_multi commands, NOAUTH) and
// its -EXECABORT, runtime errors inside EXEC not stopping the rest, nested MULTI, EXEC/DISCARD
// without MULTI, EXEC itself refused, RESET and QUIT in MULTI, commands that would block answering
// at once, BGSAVE scheduled inside EXEC; and what Redis shows of a transaction: INFO commandstats
// and errorstats, MONITOR, SLOWLOG and CLIENT LIST (flags=x, multi=, cmd=).

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { decode, type Value } from '../persistence/helpers';
import { Connections, on } from './support';

const basics: Step[] = [
  ['MULTI'],
  ['SET', 'a', '1'],
  ['INCR', 'a'],
  ['LPUSH', 'a', 'x'],
  ['GET', 'a'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['RPUSH', 'l', 'a', 'b'],
  ['LRANGE', 'l', '0', '-1'],
  ['ECHO', 'hi'],
  ['PING'],
  ['CONFIG', 'GET', 'maxmemory'],
  ['GET', 'missing'],
  ['EXEC'],
  ['GET', 'a'],
  // Nested MULTI is refused without dooming the transaction.
  ['MULTI'],
  ['MULTI'],
  ['EXEC'],
  ['EXEC'],
  ['DISCARD'],
  // WATCH inside MULTI runs (refused) and leaves the transaction good.
  ['MULTI'],
  ['WATCH', 'x'],
  ['SET', 'w', '1'],
  ['EXEC'],
  ['MULTI'],
  ['SET', 'b', '1'],
  ['DISCARD'],
  ['GET', 'b'],
  ['MULTI'],
  ['EXEC'],
  // Refused while queueing: the transaction is discarded at EXEC; later commands still say QUEUED.
  ['MULTI'],
  ['SET', 'd', '1'],
  ['FOO', 'bar', 'baz'],
  ['SET', 'e', '1'],
  ['EXEC'],
  ['EXISTS', 'd', 'e'],
  ['MULTI'],
  ['GET'],
  ['EXEC'],
  ['MULTI'],
  ['CLIENT', 'NOSUCH'],
  ['EXEC'],
  ['MULTI'],
  ['SAVE'],
  ['EXEC'],
  ['MULTI'],
  ['SHUTDOWN'],
  ['EXEC'],
  ['MULTI'],
  ['MULTI', 'x'],
  ['EXEC'],
  ['MULTI'],
  ['DISCARD', 'x'],
  ['EXEC'],
  ['MULTI'],
  ['WATCH'],
  ['EXEC'],
  // EXEC refused itself drops the transaction with the reason.
  ['EXEC', 'x'],
  ['MULTI'],
  ['SET', 'c', '1'],
  ['EXEC', 'x'],
  ['EXEC'],
  ['GET', 'c'],
  ['DISCARD', 'x'],
  ['WATCH'],
  ['UNWATCH', 'x'],
  // SELECT inside EXEC moves the commands after it.
  ['MULTI'],
  ['SELECT', '1'],
  ['SET', 'k', 'in1'],
  ['SELECT', '0'],
  ['GET', 'k'],
  ['EXEC'],
  ['SELECT', '1'],
  ['GET', 'k'],
  ['SELECT', '0'],
  ['MULTI'],
  ['UNWATCH'],
  ['EXEC'],
  // Commands that would block answer at once inside EXEC; WAIT does not wait.
  ['MULTI'],
  ['WAIT', '1', '0'],
  ['EXEC'],
  // RESET leaves MULTI (it runs at once); last, since it also goes back to RESP2.
  ['MULTI'],
  ['SET', 'z', '1'],
  ['RESET'],
  ['EXEC'],
  ['GET', 'z'],
];

t.test('MULTI/EXEC/DISCARD basics and errors, RESP2 and RESP3', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start({ redisArgs: ['--appendonly', 'no'], sluiceArgs: ['--save', ''] });
  t.teardown(() => pair.stop());
  await pair.check(t, basics);
  await pair.check(t, basics, { resp: 3 });
  await pair.check(t, [['MULTI'], ['SET', 'q', '1'], ['QUIT'], ['PING']]);
  await pair.check(t, [['GET', 'q']]);
  // BGSAVE and BGREWRITEAOF are scheduled, not started, inside EXEC (once: a second run would find
  // Redis's child still running).
  await pair.check(t, [['MULTI'], ['BGSAVE'], ['BGREWRITEAOF'], ['EXEC']]);
});

t.test('EXEC without authentication is an EXECABORT with the reason', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start({ redisArgs: ['--requirepass', 'pw'], sluiceArgs: ['--requirepass', 'pw'] });
  t.teardown(() => pair.stop());
  await pair.check(
    t,
    [['EXEC'], ['MULTI'], ['DISCARD'], ['WATCH', 'k'], ['AUTH', 'pw'], ['MULTI'], ['AUTH', 'bad'], ['SET', 'k', 'v'], ['EXEC'], ['GET', 'k']],
    { flush: false },
  );
});

/** "cmdstat_x:calls=..,rejected_calls=..,failed_calls=.." lines of the named commands, usec left out. */
function commandStats(names: readonly string[]): (reply: Buffer) => string {
  return (reply) => {
    const lines = reply.toString('latin1').split('\r\n');
    return names
      .map((name) => {
        const line = lines.find((l) => l.startsWith(`cmdstat_${name}:`));
        if (line === undefined) return `${name}: none`;
        const fields = Object.fromEntries(line.slice(line.indexOf(':') + 1).split(',').map((kv) => kv.split('=')));
        return `${name}: calls=${fields.calls} rejected=${fields.rejected_calls} failed=${fields.failed_calls}`;
      })
      .join('\n');
  };
}

function infoFields(names: readonly string[]): (reply: Buffer) => string {
  return (reply) => {
    const lines = reply.toString('latin1').split('\r\n');
    return names.map((name) => lines.find((l) => l.startsWith(`${name}:`)) ?? `${name}: none`).join('\n');
  };
}

t.test('INFO commandstats, errorstats and total_commands_processed count what Redis counts', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const names = ['multi', 'exec', 'discard', 'watch', 'unwatch', 'set', 'get', 'incr', 'lpush', 'save'];
  const stats = { cmd: ['INFO', 'commandstats'], mask: commandStats(names) };
  const errors = { cmd: ['INFO', 'errorstats'], mask: infoFields(['errorstat_ERR', 'errorstat_EXECABORT', 'errorstat_WRONGTYPE']) };
  const processed = { cmd: ['INFO', 'stats'], mask: infoFields(['total_commands_processed', 'total_error_replies']) };
  const reset: Step = ['CONFIG', 'RESETSTAT'];
  await pair.check(t, [
    reset,
    // Queued commands count when EXEC runs them; a refusal counts as rejected.
    ['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['LPUSH', 'a', 'x'], ['GET'], ['EXEC'],
    stats, errors, processed, reset,
    // A runtime error inside EXEC fails that command, not EXEC (also when it is the last one).
    ['MULTI'], ['SET', 'a', '1'], ['LPUSH', 'a', 'x'], ['EXEC'],
    ['MULTI'], ['LPUSH', 'a', 'x'], ['SET', 'a', '1'], ['EXEC'],
    stats, errors, processed, reset,
    ['MULTI'], ['FOO'], ['SAVE'], ['EXEC'], ['EXEC'], ['DISCARD'], ['WATCH', 'a'], ['UNWATCH'], ['EXEC', 'x'],
    stats, errors, processed,
    // A refusal between two commands charges nothing to the next one.
    reset, ['FOO'], ['SET', 'a', '1'], ['GET'], ['SET', 'a', '2'], stats,
    // CONFIG RESETSTAT after errors is not itself failed.
    ['FOO'], reset, { cmd: ['INFO', 'commandstats'], mask: commandStats(['config|resetstat']) },
  ]);
});

/** Monitor lines with the time and the client's address taken out. */
function monitorLine(reply: Buffer): string {
  return reply.toString('latin1').replace(/^\+\d+\.\d+ \[(\d+) [^\]]*\]/, '+[$1]');
}

t.test('MONITOR sees MULTI, then the queued commands as EXEC runs them, then EXEC; SLOWLOG logs them, not EXEC', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const conns = await Connections.open(pair, 2);
  t.teardown(() => conns.close());
  await conns.run(t, [on(1, 'MONITOR')]);
  await conns.run(t, [
    ['MULTI'], ['SET', 'a', '1'], ['LPUSH', 'a', '1'], ['EXEC'],
    ['MULTI'], ['FOO'], ['EXEC'],
    ['MULTI'], ['DISCARD'],
    ['MULTI'], ['SET', 'b', '1'], ['EXEC', 'x'],
    ['WATCH', 'a'], ['UNWATCH'],
  ]);
  // The monitor's own PING comes after everything the other connection ran.
  const [r, s] = await conns.both(1, 'PING');
  const lines = async (first: Buffer, read: () => Promise<Buffer>): Promise<string[]> => {
    const out = [monitorLine(first)];
    while (!out[out.length - 1]!.includes('"PING"')) out.push(monitorLine(await read()));
    return out;
  };
  const redisLines = await lines(r, () => conns.read(1, 'redis'));
  const sluiceLines = await lines(s, () => conns.read(1, 'sluice'));
  t.strictSame(sluiceLines, redisLines, 'the same monitor lines in the same order');

  const entries = (reply: Buffer) => {
    const value = decode(reply) as Value[][];
    return JSON.stringify(value.map((entry) => entry[3]));
  };
  await conns.run(t, [
    ['SLOWLOG', 'RESET'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '0'],
    ['MULTI'], ['SET', 'a', '1'], ['GET', 'a'], ['EXEC'],
    ['CONFIG', 'SET', 'slowlog-log-slower-than', '10000'],
    { cmd: ['SLOWLOG', 'GET'], mask: entries },
  ]);
});

/** flags=, multi= and cmd= of the client named `name` in a CLIENT LIST reply. */
function clientFields(name: string): (reply: Buffer) => string {
  return (reply) => {
    const line = reply.toString('latin1').split('\n').find((l) => l.includes(` name=${name} `)) ?? '';
    return ['flags', 'multi', 'cmd'].map((f) => new RegExp(`(?:^| )${f}=(\\S*)`).exec(line)?.[0]?.trim() ?? `${f}?`).join(' ');
  };
}

t.test('CLIENT LIST shows flags=x and multi=<queued>, and the queued command as cmd=', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const conns = await Connections.open(pair, 2);
  t.teardown(() => conns.close());
  const list = { cmd: ['CLIENT', 'LIST'], on: 1, mask: clientFields('tx') };
  await conns.run(t, [
    ['CLIENT', 'SETNAME', 'tx'],
    list,
    ['MULTI'], list,
    ['SET', 'a', '1'], ['GET', 'a'], list,
    { cmd: ['CLIENT', 'INFO'] },
    { cmd: ['EXEC'], mask: (reply) => clientFields('tx')(reply) + ' ' + reply.toString('latin1').split('\r\n').slice(0, 4).join('|') },
    list,
    ['MULTI'], ['GET', 'a'], ['FOO'], list,
    // Doomed: answered QUEUED, not kept.
    ['SET', 'b', '1'], list,
    ['GET'], list,
    ['EXEC'], list,
    ['MULTI'], ['DISCARD'], list,
  ]);
});

t.test('above maxmemory: every queued command is refused, EXEC too when it holds a denyoom command', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const conns = await Connections.open(pair, 2);
  t.teardown(() => conns.close());
  const limit = (bytes: string) => on(1, 'CONFIG', 'SET', 'maxmemory', bytes);
  await conns.run(t, [
    ['SET', 'k', 'v'],
    // Queued before the limit, refused at EXEC with the reason.
    ['MULTI'], ['SET', 'a', '1'], ['GET', 'k'], limit('1'), ['EXEC'], ['EXEC'],
    // Read-only transaction queued before: runs.
    limit('0'), ['MULTI'], ['GET', 'k'], limit('1'), ['EXEC'],
    // In MULTI even reads (and nested MULTI, WATCH) are refused; DISCARD is not.
    ['MULTI'], ['GET', 'k'], ['MULTI'], ['WATCH', 'k'], ['DEL', 'k'], ['EXEC'],
    ['MULTI'], ['GET', 'k'], ['DISCARD'],
    ['MULTI'], ['RESET'],
    limit('0'), ['GET', 'k'],
  ]);
});
