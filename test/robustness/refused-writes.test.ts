// A command refused for bad input changes nothing and logs nothing: after a battery of write
// commands that each fail validation (syntax, wrong type, out of range, bad IDs, busy names...),
// across every family, the dataset's digest, the key count and the end of the durable log are
// exactly what they were before. Each command must also have answered with an error, so the
// battery cannot silently turn into writes that happen to be no-ops.

import t from 'tap';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

const SETUP: string[][] = [
  ['SET', 's', 'text'],
  ['SET', 'n', '10'],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['XADD', 'x', '5-1', 'f', 'v'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'COUNT', '1', 'STREAMS', 'x', '>'],
  ['EXPIRE', 'n', '1000'],
];

const REFUSED: string[][] = [
  ['SET', 's', 'v', 'EX', '0'],
  ['SET', 's', 'v', 'EX', 'soon'],
  ['SET', 's', 'v', 'NX', 'XX'],
  ['SET', 's', 'v', 'KEEPTTL', 'EX', '10'],
  ['GETEX', 's', 'PX', '-5'],
  ['INCR', 's'],
  ['INCRBY', 'n', '1.5'],
  ['INCRBYFLOAT', 'n', 'abc'],
  ['DECRBY', 'n', '-9223372036854775808'],
  ['APPEND', 'l', 'x'],
  ['SETRANGE', 's', '-1', 'x'],
  ['MSET', 's', 'v', 'dangling'],
  ['EXPIRE', 's', 'later'],
  ['EXPIRE', 's', '10', 'NX', 'XX'],
  ['EXPIREAT', 'n', '9223372036854775807'],
  ['RENAME', 'missing', 'other'],
  ['COPY', 's', 'copy', 'DB', '99'],
  ['MOVE', 's', '99'],
  ['LPUSH', 's', 'x'],
  ['LSET', 'l', '99', 'x'],
  ['LSET', 'missing', '0', 'x'],
  ['LINSERT', 'l', 'MIDDLE', 'a', 'x'],
  ['LPOP', 'l', '-1'],
  ['LMOVE', 'l', 's', 'LEFT', 'RIGHT'],
  ['LMOVE', 'l', 'l2', 'UP', 'RIGHT'],
  ['LTRIM', 'l', 'zero', '1'],
  ['LREM', 'l', 'many', 'a'],
  ['XADD', 'x', '5-0', 'f', 'v'],
  ['XADD', 'x', '*', 'f'],
  ['XADD', 'x', 'MAXLEN', 'long', '*', 'f', 'v'],
  ['XADD', 's', '*', 'f', 'v'],
  ['XADD', 'x', '0-0', 'f', 'v'],
  ['XTRIM', 'x', 'MAXLEN', '-1'],
  ['XSETID', 'x', '1-0'],
  ['XDEL', 'x', 'not-an-id'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'],
  ['XGROUP', 'CREATE', 'missing', 'g', '0'],
  ['XGROUP', 'SETID', 'x', 'nogroup', '0'],
  ['XACK', 'x', 'g', 'bad-id'],
  ['XCLAIM', 'x', 'g', 'c2', 'idle', '5-1'],
  ['XCLAIM', 'x', 'nogroup', 'c2', '0', '5-1'],
  ['XAUTOCLAIM', 'x', 'g', 'c2', '0', '0-0', 'COUNT', '0'],
  ['XREADGROUP', 'GROUP', 'nogroup', 'c', 'STREAMS', 'x', '>'],
  ['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'x'],
  ['FLUSHALL', 'SOMETIMES'],
  ['SWAPDB', '0', '99'],
];

function logEnd(info: string): number {
  const match = /^master_repl_offset:(\d+)/m.exec(info);
  if (match === null) throw new Error('INFO replication has no master_repl_offset');
  return Number(match[1]);
}

t.test('write commands refused for bad input change nothing and add nothing to the log', async (t) => {
  const server = await startSluice(['--appendonly', 'yes', '--enable-debug-command', 'yes']);
  t.teardown(() => server.stop());
  const client = await RawClient.connect(server.port);
  t.teardown(() => client.close());
  for (const command of SETUP) {
    const reply = (await client.call(...command)).toString();
    if (reply.startsWith('-')) throw new Error(`setup ${command.join(' ')}: ${reply}`);
  }
  const digest = (await client.call('DEBUG', 'DIGEST')).toString();
  const keys = (await client.call('DBSIZE')).toString();
  const end = logEnd((await client.call('INFO', 'replication')).toString());

  for (const command of REFUSED) {
    const reply = (await client.call(...command)).toString();
    t.match(reply, /^-/, `${command.join(' ')} -> ${reply.trim()}`);
  }

  t.equal((await client.call('DEBUG', 'DIGEST')).toString(), digest, 'the dataset is unchanged');
  t.equal((await client.call('DBSIZE')).toString(), keys, 'no key was created or deleted');
  t.equal(logEnd((await client.call('INFO', 'replication')).toString()), end, 'nothing was appended to the log');
  // The setup's writes did reach the log: the check above is not vacuous.
  t.ok(end > 0, `the setup's writes are in the log (offset ${end})`);
});
