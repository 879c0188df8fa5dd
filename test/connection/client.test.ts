// CLIENT against real Redis: every deterministic reply and error byte for byte (RESP2 and RESP3),
// CLIENT REPLY's dropped replies on a pipeline, CLIENT LIST/INFO field by field, CLIENT KILL in
// its forms, and the Redis 7.2 additions (SETINFO, NO-TOUCH, the HELP text) on Sluice alone.

import t from 'tap';
import { DiffPair, redisSkip, typeOnly, type Step } from '../support/differential';
import { RawClient, encodeCommand } from '../support/resp';

/** Redis 7.2's CLIENT LIST / CLIENT INFO field names, in order. */
const FIELDS_72 = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf',
  'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user',
  'redir', 'resp', 'lib-name', 'lib-ver',
];

/** A CLIENT LIST line as ordered name/value pairs. */
function fields(line: string): Array<[string, string]> {
  return line.split(' ').map((part) => {
    const eq = part.indexOf('=');
    return [part.slice(0, eq), part.slice(eq + 1)];
  });
}

/** The text of a bulk or verbatim reply. */
function text(reply: Buffer): string {
  const s = reply.toString('latin1');
  const body = s.slice(s.indexOf('\r\n') + 2, -2);
  return s.startsWith('=') ? body.slice(4) : body;
}

/** Send commands in one write, then read replies until the marker's: what came back, in order. */
async function pipeline(port: number, commands: string[][], resp3 = false): Promise<string> {
  const client = await RawClient.connect(port);
  if (resp3) await client.call('HELLO', '3');
  const marker = ['ECHO', '--end--'];
  client.write(Buffer.concat([...commands, marker].map((c) => encodeCommand(c))));
  let seen = '';
  for (;;) {
    const reply = (await client.readReply(3000)).toString('latin1');
    if (reply === '$7\r\n--end--\r\n') break;
    seen += reply;
  }
  client.close();
  return seen;
}

t.test('CLIENT matches Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());

  const script: Step[] = [
    ['CLIENT'],
    ['CLIENT', 'NOSUCH'],
    ['client', 'nosuch', 'x'],
    { cmd: ['CLIENT', 'ID'], mask: typeOnly },
    ['CLIENT', 'ID', 'x'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'GETNAME', 'x'],
    ['CLIENT', 'SETNAME'],
    ['CLIENT', 'SETNAME', 'a', 'b'],
    ['CLIENT', 'SETNAME', 'a b'],
    ['CLIENT', 'SETNAME', 'a\nb'],
    ['CLIENT', 'SETNAME', 'tab\there'],
    ['CLIENT', 'SETNAME', Buffer.from([0x61, 0x80])],
    ['CLIENT', 'SETNAME', Buffer.from([0x7f])],
    ['CLIENT', 'SETNAME', 'ok-name_1!~'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', Buffer.from('a\0b', 'latin1')],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', ''],
    ['CLIENT', 'GETNAME'],

    ['CLIENT', 'LIST', 'TYPE'],
    ['CLIENT', 'LIST', 'TYPE', 'foo'],
    ['CLIENT', 'LIST', 'TYPE', 'pubsub'],
    ['CLIENT', 'LIST', 'TYPE', 'master'],
    ['CLIENT', 'LIST', 'TYPE', 'replica'],
    ['CLIENT', 'LIST', 'type', 'SLAVE'],
    ['CLIENT', 'LIST', 'ID'],
    ['CLIENT', 'LIST', 'ID', 'x'],
    ['CLIENT', 'LIST', 'ID', '1.5'],
    ['CLIENT', 'LIST', 'ID', '0'],
    ['CLIENT', 'LIST', 'ID', '99999', '100000'],
    ['CLIENT', 'LIST', 'FOO'],
    ['CLIENT', 'LIST', 'TYPE', 'normal', 'ID', '1'],

    ['CLIENT', 'KILL'],
    ['CLIENT', 'KILL', '1.2.3.4:5'],
    ['CLIENT', 'KILL', 'ID'],
    ['CLIENT', 'KILL', 'ID', 'x'],
    ['CLIENT', 'KILL', 'ID', '0'],
    ['CLIENT', 'KILL', 'ID', '-5'],
    ['CLIENT', 'KILL', 'ID', '99999'],
    ['CLIENT', 'KILL', 'ADDR', '1.2.3.4:5'],
    ['CLIENT', 'KILL', 'LADDR', '1.1.1.1:1'],
    ['CLIENT', 'KILL', 'TYPE', 'foo'],
    ['CLIENT', 'KILL', 'TYPE', 'pubsub'],
    ['CLIENT', 'KILL', 'TYPE', 'master'],
    ['CLIENT', 'KILL', 'USER', 'nobody'],
    ['CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'maybe'],
    ['CLIENT', 'KILL', 'SKIPME', 'yes'],
    ['CLIENT', 'KILL', 'FOO', 'bar'],
    ['CLIENT', 'KILL', 'ID', '1', 'TYPE'],
    ['CLIENT', 'KILL', 'ID', 'x', 'TYPE'],
    ['CLIENT', 'KILL', 'TYPE', 'normal', 'ID', 'x'],

    ['CLIENT', 'REPLY'],
    ['CLIENT', 'REPLY', 'maybe'],
    ['CLIENT', 'REPLY', 'ON'],
    ['CLIENT', 'NO-EVICT'],
    ['CLIENT', 'NO-EVICT', 'maybe'],
    ['CLIENT', 'NO-EVICT', 'on'],
    ['CLIENT', 'NO-EVICT', 'OFF'],
    ['CLIENT', 'CACHING', 'yes'],
    ['CLIENT', 'CACHING', 'maybe'],
    ['CLIENT', 'CACHING'],
    ['CLIENT', 'GETREDIR'],
    ['CLIENT', 'TRACKINGINFO'],
    ['CLIENT', 'UNPAUSE'],
    ['CLIENT', 'UNPAUSE', 'x'],
    ['CLIENT', 'INFO', 'x'],
    ['CLIENT', 'HELP', 'x'],
  ];
  await pair.check(t, script);
  await pair.check(t, script, { resp: 3 });

  // CLIENT REPLY: OFF and SKIP drop replies (SKIP's own and the next one's); ON answers +OK.
  const replyScripts = [
    [['CLIENT', 'REPLY', 'OFF'], ['PING', 'a'], ['NOSUCH'], ['CLIENT', 'REPLY', 'ON'], ['PING', 'b']],
    [['CLIENT', 'REPLY', 'SKIP'], ['PING', 'a'], ['PING', 'b']],
    [['CLIENT', 'REPLY', 'SKIP'], ['CLIENT', 'REPLY', 'SKIP'], ['PING', 'a'], ['PING', 'b']],
    [['CLIENT', 'REPLY', 'SKIP'], ['CLIENT', 'REPLY', 'ON'], ['PING', 'a']],
    [['CLIENT', 'REPLY', 'OFF'], ['CLIENT', 'REPLY', 'SKIP'], ['PING', 'a'], ['CLIENT', 'REPLY', 'ON'], ['PING', 'b']],
    [['CLIENT', 'REPLY', 'SKIP'], ['CLIENT', 'REPLY', 'OFF'], ['PING', 'a'], ['CLIENT', 'REPLY', 'on'], ['PING', 'b']],
  ];
  for (const commands of replyScripts) {
    for (const resp3 of [false, true]) {
      const [expected, actual] = await Promise.all([pipeline(pair.redis.port, commands, resp3), pipeline(pair.sluice.port, commands, resp3)]);
      t.equal(actual, expected, `RESP${resp3 ? 3 : 2} ${commands.map((c) => c.join(' ')).join(' | ')}`);
    }
  }

  // CLIENT INFO and LIST: Redis 7.2's fields, in order, with this connection's values.
  for (const port of [pair.redis.port, pair.sluice.port]) {
    const isSluice = port === pair.sluice.port;
    const client = await RawClient.connect(port);
    const id = Number(/^:(\d+)/.exec((await client.call('CLIENT', 'ID')).toString())![1]);
    await client.call('SELECT', '5');
    await client.call('CLIENT', 'SETNAME', 'watcher');
    const info = text(await client.call('CLIENT', 'INFO'));
    t.ok(info.endsWith('\n') && !info.slice(0, -1).includes('\n'), 'CLIENT INFO is one line');
    const got = fields(info.slice(0, -1));
    const names = got.map(([n]) => n);
    // Redis 7.0 lacks lib-name/lib-ver, added in 7.2; Sluice must have them.
    t.same(names, isSluice ? FIELDS_72 : FIELDS_72.slice(0, -2), `field names (${isSluice ? 'sluice' : 'redis'})`);
    const f = new Map(got);
    t.equal(f.get('id'), String(id));
    t.match(f.get('addr'), /^127\.0\.0\.1:\d+$/);
    t.equal(f.get('laddr'), `127.0.0.1:${port}`);
    t.match(f.get('fd'), /^\d+$/);
    t.equal(f.get('name'), 'watcher');
    t.equal(f.get('flags'), 'N');
    t.equal(f.get('db'), '5');
    t.equal(f.get('multi'), '-1');
    t.equal(f.get('cmd'), 'client|info');
    t.equal(f.get('user'), 'default');
    t.equal(f.get('resp'), '2');
    for (const n of ['age', 'idle', 'sub', 'psub', 'ssub', 'qbuf', 'argv-mem', 'obl', 'oll', 'omem', 'tot-mem']) t.match(f.get(n), /^\d+$/, n);

    // A monitor shows flag O in another connection's CLIENT LIST; ID filters list in order asked.
    const monitor = await RawClient.connect(port);
    await monitor.call('MONITOR');
    const monitorId = Number(/ id=(\d+) /.exec(' ' + text(await client.call('CLIENT', 'LIST', 'TYPE', 'normal')))![1]);
    const listed = text(await client.call('CLIENT', 'LIST', 'ID', String(id + 1), String(id), '424242')).trim().split('\n');
    t.equal(listed.length, 2, 'two known ids listed');
    t.match(listed[0], new RegExp(`^id=${id + 1} .* flags=O `), 'the monitor first, flagged O');
    t.match(listed[1], new RegExp(`^id=${id} .* cmd=client\\|list `), 'then this connection');
    t.ok(monitorId > 0);
    const all = text(await client.call('CLIENT', 'LIST')).trim().split('\n');
    t.equal(all.length, 2, 'CLIENT LIST: both connections');

    // RESP3: verbatim text.
    await client.call('HELLO', '3');
    t.match((await client.call('CLIENT', 'INFO')).toString(), /^=\d+\r\ntxt:id=\d+ .* resp=3( |\n)/);

    // CLIENT KILL by ID closes the other connection; the old form takes an address.
    t.equal((await client.call('CLIENT', 'KILL', 'ID', String(id + 1))).toString(), ':1\r\n', 'kill by id');
    t.ok((await monitor.readUntilClose(2000)).closed, 'killed connection closed');
    const victim = await RawClient.connect(port);
    await victim.call('CLIENT', 'SETNAME', 'victim');
    const victimLine = text(await client.call('CLIENT', 'LIST')).split('\n').find((l) => l.includes('name=victim'))!;
    const victimAddr = new Map(fields(victimLine)).get('addr')!;
    t.equal((await client.call('CLIENT', 'KILL', victimAddr)).toString(), '+OK\r\n', 'kill by address (old form)');
    t.ok((await victim.readUntilClose(2000)).closed);
    t.equal((await client.call('CLIENT', 'KILL', victimAddr)).toString(), '-ERR No such client\r\n');
    // SKIPME: the filter form spares the sender unless told otherwise.
    t.equal((await client.call('CLIENT', 'KILL', 'ID', String(id))).toString(), ':0\r\n');
    t.equal((await client.call('CLIENT', 'KILL', 'USER', 'default')).toString(), ':0\r\n');
    t.equal((await client.call('CLIENT', 'KILL', 'ID', String(id), 'SKIPME', 'no')).toString(), ':1\r\n', 'reply before closing');
    t.ok((await client.readUntilClose(2000)).closed, 'then the sender is closed');
    client.close();
  }
});

t.test('Redis 7.2 CLIENT additions on Sluice', { skip: redisSkip }, async (t) => {
  // These need no Redis; the test shares the skip so the file stays one server pair's worth.
  const { startSluice } = await import('../support/servers');
  const server = await startSluice();
  t.teardown(() => server.stop());
  const client = await RawClient.connect(server.port);
  const call = async (...args: Array<string | Buffer>) => (await client.call(...args)).toString('latin1');

  t.equal(await call('CLIENT', 'SETINFO', 'LIB-NAME', 'mylib'), '+OK\r\n');
  t.equal(await call('CLIENT', 'SETINFO', 'lib-ver', '1.2.3'), '+OK\r\n');
  t.match(await call('CLIENT', 'INFO'), / lib-name=mylib lib-ver=1\.2\.3\n\r\n$/);
  t.equal(await call('CLIENT', 'SETINFO', 'lib-name', 'a b'), '-ERR lib-name cannot contain spaces, newlines or special characters.\r\n');
  t.equal(await call('CLIENT', 'SETINFO', 'LIB-VER', 'x\ny'), '-ERR LIB-VER cannot contain spaces, newlines or special characters.\r\n');
  t.equal(await call('CLIENT', 'SETINFO', 'lib-foo', 'x'), "-ERR Unrecognized option 'lib-foo'\r\n");
  t.equal(await call('CLIENT', 'SETINFO', 'lib-name'), "-ERR wrong number of arguments for 'client|setinfo' command\r\n");
  t.equal(await call('CLIENT', 'SETINFO', 'lib-name', ''), '+OK\r\n');
  t.match(await call('CLIENT', 'INFO'), / lib-name= lib-ver=1\.2\.3\n\r\n$/);
  // RESET leaves the library attributes alone.
  await call('RESET');
  t.match(await call('CLIENT', 'INFO'), / lib-ver=1\.2\.3\n\r\n$/);

  t.equal(await call('CLIENT', 'NO-TOUCH', 'on'), '+OK\r\n');
  t.match(await call('CLIENT', 'INFO'), / flags=T /);
  t.equal(await call('CLIENT', 'NO-EVICT', 'on'), '+OK\r\n');
  t.match(await call('CLIENT', 'INFO'), / flags=eT /);
  t.equal(await call('CLIENT', 'NO-TOUCH', 'maybe'), '-ERR syntax error\r\n');
  t.equal(await call('CLIENT', 'NO-TOUCH'), "-ERR wrong number of arguments for 'client|no-touch' command\r\n");
  await call('RESET');
  t.match(await call('CLIENT', 'INFO'), / flags=N /, 'RESET clears NO-TOUCH and NO-EVICT');

  // MAXAGE (a Redis 7.4 filter): only connections older than the age are killed.
  t.equal(await call('CLIENT', 'KILL', 'MAXAGE', '100', 'SKIPME', 'no'), ':0\r\n');
  t.equal(await call('CLIENT', 'KILL', 'MAXAGE', 'x'), '-ERR maxage is not an integer or out of range\r\n');
  t.equal(await call('CLIENT', 'KILL', 'MAXAGE', '0'), '-ERR maxage should be greater than 0\r\n');

  const help = await call('CLIENT', 'HELP');
  const lines = help.split('\r\n').slice(1, -1);
  t.equal(help.split('\r\n')[0], `*${lines.length}`);
  t.equal(lines[0], '+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
  t.ok(lines.includes('+SETINFO <option> <value>') && lines.includes('+NO-TOUCH (ON|OFF)'), '7.2 subcommands listed');
  t.same(lines.slice(-2), ['+HELP', '+    Print this help.']);
  t.equal(lines.length, 54);
  client.close();
});
