// ACL replies against real Redis, byte for byte, in RESP2 and RESP3: SETUSER and its errors,
// GETUSER, LIST, USERS, WHOAMI, DELUSER, CAT, GENPASS, LOG's shape, DRYRUN, HELP, AUTH and HELLO
// AUTH for ACL users, and the -NOPERM replies of refused commands.
//
// Redis 7.2 words two things differently from the 7.0 installed for tests (see ../command/redis72.ts):
// -NOPERM and ACL DRYRUN texts name the user ("User alice has no permissions ..."), and the command
// rules are kept in the order given. Rule sets here are ones 7.0 also describes in the order given;
// 7.0's NOPERM and DRYRUN texts are rewritten to 7.2's before comparing.

import t from 'tap';
import { DiffPair, redisSkip, type Step } from '../support/differential';
import { RawClient } from '../support/resp';
import { decodeReply, items, text } from '../command/resp-value';
import { NEW_IN_72, helpAs72, nopermAs72, nopermAs72 as as72 } from '../command/redis72';

const RULE_SETS: readonly string[][] = [
  ['+@list', '-lpush'],
  ['+get'],
  ['+@all', '-@dangerous'],
  ['+@all', '-flushall'],
  ['+client|id'],
  ['+@hash'],
  ['allcommands', '-@admin'],
  ['+@keyspace', '-del'],
  ['nocommands', '+select|0', '+select|1'],
];

const setupScript: Step[] = [
  ['ACL', 'SETUSER', 'alice', 'on', '>p1', '>p2', '#' + 'a'.repeat(64), '~foo*', '%R~bar*', '%W~baz*', '%RW~both*', '&chan*', '+@list', '-lpush'],
  ['ACL', 'GETUSER', 'alice'],
  ['ACL', 'SETUSER', 'alice', '<p2', '!' + 'a'.repeat(64)],
  ['ACL', 'GETUSER', 'alice'],
  ['ACL', 'SETUSER', 'alice', '(~sel* +mget)', '(', '%R~r*', '+get', ')'],
  ['ACL', 'GETUSER', 'alice'],
  ['ACL', 'LIST'],
  ['ACL', 'SETUSER', 'alice', 'clearselectors', 'resetkeys', 'allkeys', 'resetchannels', 'allchannels'],
  ['ACL', 'GETUSER', 'alice'],
  ['ACL', 'SETUSER', 'bob'],
  ['ACL', 'GETUSER', 'bob'],
  ['ACL', 'SETUSER', 'bob', 'reset'],
  ['ACL', 'SETUSER', 'carol', 'on', 'nopass', 'skip-sanitize-payload', '~*', '&*', 'resetpass'],
  ['ACL', 'USERS'],
  ['ACL', 'LIST'],
  ['ACL', 'GETUSER', 'nobody'],
  ['ACL', 'WHOAMI'],
  ['ACL', 'DELUSER', 'bob', 'nobody', 'carol'],
  ['ACL', 'DELUSER', 'default'],
  ['ACL', 'DELUSER', 'alice', 'default'],
  ['ACL', 'USERS'],
  ['ACL', 'LIST'],
];

const errorScript: Step[] = [
  ['ACL', 'SETUSER', 'e', 'nosuchrule'],
  ['ACL', 'SETUSER', 'e', '+nosuchcommand'],
  ['ACL', 'SETUSER', 'e', '-@nosuchcategory'],
  ['ACL', 'SETUSER', 'e', '+get|foo|bar'],
  ['ACL', 'SETUSER', 'e', '+config|nosuch'],
  ['ACL', 'SETUSER', 'e', '-select|0'],
  ['ACL', 'SETUSER', 'e', '+config|get|x'],
  ['ACL', 'SETUSER', 'e', '+select|'],
  ['ACL', 'SETUSER', 'e', '#abc'],
  ['ACL', 'SETUSER', 'e', '!' + 'A'.repeat(64)],
  ['ACL', 'SETUSER', 'e', '<notapassword'],
  ['ACL', 'SETUSER', 'e', 'allkeys', '~foo'],
  ['ACL', 'SETUSER', 'e', 'allkeys', '%R~foo'],
  ['ACL', 'SETUSER', 'e', 'allchannels', '&foo'],
  ['ACL', 'SETUSER', 'e', '%'],
  ['ACL', 'SETUSER', 'e', '%X~a'],
  ['ACL', 'SETUSER', 'e', '%RR~a'],
  ['ACL', 'SETUSER', 'e', '(+get', '~a'],
  ['ACL', 'SETUSER', 'e', '(+nosuch)'],
  ['ACL', 'SETUSER', 'e', '(~a allkeys ~b)'],
  ['ACL', 'SETUSER', 'has space'],
  ['ACL', 'SETUSER', 'e', 'on', 'bogus'],
  ['ACL', 'USERS'],
  ['ACL', 'CAT', 'nosuchcategory'],
  ['ACL', 'CAT', 'a', 'b'],
  ['ACL', 'GENPASS', '0'],
  ['ACL', 'GENPASS', '4097'],
  ['ACL', 'GENPASS', 'x'],
  ['ACL', 'GENPASS', '1', '2'],
  ['ACL', 'LOG', 'x'],
  ['ACL', 'LOG', '1', '2'],
  ['ACL', 'LOG', '-1'],
  ['ACL', 'GETUSER'],
  ['ACL', 'DELUSER'],
  ['ACL', 'NOSUCH'],
  ['ACL'],
  { cmd: ['ACL', 'HELP'], mask: helpAs72 },
  ['ACL', 'CAT'],
  ['ACL', 'SAVE'],
  ['ACL', 'LOAD'],
  ['AUTH', 'nobody', 'x'],
  ['AUTH', 'a', 'b', 'c'],
  ['AUTH', 'x'],
];

const dryrunScript: Step[] = [
  ['ACL', 'SETUSER', 'dry', 'on', 'nopass', '~k*', '%R~r*', '&c*', '+get', '+set', '+lmove', '+config|get', '+client'],
  { cmd: ['ACL', 'DRYRUN', 'dry', 'get', 'k1'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'get', 'r1'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'get', 'x1'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'set', 'r1', 'v'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'lmove', 'k1', 'r1', 'left', 'right'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'lmove', 'r1', 'k1', 'left', 'right'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'del', 'k1'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'config', 'get', 'port'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'config', 'set', 'port', '1'], mask: as72('dry') },
  { cmd: ['ACL', 'DRYRUN', 'dry', 'client', 'id'], mask: as72('dry') },
  ['ACL', 'DRYRUN', 'nobody', 'get', 'k'],
  ['ACL', 'DRYRUN', 'dry', 'nosuchcommand'],
  ['ACL', 'DRYRUN', 'dry', 'config', 'nosuch'],
  ['ACL', 'DRYRUN', 'dry', 'get'],
  ['ACL', 'DRYRUN', 'dry', 'get', 'a', 'b'],
];

t.test('ACL replies match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  for (const resp of [2, 3] as const) {
    await pair.check(t, setupScript, { resp });
    await pair.check(t, errorScript, { resp });
    await pair.check(t, dryrunScript, { resp });
    await pair.check(t, [['ACL', 'DELUSER', 'dry', 'e']], { resp });
    for (const rules of RULE_SETS) {
      await pair.check(t, [['ACL', 'SETUSER', 'r', 'reset', ...rules], ['ACL', 'GETUSER', 'r'], ['ACL', 'LIST'], ['ACL', 'DELUSER', 'r']], { resp });
    }
  }
});

t.test('ACL users log in and are refused like in Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const setup: Step[] = [
    ['ACL', 'SETUSER', 'app', 'on', '>secret', '~app:*', '%R~shared:*', '&news.*', '+@read', '+@write', '-flushall', '+select|0', '+client|id', '+client|info'],
    ['ACL', 'SETUSER', 'off-user', 'off', '>pw', '+@all'],
    ['ACL', 'SETUSER', 'open', 'on', 'nopass', '+acl|whoami'],
    ['ACL', 'LOG', 'RESET'],
  ];
  for (const resp of [2, 3] as const) {
    await pair.check(t, setup, { resp });
    const refusals: Step[] = [
      ['AUTH', 'app', 'wrong'],
      ['AUTH', 'off-user', 'pw'],
      ['AUTH', 'nobody', 'pw'],
      ['HELLO', String(resp), 'AUTH', 'app', 'wrong'],
      ['AUTH', 'app', 'secret'],
      { cmd: ['ACL', 'WHOAMI'], mask: as72('app') },
      ['SET', 'app:1', 'v'],
      ['GET', 'app:1'],
      ['GET', 'shared:1'],
      { cmd: ['SET', 'shared:1', 'v'], mask: as72('app') },
      { cmd: ['GET', 'other'], mask: as72('app') },
      { cmd: ['MSET', 'app:1', 'a', 'other', 'b'], mask: as72('app') },
      { cmd: ['COPY', 'app:1', 'shared:2'], mask: as72('app') },
      ['COPY', 'shared:1', 'app:2'],
      { cmd: ['LMOVE', 'shared:1', 'app:l', 'LEFT', 'RIGHT'], mask: as72('app') },
      { cmd: ['FLUSHALL'], mask: as72('app') },
      { cmd: ['CONFIG', 'GET', 'port'], mask: as72('app') },
      ['SELECT', '0'],
      { cmd: ['SELECT', '1'], mask: as72('app') },
      { cmd: ['CLIENT', 'ID'], mask: (reply) => reply.toString('latin1', 0, 1) },
      { cmd: ['CLIENT', 'LIST'], mask: as72('app') },
      { cmd: ['ACL', 'WHOAMI'], mask: as72('app') },
      // The reply names the server version (7.0.15 there, 7.2.4 here): its type is compared.
      { cmd: ['HELLO', String(resp), 'AUTH', 'open', 'anything'], mask: (reply) => reply.toString('latin1', 0, 1) },
      ['ACL', 'WHOAMI'],
      { cmd: ['GET', 'app:1'], mask: as72('open') },
    ];
    await pair.check(t, refusals, { resp, flush: false });
  }
});

t.test('ACL LOG entries have the fields and values Redis gives', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const logOf = async (port: number): Promise<Array<Map<string, string>>> => {
    const admin = await RawClient.connect(port);
    const user = await RawClient.connect(port);
    try {
      await admin.call('ACL', 'SETUSER', 'logged', 'on', '>pw', '~k*', '&c*', '+get', '+set');
      await admin.call('ACL', 'LOG', 'RESET');
      await user.call('AUTH', 'logged', 'bad');
      await user.call('AUTH', 'logged', 'pw');
      await user.call('GET', 'x');
      await user.call('GET', 'x');
      await user.call('DEL', 'k1');
      const log = decodeReply(await admin.call('ACL', 'LOG'));
      return items(log).map((entry) => {
        const fields = items(entry);
        const map = new Map<string, string>();
        for (let i = 0; i < fields.length; i += 2) map.set(text(fields[i]!), text(fields[i + 1]!));
        return map;
      });
    } finally {
      admin.close();
      user.close();
    }
  };
  const [redis, sluice] = await Promise.all([logOf(pair.redis.port), logOf(pair.sluice.port)]);
  t.equal(sluice.length, redis.length, 'as many entries');
  const compared = ['count', 'reason', 'context', 'object', 'username'];
  for (let i = 0; i < redis.length; i++) {
    for (const field of compared) t.equal(sluice[i]!.get(field), redis[i]!.get(field), `entry ${i} ${field}`);
    t.match(sluice[i]!.get('client-info'), /^id=\d+ addr=127\.0\.0\.1:\d+ .* user=\S+ /, `entry ${i} client-info`);
    t.match(sluice[i]!.get('age-seconds'), /^\d+(\.\d+)?$/, `entry ${i} age-seconds`);
    // Redis 7.2's additions: a unique id and the times the entry was created and last updated.
    t.match(sluice[i]!.get('entry-id'), /^\d+$/);
    t.ok(Number(sluice[i]!.get('timestamp-last-updated')) >= Number(sluice[i]!.get('timestamp-created')));
  }
  t.same([...sluice[0]!.keys()], [...redis[0]!.keys(), 'entry-id', 'timestamp-created', 'timestamp-last-updated'], 'field names and order (7.2 adds three)');
});

t.test('EXEC checks permissions again, as Redis does', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const script = async (port: number): Promise<string[]> => {
    const admin = await RawClient.connect(port);
    const user = await RawClient.connect(port);
    try {
      const out: string[] = [];
      const say = async (c: RawClient, ...argv: string[]) => out.push((await c.call(...argv)).toString('latin1'));
      await say(admin, 'ACL', 'SETUSER', 'tx', 'on', '>pw', '~k*', '+@all');
      await say(user, 'AUTH', 'tx', 'pw');
      await say(user, 'MULTI');
      await say(user, 'SET', 'k1', 'v');
      await say(user, 'GET', 'k1');
      await say(user, 'INCR', 'k2');
      await say(admin, 'ACL', 'SETUSER', 'tx', '-get', 'resetkeys', '~k1');
      await say(user, 'EXEC');
      await say(user, 'MULTI');
      await say(user, 'GET', 'other');
      await say(user, 'EXEC');
      const log = decodeReply(await admin.call('ACL', 'LOG'));
      for (const entry of items(log)) {
        const f = items(entry).map(text);
        out.push(['reason', 'context', 'object', 'username'].map((name) => f[f.indexOf(name) + 1]).join(' '));
      }
      return out;
    } finally {
      admin.close();
      user.close();
    }
  };
  const [redis, sluice] = await Promise.all([script(pair.redis.port), script(pair.sluice.port)]);
  t.same(sluice, redis.map((reply) => nopermAs72('tx')(Buffer.from(reply, 'latin1'))));
});

t.test('ACL CAT <category> lists what Redis lists, for the commands Sluice has', { skip: redisSkip }, async (t) => {
  // Sluice implements a subset of Redis's commands: each category must hold exactly Redis's members
  // among the commands and subcommands Sluice has (from its own COMMAND reply), no more, no fewer.
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  const [redis, sluice] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.sluice.port)]);
  t.teardown(() => {
    redis.close();
    sluice.close();
  });
  const ours = new Set<string>();
  for (const entry of items(decodeReply(await sluice.call('COMMAND')))) {
    const fields = items(entry);
    ours.add(text(fields[0]!));
    for (const sub of items(fields[9]!)) ours.add(text(items(sub)[0]!));
  }
  t.ok(ours.has('get') && ours.has('config|get') && ours.has('acl|setuser'), `${ours.size} commands and subcommands`);
  const categories = items(decodeReply(await redis.call('ACL', 'CAT'))).map(text);
  t.same(items(decodeReply(await sluice.call('ACL', 'CAT'))).map(text), categories, 'the same categories, in the same order');
  for (const category of categories) {
    const inRedis = items(decodeReply(await redis.call('ACL', 'CAT', category))).map(text);
    const inSluice = items(decodeReply(await sluice.call('ACL', 'CAT', category))).map(text);
    // Commands new in 7.2 are absent from 7.0's lists: their 7.2 categories come from redis72.ts.
    const newIn72 = [...NEW_IN_72].filter(([name, c]) => ours.has(name) && (c.fields.acl ?? '').split(' ').includes(`+@${category}`)).map(([name]) => name);
    const expected = [...inRedis.filter((name) => ours.has(name)), ...newIn72].sort();
    t.same([...inSluice].sort(), expected, `@${category}: ${expected.length} of Redis's ${inRedis.length}`);
    t.equal(new Set(inSluice).size, inSluice.length, `@${category} lists each command once`);
  }
});
