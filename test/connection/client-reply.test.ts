// CLIENT REPLY OFF/SKIP against real Redis, byte for byte, where the simple pipeline cases of
// client.test.ts do not reach: a blocking command given after SKIP or under OFF (served later, timed
// out, ended by CLIENT UNBLOCK), CLIENT REPLY inside MULTI/EXEC (Redis judges each reply when it is
// written, so a mode changed inside EXEC takes effect from that command on, even mid-array), RESET,
// and pub/sub pushes, which OFF and SKIP never hold back (RESP2 and RESP3, subscription
// confirmations, messages, keyspace notifications to the client that caused them).
//
// Every step waits for something the server says (a reply, a marker, blocked_clients), never for
// time, so a loaded machine changes nothing.

import { createConnection, type Socket } from 'node:net';
import t from 'tap';
import { DiffPair, redisSkip } from '../support/differential';
import { startSluice } from '../support/servers';
import { REPLY_TIMEOUT_MS, encodeCommand } from '../support/resp';

/** A raw connection that reads bytes until a suffix shows up (replies may be malformed arrays here). */
class Conn {
  private received = Buffer.alloc(0);
  private waiting: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
      this.waiting?.();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(new Conn(socket)));
      socket.once('error', reject);
    });
  }

  send(...commands: string[][]): void {
    this.socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
  }

  /** Everything received up to and including `suffix`; what follows it stays for the next read. */
  async until(suffix: string): Promise<string> {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const text = this.received.toString('latin1');
      const at = text.indexOf(suffix);
      if (at >= 0) {
        this.received = this.received.subarray(Buffer.byteLength(text.slice(0, at + suffix.length), 'latin1'));
        return text.slice(0, at + suffix.length);
      }
      const left = deadline - Date.now();
      if (left <= 0) return `${text}(no ${JSON.stringify(suffix)} in time)`;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiting = null;
    }
  }

  /** Send, then read through the reply of a final PING <marker> (after CLIENT REPLY ON, so it is sent). */
  async script(commands: string[][], marker = 'end'): Promise<string> {
    this.send(...commands, ['CLIENT', 'REPLY', 'ON'], ['PING', marker]);
    return this.until(`$${marker.length}\r\n${marker}\r\n`);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Wait until the server counts `n` blocked clients. */
async function blocked(control: Conn, n: number): Promise<void> {
  for (;;) {
    control.send(['INFO', 'clients']);
    const info = await control.until('\r\n\r\n');
    if (info.includes(`blocked_clients:${n}\r\n`)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

type Scenario = (port: number) => Promise<string[]>;

/** One connection, one script: the bytes it got back. */
const single =
  (commands: string[][], resp: 2 | 3 = 2): Scenario =>
  async (port) => {
    const a = await Conn.open(port);
    try {
      if (resp === 3) {
        a.send(['HELLO', '3']);
        await a.until('modules\r\n*0\r\n');
      }
      return [await a.script(commands)];
    } finally {
      a.close();
    }
  };

/** Client a blocks after `prefix` (SKIP or OFF), client b does `wake`, then a's later bytes. */
const blockedThen =
  (prefix: string[][], blocking: string[], wake: (b: Conn, aId: string) => Promise<string>, after: string[][] = []): Scenario =>
  async (port) => {
    const [a, b] = await Promise.all([Conn.open(port), Conn.open(port)]);
    try {
      a.send(['CLIENT', 'ID']);
      const aId = /:(\d+)/.exec(await a.until('\r\n'))![1]!;
      a.send(...prefix, blocking);
      await blocked(b, 1);
      const woke = await wake(b, aId);
      return [woke, await a.script([['PING', 'after'], ...after])];
    } finally {
      a.close();
      b.close();
    }
  };

const SKIP = ['CLIENT', 'REPLY', 'SKIP'];
const OFF = ['CLIENT', 'REPLY', 'OFF'];
const ON = ['CLIENT', 'REPLY', 'ON'];

const scenarios: Record<string, Scenario> = {
  // Blocking commands: the SKIP covers the reply the command gets whenever it gets it.
  'SKIP, BLPOP served later': blockedThen([SKIP], ['BLPOP', 'q', '0'], async (b) => {
    b.send(['LPUSH', 'q', 'x']);
    return b.until('\r\n');
  }),
  'SKIP, BLMOVE served later (the move happens)': blockedThen(
    [SKIP],
    ['BLMOVE', 'q', 'd', 'LEFT', 'RIGHT', '0'],
    async (b) => {
      b.send(['RPUSH', 'q', 'x', 'y']);
      return b.until('\r\n');
    },
    [['LRANGE', 'd', '0', '-1'], ['LRANGE', 'q', '0', '-1']],
  ),
  'SKIP, BLPOP ended by CLIENT UNBLOCK ERROR': blockedThen([SKIP], ['BLPOP', 'q', '0'], async (b, aId) => {
    b.send(['CLIENT', 'UNBLOCK', aId, 'ERROR']);
    return b.until('\r\n');
  }),
  'SKIP, BLMPOP ended by CLIENT UNBLOCK TIMEOUT': blockedThen([SKIP], ['BLMPOP', '0', '1', 'q', 'LEFT'], async (b, aId) => {
    b.send(['CLIENT', 'UNBLOCK', aId, 'TIMEOUT']);
    return b.until('\r\n');
  }),
  'OFF, BLPOP served, then ON': blockedThen([OFF], ['BLPOP', 'q', '0'], async (b) => {
    b.send(['LPUSH', 'q', 'x'], ['LLEN', 'q']);
    return b.until(':0\r\n');
  }),
  'SKIP, BLPOP timing out': single([SKIP, ['BLPOP', 'q', '0.01'], ['PING', 'after']]),
  'OFF, BLPOP timing out': single([OFF, ['BLPOP', 'q', '0.01'], ON, ['PING', 'after']]),
  'SKIP, BLPOP with data (no block)': single([['RPUSH', 'q', 'x'], SKIP, ['BLPOP', 'q', '0'], ['LLEN', 'q']]),
  'SKIP, then BLPOP inside MULTI': single([SKIP, ['BLPOP', 'q', '0.01'], ['MULTI'], ['BLPOP', 'q', '0'], ['EXEC']]),

  // WAIT and WAITAOF (issue 5): a SKIP covers their reply too, given at once or after blocking.
  'SKIP, WAIT answered at once': single([SKIP, ['WAIT', '0', '0'], ['PING', 'after']]),
  'SKIP, WAIT timing out': single([['SET', 'k', 'v'], SKIP, ['WAIT', '1', '10'], ['PING', 'after']]),
  'OFF, WAIT timing out, then ON': single([OFF, ['WAIT', '1', '10'], ON, ['PING', 'after']]),
  'SKIP, WAIT ended by CLIENT UNBLOCK TIMEOUT': blockedThen([['SET', 'k', 'v'], SKIP], ['WAIT', '1', '0'], async (b, aId) => {
    b.send(['CLIENT', 'UNBLOCK', aId, 'TIMEOUT']);
    return b.until('\r\n');
  }),
  'SKIP, WAIT inside MULTI': single([['SET', 'k', 'v'], SKIP, ['MULTI'], ['WAIT', '1', '0'], ['EXEC'], ['PING', 'x']]),
  'SKIP covering EXEC with WAIT': single([['MULTI'], ['WAIT', '0', '0'], SKIP, ['EXEC'], ['PING', 'x']]),
  'SKIP, WAITAOF timing out': single([SKIP, ['WAITAOF', '0', '1', '10'], ['PING', 'after']]),

  // MULTI/EXEC: each reply is judged when it is written.
  'OFF inside EXEC drops the rest of the array': single([['MULTI'], ['SET', 'a', '1'], OFF, ['SET', 'b', '2'], ['EXEC'], ['GET', 'a'], ON, ['MGET', 'a', 'b']]),
  'SKIP inside EXEC skips the command after EXEC': single([['MULTI'], SKIP, ['SET', 'a', '1'], ['EXEC'], ['PING', 'x'], ['PING', 'y']]),
  'two SKIPs inside EXEC': single([['MULTI'], SKIP, SKIP, ['EXEC'], ['PING', 'c'], ['PING', 'd']]),
  'OFF then ON inside EXEC': single([['MULTI'], OFF, ['PING', 'a'], ON, ['PING', 'b'], ['EXEC'], ['PING', 'c']]),
  'ON inside EXEC under OFF': single([OFF, ['MULTI'], ['SET', 'a', '1'], ON, ['PING', 'in'], ['EXEC'], ['PING', 'x']]),
  'SKIP covering MULTI': single([SKIP, ['MULTI'], ['PING', 'q'], ['EXEC'], ['PING', 'x']]),
  'SKIP covering EXEC': single([['MULTI'], ['PING', 'q'], SKIP, ['EXEC'], ['PING', 'x']]),
  'ON inside EXEC after SKIP': single([SKIP, ['MULTI'], ON, ['EXEC'], ['PING', 'x']]),
  'SKIP queued in a transaction that aborts': single([['MULTI'], SKIP, ['NOSUCH'], ['EXEC'], ['PING', 'c'], ['PING', 'd']]),

  // RESET ends OFF and a pending SKIP; a SKIP covering the RESET itself still drops its reply.
  'SKIP covering RESET': single([SKIP, ['RESET'], ['PING', 'x']]),
  'OFF, then RESET': single([OFF, ['RESET'], ['PING', 'x']]),
  'SKIP, SKIP covering RESET': single([SKIP, ['PING', 'a'], SKIP, ['RESET'], ['PING', 'x']]),

  // Pushes pass: subscription confirmations and messages to the client itself.
  'RESP3 OFF: subscribe, publish to itself': single([['SUBSCRIBE', 'c'], OFF, ['PUBLISH', 'c', 'm'], ['PING', 'z'], ['UNSUBSCRIBE']], 3),
  'RESP3 OFF: confirmations pass': single([OFF, ['SUBSCRIBE', 'c1', 'c2'], ['PSUBSCRIBE', 'p*'], ['SSUBSCRIBE', 's'], ['PUNSUBSCRIBE'], ['UNSUBSCRIBE', 'c1', 'c2'], ['SUNSUBSCRIBE']], 3),
  'RESP2 SKIP: the confirmation passes, the skip is used up': single([SKIP, ['SUBSCRIBE', 'c'], ['PING'], ['UNSUBSCRIBE', 'c']]),
  'RESP2 OFF: confirmations pass': single([OFF, ['SUBSCRIBE', 'c'], ['SSUBSCRIBE', 's'], ['PING', 'x'], ['UNSUBSCRIBE'], ['SUNSUBSCRIBE']]),
  'RESP3 OFF: keyspace notification of its own write': async (port) => {
    const control = await Conn.open(port);
    try {
      control.send(['CONFIG', 'SET', 'notify-keyspace-events', 'KEA']);
      await control.until('\r\n');
      const got = await single([OFF, ['SUBSCRIBE', '__keyevent@0__:set'], ['SET', 'k', 'v'], ['DEL', 'k'], ['UNSUBSCRIBE']], 3)(port);
      control.send(['CONFIG', 'SET', 'notify-keyspace-events', '']);
      await control.until('\r\n');
      return got;
    } finally {
      control.close();
    }
  },
  'RESP2 OFF: messages from another client': async (port) => {
    const [a, b] = await Promise.all([Conn.open(port), Conn.open(port)]);
    try {
      a.send(OFF, ['SUBSCRIBE', 'ch'], ['PSUBSCRIBE', 'c*']);
      const confirmations = await a.until(':2\r\n');
      b.send(['PUBLISH', 'ch', 'hi']);
      const receivers = await b.until('\r\n');
      const messages = (await a.until('$2\r\nch\r\n$2\r\nhi\r\n')) + (await a.until('$2\r\nch\r\n$2\r\nhi\r\n'));
      return [confirmations, receivers, messages, await a.script([['UNSUBSCRIBE'], ['PUNSUBSCRIBE']])];
    } finally {
      a.close();
      b.close();
    }
  },
};

t.test('CLIENT REPLY OFF/SKIP with blocking commands, MULTI/EXEC, RESET and pushes match Redis', { skip: redisSkip }, async (t) => {
  const pair = await DiffPair.start();
  t.teardown(() => pair.stop());
  for (const [name, scenario] of Object.entries(scenarios)) {
    // One at a time: each starts from an empty keyspace on both.
    for (const server of [pair.redis, pair.sluice]) {
      const c = await Conn.open(server.port);
      c.send(['FLUSHALL']);
      await c.until('\r\n');
      c.close();
    }
    const [redis, sluice] = await Promise.all([scenario(pair.redis.port), scenario(pair.sluice.port)]);
    t.same(sluice, redis, name);
  }
});

// Redis 7.2 (issue 5): a SKIP covering a WAIT drops its reply also when replica acknowledgments end
// the wait. The installed 7.0 sends that reply (it unblocked, ending the SKIP, before writing it):
// listed in test/command/redis72.ts, checked here on Sluice alone.
t.test('SKIP before a WAIT that replica acknowledgments end: no reply (Redis 7.2)', async (t) => {
  const primary = await startSluice();
  t.teardown(() => primary.stop());
  const replica = await startSluice(['--replicaof', '127.0.0.1', String(primary.port)]);
  t.teardown(() => replica.stop());
  const a = await Conn.open(primary.port);
  t.teardown(() => a.close());
  // The replica is attached once a WAIT 1 for nothing written answers 1.
  for (;;) {
    a.send(['WAIT', '1', '100']);
    if ((await a.until('\r\n')) === ':1\r\n') break;
  }
  a.send(['SET', 'k', 'v']);
  t.equal(await a.until('\r\n'), '+OK\r\n');
  // Each WAIT blocks until the replica's ACK (long before its 60 s timeout); its reply is skipped.
  const got = await a.script([SKIP, ['WAIT', '1', '60000'], ['PING', 'after'], ['SET', 'k', 'w'], SKIP, ['WAIT', '1', '60000'], ['GET', 'k']]);
  t.equal(got, '$5\r\nafter\r\n+OK\r\n$1\r\nw\r\n+OK\r\n$3\r\nend\r\n');
  a.send(['SET', 'k', 'x'], ['WAIT', '1', '60000']);
  t.equal(await a.until(':1\r\n'), '+OK\r\n:1\r\n', 'without SKIP the same WAIT answers 1');
});
