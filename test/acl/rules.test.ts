// ACL rules without a server: parsing, Redis 7.2's descriptions (rules kept in the order given),
// key permissions read from key specs (read vs write patterns, multi-key commands), channel
// permissions, first-args, selectors, and the protected-mode decision.

import t from 'tap';
import { AclCommands } from '../../server/acl/commands';
import { channelsOf, checkCommand, denialMessage, userAllowsChannel } from '../../server/acl/check';
import { AclUser, hashPassword, mergeSelectorArgs } from '../../server/acl/user';
import { buildCommandEntries, type CommandEntry } from '../../server/dispatch';
import { isLoopback, refusedByProtectedMode } from '../../server/protected-mode';

const entries = buildCommandEntries();
const commands = new AclCommands(entries);

function user(...rules: string[]): AclUser {
  const u = new AclUser('u', commands, () => false);
  for (const rule of rules) {
    const error = u.apply(rule);
    if (error !== null) throw new Error(`${rule}: ${error}`);
  }
  return u;
}

function command(name: string): CommandEntry {
  const found = commands.lookup(name);
  if (found === undefined) throw new Error(`no command ${name}`);
  return found;
}

/** The check as dispatch runs it for a command line. */
function check(u: AclUser, ...line: string[]): string {
  const argv = line.map((a) => Buffer.from(a));
  let entry = command(line[0]!);
  if (entry.subcommands !== null) entry = entry.subcommands.get(line[1]!.toLowerCase())!;
  const denial = checkCommand(u, entry, argv, entry.fullName.includes('|'));
  return denial === null ? 'OK' : denialMessage(denial, u.name, entry.fullName, argv, true);
}

t.test('a new user is off, has no passwords, commands, keys or channels', async (t) => {
  const u = user();
  t.equal(u.describe(), 'off resetchannels -@all');
  t.equal(check(u, 'get', 'k'), "User u has no permissions to run the 'get' command");
});

t.test('command rules are described in the order given, later rules replacing earlier ones', async (t) => {
  t.equal(user('+get', '+@list', '-lpush', '+config|get', '+select|0').root.describeCommands(), '-@all +get +@list -lpush +config|get +select|0');
  t.equal(user('+get', '-get').root.describeCommands(), '-@all -get');
  t.equal(user('+config|get', '+config|set', '-config').root.describeCommands(), '-@all -config', 'a whole-command rule drops its subcommand rules');
  t.equal(user('+@read', '+GET', '-@Read').root.describeCommands(), '-@all +get -@read', 'lower-cased');
  t.equal(user('+get', '+@all', '-flushall').root.describeCommands(), '+@all -flushall', '+@all starts over');
  t.equal(user('allcommands', 'nocommands', '+get').root.describeCommands(), '-@all +get');
});

t.test('categories come from the command table: every command of a category is covered', async (t) => {
  for (const category of ['read', 'write', 'keyspace', 'string', 'list', 'connection', 'admin', 'dangerous', 'fast', 'slow']) {
    const u = user(`+@${category}`, '~*');
    for (const entry of commands.all) {
      const parent = commands.parent(entry);
      const expected = entry.spec.acl.includes(category as never) || (parent?.spec.acl.includes(category as never) ?? false);
      if (entry.noAuth) continue;
      t.equal(u.root.allowed.has(entry.fullName), expected, `@${category} ${entry.fullName}`);
    }
  }
});

t.test('rule errors are Redis errno values', async (t) => {
  const u = user();
  t.equal(u.apply('+nosuch'), 'ENOENT');
  t.equal(u.apply('-@nosuch'), 'ENOENT');
  t.equal(u.apply('+config|nosuch'), 'ENOENT');
  t.equal(u.apply('-select|0'), 'ENOENT');
  t.equal(u.apply('+config|get|x'), 'ECHILD');
  t.equal(u.apply('+select|'), 'EINVAL');
  t.equal(u.apply('bogus'), 'EINVAL');
  t.equal(u.apply('#nothex'), 'EBADMSG');
  t.equal(u.apply('<never-set'), 'ENODEV');
  t.equal(u.apply('%'), 'EINVAL');
  t.equal(u.apply('%RX~a'), 'EINVAL');
  t.equal(u.apply('~a b'), 'EINVAL');
  t.equal(user('allkeys').apply('~x'), 'EEXIST');
  t.equal(user('allchannels').apply('&x'), 'EISDIR');
});

t.test('passwords are stored as SHA-256 and checked against every hash', async (t) => {
  const u = user('on', '>one', '>two', '>one');
  t.same(u.passwords, [hashPassword('one'), hashPassword('two')], 'no duplicates');
  t.equal(hashPassword('one'), '7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed');
  t.ok(u.acceptsPassword('two'));
  t.notOk(u.acceptsPassword('three'));
  u.apply('<one');
  t.notOk(u.acceptsPassword('one'));
  u.apply('off');
  t.notOk(u.acceptsPassword('two'), 'a disabled user cannot log in');
  t.ok(user('on', 'nopass').acceptsPassword('anything'));
  t.notOk(user('on', 'nopass', 'resetpass').acceptsPassword('anything'));
  t.equal(user('on', '>x', 'nopass').passwords.length, 0, 'nopass drops the passwords');
});

t.test('key permissions follow the key specs: ACCESS reads, INSERT/DELETE/UPDATE write', async (t) => {
  const u = user('+@all', '%R~src*', '%W~dst*', '~both*');
  t.equal(check(u, 'get', 'src1'), 'OK');
  t.equal(check(u, 'get', 'dst1'), "User u has no permissions to access the 'dst1' key");
  t.equal(check(u, 'set', 'dst1', 'v'), 'OK', 'SET without GET only writes');
  t.equal(check(u, 'set', 'dst1', 'v', 'GET'), "User u has no permissions to access the 'dst1' key", 'SET ... GET also reads');
  t.equal(check(u, 'set', 'src1', 'v'), "User u has no permissions to access the 'src1' key");
  t.equal(check(u, 'exists', 'dst1'), 'OK', 'EXISTS reads no value: any pattern will do');
  // Multi-key commands: each key with its own access.
  t.equal(check(u, 'lmove', 'src1', 'dst1', 'LEFT', 'RIGHT'), "User u has no permissions to access the 'src1' key", 'LMOVE removes from its source: a write');
  t.equal(check(u, 'lmove', 'both1', 'dst1', 'LEFT', 'RIGHT'), 'OK');
  t.equal(check(u, 'lmove', 'both1', 'src1', 'LEFT', 'RIGHT'), "User u has no permissions to access the 'src1' key");
  t.equal(check(u, 'copy', 'src1', 'dst1'), 'OK', 'COPY reads its source and writes its destination');
  t.equal(check(u, 'copy', 'dst1', 'src1'), "User u has no permissions to access the 'dst1' key");
  t.equal(check(u, 'mset', 'dst1', 'a', 'both1', 'b'), 'OK');
  t.equal(check(u, 'mset', 'dst1', 'a', 'src1', 'b'), "User u has no permissions to access the 'src1' key");
  t.equal(check(u, 'mget', 'src1', 'both1', 'dst1'), "User u has no permissions to access the 'dst1' key");
  t.equal(check(u, 'rename', 'both1', 'dst2'), 'OK');
  t.equal(check(u, 'rename', 'src1', 'dst2'), "User u has no permissions to access the 'src1' key");
  t.equal(check(u, 'del', 'dst1', 'both2'), 'OK');
  t.equal(check(user('+@all', 'allkeys'), 'del', 'anything'), 'OK');
});

t.test('selectors: a command runs when one selector allows all of it', async (t) => {
  const u = user('+get', '~a*', '(+set ~b*)', '(+@all %R~c*)');
  t.equal(check(u, 'get', 'a1'), 'OK');
  t.equal(check(u, 'set', 'b1', 'v'), 'OK');
  t.equal(check(u, 'get', 'c1'), 'OK', 'the third selector reads c*');
  t.equal(check(u, 'set', 'a1', 'v'), "User u has no permissions to access the 'a1' key", 'the last key no selector allows is reported');
  t.equal(u.describe(), 'off ~a* resetchannels -@all +get (~b* resetchannels -@all +set) (%R~c* resetchannels +@all)');
  u.apply('clearselectors');
  t.equal(u.selectors.length, 1);
  t.same(mergeSelectorArgs(['on', '(+get', '~a)', '+set']), { merged: ['on', '(+get ~a)', '+set'] });
  t.same(mergeSelectorArgs(['(+get', '~a']), { unclosedAt: 0 });
});

t.test('first-args: +select|0 allows SELECT 0 only', async (t) => {
  const u = user('+select|0', '+select|2');
  t.equal(check(u, 'select', '0'), 'OK');
  t.equal(check(u, 'select', '2'), 'OK');
  t.equal(check(u, 'select', '1'), "User u has no permissions to run the 'select' command");
  u.apply('-select');
  t.equal(check(u, 'select', '0'), "User u has no permissions to run the 'select' command", '-select drops them');
});

t.test('channels: names match patterns, PSUBSCRIBE patterns only identical ones', async (t) => {
  const u = user('+@all', 'allkeys', '&news.*', '&exact');
  t.ok(userAllowsChannel(u, 'news.sport', false));
  t.notOk(userAllowsChannel(u, 'other', false));
  t.ok(userAllowsChannel(u, 'news.*', true));
  t.notOk(userAllowsChannel(u, 'news.s*', true), 'a narrower pattern is not the same pattern');
  t.ok(userAllowsChannel(user('allchannels'), 'anything', true));
  t.same(channelsOf('publish', ['publish', 'c', 'm'].map((a) => Buffer.from(a))), [{ pos: 1, isPattern: false }]);
  t.same(channelsOf('psubscribe', ['psubscribe', 'a*', 'b*'].map((a) => Buffer.from(a))), [
    { pos: 1, isPattern: true },
    { pos: 2, isPattern: true },
  ]);
  t.same(channelsOf('unsubscribe', ['unsubscribe', 'a'].map((a) => Buffer.from(a))), [], 'leaving a channel needs no permission');
  t.equal(new AclUser('n', commands, () => true).describe(), 'off &* -@all', 'acl-pubsub-default allchannels');
});

t.test('reset returns a user to its just-created state', async (t) => {
  const u = user('on', '>p', '~k', '&c', '+@all', '(+get)');
  u.apply('reset');
  t.equal(u.describe(), 'off sanitize-payload resetchannels -@all');
});

t.test('protected mode refuses only non-loopback peers, with no password, when on', async (t) => {
  for (const local of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) t.ok(isLoopback(local), local);
  for (const remote of ['10.0.0.5', '192.168.1.2', '::ffff:10.0.0.5', 'fe80::1', undefined]) t.notOk(isLoopback(remote), String(remote));
  t.ok(refusedByProtectedMode(true, true, '10.0.0.5'));
  t.notOk(refusedByProtectedMode(true, true, '127.0.0.1'));
  t.notOk(refusedByProtectedMode(true, false, '10.0.0.5'), 'a password lets remote clients in');
  t.notOk(refusedByProtectedMode(false, true, '10.0.0.5'), 'protected-mode no');
});
