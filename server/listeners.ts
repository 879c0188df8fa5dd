// The sockets the server accepts clients on: one listener per bind address, for plain TCP on
// `port` and for TLS on `tls-port`, opened and replaced as a set.
//
// A set opens all-or-nothing: when one required address cannot be bound, the ones already open are
// closed again and the error is thrown, so the server never runs on half its addresses. An address
// written with a leading '-' is optional, as in Redis ("-::1" when IPv6 is off).

import type { Server as NetServer } from 'node:net';
import type { Logger } from './logger';

export type ListenerKind = 'tcp' | 'tls';

/** Makes an unbound server of one kind whose connections go to `onSocket`. */
export type ListenerFactory = () => NetServer;

export class ListenerSet {
  private servers: NetServer[] = [];
  /** The port bound, or 0 when closed. */
  port = 0;
  /** The bind addresses as configured (with their '-' marks), for INFO's listener lines. */
  binds: readonly string[] = [];

  constructor(
    readonly kind: ListenerKind,
    private readonly log: Logger,
  ) {}

  get open(): boolean {
    return this.servers.length > 0;
  }

  /** Bind `port` on every address. Replaces whatever this set had open only once the new set is complete. */
  async listen(binds: readonly string[], port: number, create: ListenerFactory, backlog: number): Promise<void> {
    const opened: NetServer[] = [];
    let boundPort = port;
    try {
      for (const raw of binds) {
        const optional = raw.startsWith('-');
        const host = optional ? raw.slice(1) : raw;
        try {
          const server = await listenOne(create(), host, boundPort, backlog);
          opened.push(server);
          server.on('error', (err) => this.log.error({ err, kind: this.kind }, 'listener error'));
          const address = server.address();
          if (address !== null && typeof address === 'object') boundPort = address.port;
        } catch (err) {
          if (!optional) throw err;
          this.log.debug({ host, err: (err as Error).message }, 'optional bind address unavailable');
        }
      }
    } catch (err) {
      await Promise.all(opened.map(closeOne));
      throw err;
    }
    const previous = this.servers;
    this.servers = opened;
    this.port = opened.length > 0 ? boundPort : 0;
    this.binds = binds;
    // The old listeners stop accepting; clients they accepted stay connected, as in Redis.
    for (const server of previous) server.close();
  }

  /** Stop accepting; resolves once every connection accepted by this set is gone. */
  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    this.port = 0;
    await Promise.all(servers.map(closeOne));
  }

  /** Every underlying server (TLS context updates reach each of them). */
  each(fn: (server: NetServer) => void): void {
    for (const server of this.servers) fn(server);
  }
}

function listenOne(server: NetServer, host: string, port: number, backlog: number): Promise<NetServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function closeOne(server: NetServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
