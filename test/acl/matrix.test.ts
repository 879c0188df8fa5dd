// The ACL matrix: for every category, a user allowed only that category runs a sample of commands
// in it and out of it, over RESP2 and RESP3. Categories come from the command table, so the
// expectation is computed from each spec's `acl` list (a container's category also covers its
// subcommands, as in Redis); every refusal must be Redis 7.2's -NOPERM naming the command, and every
// allowed command must get past the ACL (whatever its own reply to the placeholder arguments).

import t from 'tap';
import { ACL_CATEGORIES } from '../../commands/server/acl/categories';
import { commandTable } from '../../commands/table';
import type { AclCategory, CommandSpec } from '../../commands/types';
import { RawClient } from '../support/resp';
import { startSluice } from '../support/servers';

interface Sample {
  readonly fullName: string;
  readonly argv: string[];
  readonly categories: ReadonlySet<AclCategory>;
}

/**
 * Commands not run here: they end or change the connection or the server (SHUTDOWN, QUIT, RESET,
 * MONITOR, HELLO, AUTH, MULTI), or wait (DEBUG SLEEP, WAIT, WAITAOF with placeholder numbers).
 */
const NOT_RUN = new Set(['shutdown', 'quit', 'reset', 'monitor', 'hello', 'auth', 'debug', 'multi', 'wait', 'waitaof', 'client|pause', 'client|reply', 'client|kill', 'save', 'bgsave', 'bgrewriteaof', 'flushall', 'swapdb', 'select']);

const SUBSCRIBES = new Set(['subscribe', 'psubscribe', 'ssubscribe']);

function placeholderArgs(arity: number, fixed: string[]): string[] {
  const count = Math.max(arity > 0 ? arity : -arity, fixed.length);
  const argv = [...fixed];
  while (argv.length < count) argv.push(`k${argv.length}`);
  return argv;
}

/**
 * Send a command and read its reply, skipping RESP3 pushes: (un)subscribing answers with one push
 * per channel, as many as the connection's subscriptions when no channel is named.
 */
async function callPastPushes(c: RawClient, argv: string[]): Promise<string> {
  let reply = (await c.call(...argv)).toString('latin1');
  while (reply.startsWith('>') && !SUBSCRIBING.has(argv[0]!)) reply = (await c.readReply()).toString('latin1');
  return reply;
}

/** Commands whose own answer is a push in RESP3. */
const SUBSCRIBING = new Set(['subscribe', 'unsubscribe', 'psubscribe', 'punsubscribe', 'ssubscribe', 'sunsubscribe']);

/** Every command and subcommand with the categories that grant it. */
function samples(): Sample[] {
  const out: Sample[] = [];
  const add = (spec: CommandSpec, parent: CommandSpec | undefined) => {
    const fullName = parent === undefined ? spec.name : `${parent.name}|${spec.name}`;
    if (spec.handler === undefined || NOT_RUN.has(fullName) || spec.flags.includes('no_auth')) return;
    const categories = new Set<AclCategory>([...spec.acl, ...(parent?.acl ?? [])]);
    // A subscription to a placeholder channel that a later PUBLISH k1 would hit puts a message
    // push (RESP3) between the replies this test reads one by one.
    const fixed = parent === undefined ? (SUBSCRIBES.has(spec.name) ? [spec.name, 'nobody-publishes-here'] : [spec.name]) : [parent.name, spec.name];
    out.push({ fullName, argv: placeholderArgs(spec.arity, fixed), categories });
  };
  for (const spec of commandTable().values()) {
    add(spec, undefined);
    for (const sub of spec.subcommands ?? []) add(sub, spec);
  }
  return out.sort((a, b) => (a.fullName < b.fullName ? -1 : 1));
}

/** Per category: every command in it (up to 12, spread over the table) and 6 outside it. */
function sampleFor(category: AclCategory, all: readonly Sample[]): Sample[] {
  const spread = (list: Sample[], n: number) => (list.length <= n ? list : Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]!));
  return [...spread(all.filter((s) => s.categories.has(category)), 12), ...spread(all.filter((s) => !s.categories.has(category)), 6)];
}

t.test('every category: allowed commands run, the others get -NOPERM naming them', async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const admin = await RawClient.connect(server.port);
  t.teardown(() => admin.close());
  const all = samples();
  t.ok(all.length > 100, `${all.length} commands and subcommands`);
  for (const category of ACL_CATEGORIES) {
    const user = `only-${category}`;
    t.equal((await admin.call('ACL', 'SETUSER', user, 'on', '>pw', '~*', '&*', `+@${category}`)).toString(), '+OK\r\n');
    for (const resp of [2, 3] as const) {
      const c = await RawClient.connect(server.port);
      const login = resp === 2 ? await c.call('AUTH', user, 'pw') : await c.call('HELLO', '3', 'AUTH', user, 'pw');
      t.match(login.toString('latin1'), resp === 2 ? /^\+OK/ : /^%7/, `${user} logs in over RESP${resp}`);
      for (const sample of sampleFor(category, all)) {
        const reply = await callPastPushes(c, sample.argv);
        if (sample.categories.has(category)) {
          t.notMatch(reply, /^-NOPERM/, `RESP${resp} @${category} allows ${sample.fullName}`);
        } else {
          const noperm = `NOPERM User ${user} has no permissions to run the '${sample.fullName}' command`;
          // A refused EXEC is an aborted transaction, even outside MULTI (Redis's rejectCommand).
          const expected = sample.fullName === 'exec' ? `-EXECABORT Transaction discarded because of: ${noperm}\r\n` : `-${noperm}\r\n`;
          t.equal(reply, expected, `RESP${resp} @${category} refuses ${sample.fullName}`);
        }
      }
      c.close();
    }
    // The same user with the category taken away again refuses what it allowed.
    await admin.call('ACL', 'SETUSER', user, `-@${category}`);
    const c = await RawClient.connect(server.port);
    await c.call('AUTH', user, 'pw');
    const first = all.find((s) => s.categories.has(category));
    if (first !== undefined) {
      t.equal((await c.call(...first.argv)).toString('latin1'), `-NOPERM User ${user} has no permissions to run the '${first.fullName}' command\r\n`, `-@${category} refuses ${first.fullName}`);
    }
    c.close();
  }
});

t.test('key permissions of multi-key commands, over RESP2 and RESP3', async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const admin = await RawClient.connect(server.port);
  t.teardown(() => admin.close());
  await admin.call('ACL', 'SETUSER', 'mover', 'on', '>pw', '+@all', '%R~in:*', '%W~out:*', '~tmp:*');
  await admin.call('RPUSH', 'in:l', 'a', 'b');
  await admin.call('SET', 'in:s', 'v');
  const denied = '-NOPERM No permissions to access a key\r\n';
  for (const resp of [2, 3] as const) {
    const c = await RawClient.connect(server.port);
    await (resp === 2 ? c.call('AUTH', 'mover', 'pw') : c.call('HELLO', '3', 'AUTH', 'mover', 'pw'));
    const run = async (...argv: string[]) => (await c.call(...argv)).toString('latin1');
    t.equal(await run('LMOVE', 'in:l', 'out:l', 'LEFT', 'RIGHT'), denied, 'LMOVE writes its source: read-only in:* is not enough');
    t.equal(await run('LMOVE', 'tmp:l', 'out:l', 'LEFT', 'RIGHT'), resp === 2 ? '$-1\r\n' : '_\r\n');
    t.equal(await run('LMOVE', 'tmp:l', 'in:l', 'LEFT', 'RIGHT'), denied);
    t.equal(await run('MSET', 'out:a', '1', 'tmp:b', '2'), '+OK\r\n');
    t.equal(await run('MSET', 'out:a', '1', 'in:b', '2'), denied);
    t.equal(await run('MGET', 'in:s', 'tmp:b'), resp === 2 ? '*2\r\n$1\r\nv\r\n$1\r\n2\r\n' : '*2\r\n$1\r\nv\r\n$1\r\n2\r\n');
    t.equal(await run('MGET', 'in:s', 'out:a'), denied, 'out:* is write-only');
    t.equal(await run('COPY', 'in:s', `out:c${resp}`), ':1\r\n', 'COPY reads its source, writes its destination');
    t.equal(await run('COPY', 'out:a', 'tmp:c'), denied);
    t.equal(await run('RENAME', 'in:s', 'out:x'), denied, 'RENAME deletes its source');
    t.equal(await run('XADD', 'out:s', '1-1', 'f', 'v'), resp === 2 ? '$3\r\n1-1\r\n' : '$3\r\n1-1\r\n', 'XADD only writes');
    t.equal(await run('XREAD', 'STREAMS', 'in:x', 'tmp:x', '0', '0'), resp === 2 ? '*-1\r\n' : '_\r\n', 'XREAD over several readable streams');
    t.equal(await run('XREAD', 'STREAMS', 'in:x', 'out:s', '0', '0'), denied, 'XREAD of a write-only stream');
    t.equal(await run('GET', 'elsewhere'), denied);
    await run('DEL', 'out:s');
    c.close();
  }
  const log = (await admin.call('ACL', 'LOG', '1')).toString('latin1');
  t.match(log, /reason\r\n\$3\r\nkey\r\n.*object\r\n\$9\r\nelsewhere\r\n.*username\r\n\$5\r\nmover\r\n/s, 'ACL LOG names the denied key');
});
