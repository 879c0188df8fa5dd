// ACL on a running Sluice: users from the config file and from an ACL file (ACL LOAD / SAVE with
// Redis's format and errors), requirepass as the default user's password, connections closed when
// their user is deleted, CLIENT LIST user=, CLIENT KILL USER, acllog-max-len, acl-pubsub-default,
// INFO's acl counters, start-up refusals, and protected mode on a loopback bind.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { decodeReply, items, text } from '../command/resp-value';
import { hashPassword } from '../../server/acl/user';
import { RawClient } from '../support/resp';
import { SERVER_MAIN, startSluice, tempDir } from '../support/servers';

const str = (b: Buffer) => b.toString('latin1');

t.test('users from the config file; a "user default" line replaces requirepass', async (t) => {
  const dir = tempDir();
  const conf = join(dir, 'sluice.conf');
  writeFileSync(
    conf,
    [
      'requirepass ignored',
      'user default on >defpw ~* &* +@all',
      'user worker on >w1 ~jobs:* (+get ~cache:*) +@list',
      'user "disabled" off >x +@all',
    ].join('\n') + '\n',
  );
  const server = await startSluice([], { configFile: conf, dir });
  t.teardown(() => server.stop());
  const c = await RawClient.connect(server.port);
  t.teardown(() => c.close());
  t.equal(str(await c.call('PING')), '-NOAUTH Authentication required.\r\n');
  t.equal(str(await c.call('AUTH', 'ignored')), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
  t.equal(str(await c.call('AUTH', 'defpw')), '+OK\r\n');
  const list = items(decodeReply(await c.call('ACL', 'LIST'))).map(text);
  t.equal(list.length, 3);
  // As in Redis, the default user's line starts with a reset (hence sanitize-payload).
  t.match(list[0], /^user default on sanitize-payload #[0-9a-f]{64} ~\* &\* \+@all$/);
  t.ok(list[0]!.includes(hashPassword('defpw')), 'the default user has the password of its user line only');
  t.match(list[1], /^user disabled off #[0-9a-f]{64} resetchannels \+@all$/);
  t.match(list[2], /^user worker on #[0-9a-f]{64} ~jobs:\* resetchannels -@all \+@list \(~cache:\* resetchannels -@all \+get\)$/);
  t.equal(str(await c.call('AUTH', 'disabled', 'x')), '-WRONGPASS invalid username-password pair or user is disabled.\r\n');
  t.equal(str(await c.call('AUTH', 'worker', 'w1')), '+OK\r\n');
  t.equal(str(await c.call('LPUSH', 'jobs:1', 'a')), ':1\r\n');
  t.equal(str(await c.call('GET', 'cache:1')), '$-1\r\n');
  t.equal(str(await c.call('DEL', 'jobs:1')), "-NOPERM User worker has no permissions to run the 'del' command\r\n");
  // The root selector lacks GET, the other one the key: the key denial ranks higher.
  t.equal(str(await c.call('GET', 'jobs:1')), '-NOPERM No permissions to access a key\r\n');
  t.match(str(await c.call('CLIENT', 'INFO')), /NOPERM/);
});

t.test('a bad user line stops the server with the line and the reason', async (t) => {
  const dir = tempDir();
  const run = (lines: string[]) => {
    const conf = join(dir, 'bad.conf');
    writeFileSync(conf, lines.join('\n') + '\n');
    const result = spawnSync(process.execPath, [SERVER_MAIN, conf, '--port', '0', '--dir', dir], { encoding: 'utf8', timeout: 20000 });
    return { status: result.status, stderr: result.stderr };
  };
  let r = run(['user alice on +nosuchcommand']);
  t.equal(r.status, 1);
  t.match(r.stderr, /Reading the configuration file, at line 1\n>>> 'user alice on \+nosuchcommand'\nError in user declaration '\+nosuchcommand': Unknown command or category name in ACL/);
  r = run(['user alice on', 'user alice off']);
  t.match(r.stderr, /at line 2[\s\S]*Duplicate user found\. A user can only be defined once in config files/);
  r = run(['user alice on (+get']);
  t.match(r.stderr, /Unmatched parenthesis in acl selector starting at '\(\+get'\./);
  r = run(['aclfile /nonexistent/users.acl']);
  t.equal(r.status, 1);
  t.match(r.stderr, /Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '\/nonexistent\/users\.acl': No such file or directory/);
  writeFileSync(join(dir, 'users.acl'), '');
  r = run([`aclfile ${join(dir, 'users.acl')}`, 'user alice on']);
  t.match(r.stderr, /Configuring Redis with users defined in redis\.conf and at the same setting an ACL file path is invalid/);
});

t.test('ACL SAVE writes the users in the ACL file format; ACL LOAD reads them back, or nothing', async (t) => {
  const dir = tempDir();
  const aclfile = join(dir, 'users.acl');
  writeFileSync(aclfile, 'user default on nopass ~* &* +@all\n\n  user reader on >r %R~* +@read  \n');
  const server = await startSluice(['--aclfile', aclfile], { dir });
  t.teardown(() => server.stop());
  const c = await RawClient.connect(server.port);
  t.teardown(() => c.close());
  t.same(items(decodeReply(await c.call('ACL', 'USERS'))).map(text), ['default', 'reader']);
  t.equal(str(await c.call('ACL', 'SETUSER', 'writer', 'on', '>w', '~out:*', '-@all', '+set', '(+get %R~in:*)')), '+OK\r\n');
  t.equal(str(await c.call('ACL', 'SAVE')), '+OK\r\n');
  const saved = readFileSync(aclfile, 'latin1');
  t.equal(saved, items(decodeReply(await c.call('ACL', 'LIST'))).map((l) => `${text(l)}\n`).join(''), 'the file is ACL LIST, one user a line');
  t.match(saved, /^user writer on #[0-9a-f]{64} ~out:\* resetchannels -@all \+set \(%R~in:\* resetchannels -@all \+get\)$/m);

  // A connection of a user that the reload drops is closed.
  const reader = await RawClient.connect(server.port);
  t.equal(str(await reader.call('AUTH', 'reader', 'r')), '+OK\r\n');
  writeFileSync(aclfile, 'user default on nopass ~* &* +@all\nuser other on nopass +@all\n');
  t.equal(str(await c.call('ACL', 'LOAD')), '+OK\r\n');
  t.same(items(decodeReply(await c.call('ACL', 'USERS'))).map(text), ['default', 'other']);
  t.equal((await reader.readUntilClose(2000)).closed, true, "the reloaded-away user's connection is closed");

  // Errors: every problem, on one line, and the users stay as they were.
  writeFileSync(aclfile, 'user a on +nosuch\nnotuser b\nuser c on bogus ~x\nuser a on\nuser d on (+get\n');
  const error = str(await c.call('ACL', 'LOAD'));
  t.equal(
    error,
    `-ERR ${aclfile}:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. ` +
      `${aclfile}:2 should start with user keyword followed by the username. ` +
      `${aclfile}:3: Syntax error. ` +
      `WARNING: Duplicate user 'a' found on line 4. ` +
      `${aclfile}:5: Unmatched parenthesis in selector definition.` +
      'WARNING: ACL errors detected, no change to the previously active ACL rules was performed\r\n',
  );
  t.same(items(decodeReply(await c.call('ACL', 'USERS'))).map(text), ['default', 'other']);
});

t.test('without an aclfile, ACL SAVE and LOAD say so', async (t) => {
  const server = await startSluice();
  t.teardown(() => server.stop());
  const c = await RawClient.connect(server.port);
  t.teardown(() => c.close());
  const expected =
    '-ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.\r\n';
  t.equal(str(await c.call('ACL', 'SAVE')), expected);
  t.equal(str(await c.call('ACL', 'LOAD')), expected);
});

t.test('requirepass, DELUSER, CLIENT LIST user=, CLIENT KILL USER, log length, pub/sub default', async (t) => {
  const server = await startSluice(['--acllog-max-len', '3']);
  t.teardown(() => server.stop());
  const admin = await RawClient.connect(server.port);
  t.teardown(() => admin.close());

  // requirepass is the default user's password.
  t.equal(str(await admin.call('CONFIG', 'SET', 'requirepass', 'pw')), '+OK\r\n');
  t.match(str(await admin.call('ACL', 'GETUSER', 'default')), /\$64\r\n[0-9a-f]{64}\r\n/);
  const fresh = await RawClient.connect(server.port);
  t.equal(str(await fresh.call('PING')), '-NOAUTH Authentication required.\r\n');
  t.equal(str(await fresh.call('AUTH', 'default', 'pw')), '+OK\r\n');
  fresh.close();
  t.equal(str(await admin.call('CONFIG', 'SET', 'requirepass', '')), '+OK\r\n');
  t.match(str(await admin.call('ACL', 'LIST')), /user default on nopass ~\* &\* \+@all/);

  await admin.call('ACL', 'SETUSER', 'temp', 'on', '>t', '+@all', '~*');
  const a = await RawClient.connect(server.port);
  const b = await RawClient.connect(server.port);
  await a.call('AUTH', 'temp', 't');
  await b.call('HELLO', '3', 'AUTH', 'temp', 't');
  t.match(str(await admin.call('CLIENT', 'LIST')), / user=temp /);
  t.match(str(await a.call('CLIENT', 'INFO')), / user=temp /);
  t.equal(str(await admin.call('CLIENT', 'KILL', 'USER', 'nobody')), "-ERR No such user 'nobody'\r\n");
  t.equal(str(await admin.call('CLIENT', 'KILL', 'USER', 'temp', 'SKIPME', 'yes')), ':2\r\n');
  t.equal((await a.readUntilClose(2000)).closed, true);
  t.equal((await b.readUntilClose(2000)).closed, true);

  const c = await RawClient.connect(server.port);
  await c.call('AUTH', 'temp', 't');
  t.equal(str(await admin.call('ACL', 'DELUSER', 'temp')), ':1\r\n');
  t.equal((await c.readUntilClose(2000)).closed, true, "a deleted user's connections are closed");
  const self = await RawClient.connect(server.port);
  await admin.call('ACL', 'SETUSER', 'self', 'on', 'nopass', '+@all');
  await self.call('AUTH', 'self', 'x');
  const last = await self.readUntilClose(500).catch(() => ({ bytes: Buffer.alloc(0), closed: false }));
  t.equal(last.closed, false);
  self.write('*3\r\n$3\r\nACL\r\n$7\r\nDELUSER\r\n$4\r\nself\r\n');
  const own = await self.readUntilClose(2000);
  t.equal(str(own.bytes), ':1\r\n', 'deleting its own user: the reply, then the close');
  t.equal(own.closed, true);

  // acllog-max-len bounds ACL LOG.
  await admin.call('ACL', 'LOG', 'RESET');
  const u = await RawClient.connect(server.port);
  for (const name of ['a', 'b', 'c', 'd', 'e']) await u.call('AUTH', name, 'x');
  t.equal(items(decodeReply(await admin.call('ACL', 'LOG'))).length, 3);
  t.equal(str(await admin.call('CONFIG', 'SET', 'acllog-max-len', '1')), '+OK\r\n');
  t.equal(items(decodeReply(await admin.call('ACL', 'LOG'))).length, 1);
  t.match(str(await admin.call('INFO', 'stats')), /acl_access_denied_auth:5\r\n/);
  u.close();

  // acl-pubsub-default decides the channels of users created afterwards.
  t.equal(str(await admin.call('CONFIG', 'SET', 'acl-pubsub-default', 'allchannels')), '+OK\r\n');
  await admin.call('ACL', 'SETUSER', 'pub', 'on');
  t.match(str(await admin.call('ACL', 'LIST')), /user pub on &\* -@all/);
  t.equal(str(await admin.call('CONFIG', 'GET', 'acl-pubsub-default')), '*2\r\n$18\r\nacl-pubsub-default\r\n$11\r\nallchannels\r\n');
});

t.test('protected mode: with no password, a loopback bind still serves loopback clients', async (t) => {
  const server = await startSluice(['--bind', '127.0.0.1', '--protected-mode', 'yes']);
  t.teardown(() => server.stop());
  const c = await RawClient.connect(server.port);
  t.teardown(() => c.close());
  t.equal(str(await c.call('PING')), '+PONG\r\n');
  t.match(str(await c.call('CONFIG', 'GET', 'protected-mode')), /yes/);
});
