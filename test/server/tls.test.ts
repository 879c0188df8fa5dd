// TLS on tls-port: certificates made here with openssl (a CA, a server certificate for 127.0.0.1, a
// client certificate, and a client certificate from an unknown CA), then plain tls sockets,
// redis-cli --tls and ioredis over TLS; tls-auth-clients yes/optional/no; CONFIG SET of TLS files
// refused when they would not work; start-up refused on a bad set-up; port and tls-port changed
// at run time.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { connect as netConnect } from 'node:net';
import t from 'tap';
import Redis from 'ioredis';
import { DiffPair, redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';
import { freePort, hasBinary, SERVER_MAIN, startSluice, tempDir } from '../support/servers';

const opensslSkip = spawnSync('openssl', ['version']).status === 0 ? false : 'openssl is not installed; TLS tests skipped';
const redisCliSkip = hasBinary('redis-cli') ? false : 'redis-cli is not installed (apt-get install -y redis-tools); skipped';

interface Pki {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly rogueCert: string;
  readonly rogueKey: string;
}

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

/** A CA, a server certificate for 127.0.0.1/localhost and two client certificates (one from another CA). */
function makePki(): Pki {
  const dir = tempDir('sluice-tls-');
  const days = ['-days', '2'];
  const newCa = (name: string) => {
    openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, ...days, '-subj', `/CN=${name}`);
  };
  const issue = (name: string, ca: string, ext: string) => {
    openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, ...days, '-extfile', `${name}.ext`);
  };
  newCa('ca');
  newCa('rogue-ca');
  issue('server', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  issue('rogue', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  const p = (name: string) => join(dir, name);
  return {
    dir,
    ca: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    rogueCert: p('rogue.crt'),
    rogueKey: p('rogue.key'),
  };
}

function tlsArgs(pki: Pki, tlsPort: number, extra: string[] = []): string[] {
  return ['--tls-port', String(tlsPort), '--tls-cert-file', pki.serverCert, '--tls-key-file', pki.serverKey, '--tls-ca-cert-file', pki.ca, ...extra];
}

/**
 * One command over TLS: the reply text, or 'refused: <reason>' when the handshake or connection
 * fails. Retries refused connections for a moment (the TLS listener opens just after the TCP one).
 */
async function tlsCall(port: number, pki: Pki, cert: 'client' | 'rogue' | 'none', command = 'PING'): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const result = await new Promise<string>((resolve) => {
      const socket: TLSSocket = tlsConnect({
        host: '127.0.0.1',
        port,
        ca: readFileSync(pki.ca),
        ...(cert === 'client' ? { cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) } : {}),
        ...(cert === 'rogue' ? { cert: readFileSync(pki.rogueCert), key: readFileSync(pki.rogueKey) } : {}),
      });
      let data = '';
      const timer = setTimeout(() => finish('refused: timeout'), 5000);
      const finish = (text: string) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      };
      socket.on('secureConnect', () => socket.write(`${command}\r\n`));
      socket.on('data', (d: Buffer) => {
        data += d.toString('latin1');
        if (data.endsWith('\r\n')) finish(data);
      });
      socket.on('error', (err: NodeJS.ErrnoException) => finish(`refused: ${err.code ?? err.message}`));
      socket.on('close', () => finish(data === '' ? 'refused: closed' : data));
    });
    if (result !== 'refused: ECONNREFUSED' || attempt >= 40) return result;
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test('TLS with client certificates required (tls-auth-clients yes)', { skip: opensslSkip }, async (t) => {
  const pki = makePki();
  const tlsPort = await freePort();
  const server = await startSluice(tlsArgs(pki, tlsPort));
  t.teardown(() => server.stop());

  t.equal(await tlsCall(tlsPort, pki, 'client'), '+PONG\r\n', 'a client with a certificate from the CA is served');
  t.match(await tlsCall(tlsPort, pki, 'none'), /^refused/, 'a client without a certificate is refused');
  t.match(await tlsCall(tlsPort, pki, 'rogue'), /^refused/, 'a certificate from another CA is refused');
  t.equal(await tlsCall(tlsPort, pki, 'client', 'SET k over-tls'), '+OK\r\n');

  const plain = await RawClient.connect(server.port);
  t.teardown(() => plain.close());
  t.equal((await plain.call('GET', 'k')).toString(), '$8\r\nover-tls\r\n', 'the plain port serves the same data');
  const info = (await plain.call('INFO', 'server')).toString();
  t.match(info, new RegExp(`listener0:name=tcp,bind=127\\.0\\.0\\.1,bind=-::1,port=${server.port}\r\n`));
  t.match(info, new RegExp(`listener1:name=tls,bind=127\\.0\\.0\\.1,bind=-::1,port=${tlsPort}\r\n`));
});

t.test('redis-cli --tls and ioredis over TLS', { skip: opensslSkip || redisCliSkip }, async (t) => {
  const pki = makePki();
  const tlsPort = await freePort();
  const server = await startSluice(tlsArgs(pki, tlsPort));
  t.teardown(() => server.stop());
  await tlsCall(tlsPort, pki, 'client'); // the TLS listener is up

  const cli = (...args: string[]) =>
    spawnSync('redis-cli', ['--tls', '--cacert', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey, '-h', '127.0.0.1', '-p', String(tlsPort), ...args], {
      encoding: 'latin1',
    });
  t.equal(cli('SET', 'greeting', 'hello').stdout, 'OK\n');
  t.equal(cli('GET', 'greeting').stdout, 'hello\n');
  t.equal(cli('RPUSH', 'q', 'a', 'b').stdout, '2\n');
  const refused = spawnSync('redis-cli', ['--tls', '--cacert', pki.ca, '-h', '127.0.0.1', '-p', String(tlsPort), 'PING'], { encoding: 'latin1' });
  t.notMatch(refused.stdout, /PONG/, 'redis-cli without a client certificate gets no PONG');

  const client = new Redis({
    host: '127.0.0.1',
    port: tlsPort,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    tls: { ca: readFileSync(pki.ca), cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) },
  });
  t.teardown(() => client.disconnect());
  await client.connect();
  t.equal(await client.get('greeting'), 'hello');
  t.same(await client.lrange('q', 0, -1), ['a', 'b']);
  t.equal(await client.hello(3).then(() => client.ping()), 'PONG', 'RESP3 over TLS');
});

t.test('tls-auth-clients optional and no, changed at run time; bad TLS files refused', { skip: opensslSkip }, async (t) => {
  const pki = makePki();
  const tlsPort = await freePort();
  const server = await startSluice(tlsArgs(pki, tlsPort, ['--tls-auth-clients', 'optional']));
  t.teardown(() => server.stop());
  t.equal(await tlsCall(tlsPort, pki, 'none'), '+PONG\r\n', 'optional: no certificate is fine');
  t.equal(await tlsCall(tlsPort, pki, 'client'), '+PONG\r\n', 'optional: a valid one is fine');
  t.match(await tlsCall(tlsPort, pki, 'rogue'), /^refused/, 'optional: an invalid one is refused');

  const admin = await RawClient.connect(server.port);
  t.teardown(() => admin.close());
  t.equal((await admin.call('CONFIG', 'SET', 'tls-auth-clients', 'yes')).toString(), '+OK\r\n');
  t.match(await tlsCall(tlsPort, pki, 'none'), /^refused/, 'yes (set at run time): no certificate is refused');
  t.equal((await admin.call('CONFIG', 'SET', 'tls-auth-clients', 'no')).toString(), '+OK\r\n');
  t.equal(await tlsCall(tlsPort, pki, 'none'), '+PONG\r\n', 'no: nobody is asked for a certificate');

  const refusal = "-ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.\r\n";
  t.equal((await admin.call('CONFIG', 'SET', 'tls-cert-file', join(pki.dir, 'missing.crt'))).toString(), refusal);
  t.equal(
    (await admin.call('CONFIG', 'SET', 'tls-key-file', pki.clientKey, 'tls-cert-file', pki.serverCert)).toString(),
    "-ERR CONFIG SET failed (possibly related to argument 'tls-key-file') - Unable to update TLS configuration. Check server logs.\r\n",
    'a key that does not match the certificate is refused',
  );
  t.equal((await admin.call('CONFIG', 'GET', 'tls-cert-file')).toString(), `*2\r\n$13\r\ntls-cert-file\r\n$${pki.serverCert.length}\r\n${pki.serverCert}\r\n`);
  t.equal(await tlsCall(tlsPort, pki, 'none'), '+PONG\r\n', 'the running context is untouched');
  // The log line comes through the child's stdout pipe, which may trail the replies.
  for (let i = 0; i < 100 && !/TLS configuration refused/.test(server.output()); i++) await new Promise((r) => setTimeout(r, 50));
  t.match(server.output(), /TLS configuration refused/);
});

t.test('start-up with a TLS set-up that cannot work exits with a clear error', { skip: opensslSkip }, async (t) => {
  const pki = makePki();
  const port = await freePort();
  const tlsPort = await freePort();
  const dir = tempDir();
  const run = spawnSync(
    process.execPath,
    [SERVER_MAIN, '--port', String(port), '--dir', dir, '--tls-port', String(tlsPort), '--tls-cert-file', pki.serverCert, '--tls-key-file', join(pki.dir, 'nope.key'), '--tls-ca-cert-file', pki.ca],
    { encoding: 'utf8', timeout: 20000 },
  );
  t.equal(run.status, 1);
  t.match(run.stderr, /Failed to configure TLS: cannot read tls-key-file .*nope\.key: ENOENT/);
});

t.test('port 0 and tls-port 0: nowhere to listen, the server refuses to start', async (t) => {
  const dir = tempDir();
  const run = spawnSync(process.execPath, [SERVER_MAIN, '--port', '0', '--dir', dir], { encoding: 'utf8', timeout: 20000 });
  t.equal(run.status, 1);
  t.match(run.stderr, /Configured to not listen anywhere/);
});

t.test('CONFIG SET port and tls-port move the listeners; connected clients stay', { skip: opensslSkip }, async (t) => {
  const pki = makePki();
  const tlsPort = await freePort();
  const server = await startSluice(tlsArgs(pki, tlsPort, ['--tls-auth-clients', 'no']));
  t.teardown(() => server.stop());
  const admin = await RawClient.connect(server.port);
  t.teardown(() => admin.close());

  const newPort = await freePort();
  t.equal((await admin.call('CONFIG', 'SET', 'port', String(newPort))).toString(), '+OK\r\n');
  const moved = await retryConnect(newPort);
  t.equal((await moved.call('PING')).toString(), '+PONG\r\n', 'the new port serves');
  moved.close();
  t.equal(await canConnect(server.port), false, 'the old port no longer accepts');
  t.equal((await admin.call('PING')).toString(), '+PONG\r\n', 'the client connected before stays');

  t.equal((await admin.call('CONFIG', 'SET', 'tls-port', '0')).toString(), '+OK\r\n');
  await waitUntil(async () => !(await canConnect(tlsPort)));
  t.equal(await canConnect(tlsPort), false, 'tls-port 0 closes the TLS listener');
  const tlsAgain = await freePort();
  t.equal((await admin.call('CONFIG', 'SET', 'tls-port', String(tlsAgain))).toString(), '+OK\r\n');
  t.equal(await tlsCall(tlsAgain, pki, 'none'), '+PONG\r\n', 'and a new tls-port opens it again');
});

t.test('TLS directives in CONFIG SET match Redis while tls-port is 0', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  await pair.check(t, [
    ['CONFIG', 'GET', 'tls-port'],
    ['CONFIG', 'GET', 'tls-auth-clients'],
    ['CONFIG', 'SET', 'tls-auth-clients', 'maybe'],
    ['CONFIG', 'SET', 'tls-auth-clients', 'optional'],
    ['CONFIG', 'GET', 'tls-auth-clients'],
    ['CONFIG', 'SET', 'tls-port', '70000'],
    ['CONFIG', 'SET', 'tls-cert-file', '/nonexistent/cert.pem'],
    ['CONFIG', 'SET', 'tls-prefer-server-ciphers', 'maybe'],
    ['CONFIG', 'GET', 'tls-session-caching'],
    ['CONFIG', 'GET', 'tls-session-cache-timeout'],
  ]);
});

async function retryConnect(port: number): Promise<RawClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await RawClient.connect(port);
    } catch (err) {
      if (attempt >= 40) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 40 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 50));
}
