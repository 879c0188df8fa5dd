// Replication as the server runs it: this server's role (master, or replica of host:port), its
// replication ids, the replicas connected to it (primary.ts) and its link to its master
// (replica.ts); the commands' view of it (ReplicationApi), INFO replication and ROLE with Redis's
// field names, and the checks dispatch makes before a command (READONLY, MASTERDOWN, NOREPLICAS).
//
// Offsets: master_repl_offset is the log's end offset. A replica writes its master's records at the
// same offsets, so the offset names the same state on every server of one history.

import type { ChannelKind, ClientApi, Ctx, ReplicationApi, Reply } from '../../commands/types';
import { ERR } from '../../commands/errors';
import type { Client } from '../client';
import type { CommandEntry } from '../dispatch';
import type { Server } from '../server';
import { freshIds, loadIds, newReplid, NO_REPLID, storeIds, type ReplicationIds } from './ids';
import { Primary, type ReplicaHello, type ReplicationStats } from './primary';
import { MasterLink } from './replica';
import { publishChunk } from './stream';
import { WaitQueue, type WaitKind } from './wait';

const CRON_MS = 1000;

export class Replication implements ReplicationApi {
  private ids: ReplicationIds = freshIds();
  readonly primary: Primary;
  /** The link to our master; null while this server is a master. */
  private link: MasterLink | null = null;
  /** What each connection said with REPLCONF before PSYNC. */
  private readonly hellos = new WeakMap<ClientApi, ReplicaHello>();
  private cronTimer: NodeJS.Timeout | null = null;
  private started = false;
  /** Clients blocked in WAIT / WAITAOF. */
  private readonly waits: WaitQueue;

  constructor(private readonly server: Server) {
    this.primary = new Primary({
      log: server.log,
      persistence: server.persistence,
      ids: () => this.ids,
      replTimeoutSec: () => server.config.getInt('repl-timeout'),
      outputLimit: () => server.outputLimits.replica,
    });
    this.waits = new WaitQueue({
      countAcked: (offset, aof) => this.primary.countAcked(offset, aof),
      unblock: (clientId) => this.server.unblockClient(clientId, 'timeout'),
    });
    this.primary.onAck = () => this.waits.scheduleCheck();
  }

  private get dir(): string {
    return this.server.config.get('dir');
  }

  /** After the data is loaded: the ids to continue with. */
  loadIds(): void {
    const asReplica = this.server.config.get('replicaof') !== '';
    const { ids, kept } = loadIds(this.dir, asReplica, this.server.persistence.logEndOffset);
    this.ids = ids;
    if (!kept) this.server.log.info({ replid: ids.replid }, 'New replication id (no clean shutdown record to continue from)');
    this.persistIds();
  }

  /** Once listening: follow the configured master, start the cron. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const target = parseReplicaOf(this.server.config.get('replicaof'));
    if (target !== null) this.becomeReplica(target.host, target.port);
    this.cronTimer = setInterval(() => this.primary.cron(Date.now()), CRON_MS);
    this.cronTimer.unref();
  }

  /** Shutdown: stop the link and replicas; after the log is closed, record the clean shutdown. */
  stop(): void {
    if (this.cronTimer !== null) clearInterval(this.cronTimer);
    this.cronTimer = null;
    this.link?.stop();
  }

  recordCleanShutdown(): void {
    try {
      storeIds(this.dir, this.ids, this.server.persistence.logEndOffset);
    } catch (err) {
      this.server.log.warn({ err: (err as Error).message }, 'Could not record the replication ids at shutdown');
    }
  }

  private persistIds(): void {
    try {
      storeIds(this.dir, this.ids);
    } catch (err) {
      this.server.log.warn({ err: (err as Error).message }, 'Could not store the replication ids');
    }
  }

  get stats(): ReplicationStats {
    return this.primary.stats;
  }

  get isReplica(): boolean {
    return this.link !== null;
  }

  get masterReplid(): string {
    return this.ids.replid;
  }

  // ---- role changes

  private becomeReplica(host: string, port: number): void {
    const { persistence, engine } = this.server;
    this.link?.stop();
    persistence.replicated = true;
    engine.deleteExpiredOnAccess = false;
    // Our replicas must learn of the change; they reconnect and continue from us if they can.
    this.primary.dropAll();
    this.server.config.record('replicaof', `${host} ${port}`);
    this.server.log.info({ host, port }, `Connecting to MASTER ${host}:${port}`);
    this.link = new MasterLink(host, port, {
      log: this.server.log,
      engine,
      persistence,
      dir: this.dir,
      psyncPosition: () => ({ replid: this.ids.replid, offset: persistence.logEndOffset }),
      countInput: (bytes) => (this.primary.stats.inputBytes += bytes),
      masterAuth: () => {
        const pass = this.server.config.get('masterauth');
        return pass === '' ? null : { user: this.server.config.get('masteruser'), pass };
      },
      listeningPort: () => {
        const announced = this.server.config.getInt('replica-announce-port');
        return announced !== 0 ? announced : this.server.boundPort;
      },
      replTimeoutSec: () => this.server.config.getInt('repl-timeout'),
      masterReplidChanged: (replid) => {
        this.server.log.info({ replid, previous: this.ids.replid }, 'Master replication ID changed');
        this.ids = { replid, replid2: this.ids.replid, secondReplOffset: persistence.logEndOffset + 1 };
        this.persistIds();
        this.primary.dropAll();
      },
      fullResyncStarting: () => {
        this.ids = freshIds();
        this.persistIds();
        this.primary.dropAll();
      },
      fullResyncDone: (replid) => {
        this.ids = { replid, replid2: NO_REPLID, secondReplOffset: -1 };
        this.persistIds();
      },
      published: (kind, channel, message) => {
        // Delivered here, and passed on to our own replicas after the records received before it.
        this.server.pubsub.publish(kind, channel, message);
        if (this.primary.hasReplicas) this.primary.propagatePublish(publishChunk(kind, channel, message));
        this.primary.placePublishes(persistence.logEndOffset);
      },
    });
  }

  private becomeMaster(): void {
    const { persistence, engine } = this.server;
    this.link?.stop();
    this.link = null;
    persistence.replicated = false;
    engine.deleteExpiredOnAccess = true;
    this.server.config.record('replicaof', '');
    // PSYNC2: our former master's history is shared up to our offset, so its other replicas can
    // continue from us.
    const offset = persistence.logEndOffset;
    this.ids = { replid: newReplid(), replid2: this.ids.replid, secondReplOffset: offset + 1 };
    this.persistIds();
    this.primary.dropAll();
    this.server.log.info({ replid: this.ids.replid, offset }, 'MASTER MODE enabled');
  }

  // ---- ReplicationApi

  replicaOf(target: { host: string; port: number } | null): { ok: string } | { error: string } {
    if (target === null) {
      if (this.link !== null) this.becomeMaster();
      return { ok: 'OK' };
    }
    if (!this.server.persistence.logOpen) return { error: ERR.replicationNeedsLog };
    if (this.link !== null && this.link.host === target.host && this.link.port === target.port) {
      return { ok: 'OK Already connected to specified master' };
    }
    this.becomeReplica(target.host, target.port);
    return { ok: 'OK' };
  }

  propagatePublish(kind: ChannelKind, channel: string, message: Buffer): void {
    // A replica passes on its master's messages only, as Redis proxies its master's stream.
    if (this.link === null && this.primary.hasReplicas) this.primary.propagatePublish(publishChunk(kind, channel, message));
  }

  /** After every command: messages it published follow its record (server.commandDone). */
  commandDone(): void {
    this.primary.placePublishes(this.server.persistence.logEndOffset);
  }

  replconfSet(client: ClientApi, option: 'listening-port' | 'ip-address' | 'capa', value: string): void {
    const hello = this.helloOf(client);
    if (option === 'listening-port') hello.listeningPort = Number(value);
    else if (option === 'ip-address') hello.ipAddress = value;
    else hello.capabilities.add(value.toLowerCase());
  }

  private helloOf(client: ClientApi): ReplicaHello {
    let hello = this.hellos.get(client);
    if (hello === undefined) {
      hello = { listeningPort: 0, ipAddress: null, capabilities: new Set() };
      this.hellos.set(client, hello);
    }
    return hello;
  }

  replconfAck(client: ClientApi, offset: number, aofOffset: number | null): void {
    const c = this.server.clientById(client.id);
    if (c !== undefined) this.primary.ack(c, offset, aofOffset);
  }

  sync(client: ClientApi, replid: string | null, offset: number): string | null {
    const c = this.server.clientById(client.id);
    if (c === undefined || c.replica) return null;
    if (this.link !== null && !this.link.up) return ERR.noMasterLink;
    if (!this.server.persistence.logOpen) return ERR.replicationNeedsLog;
    const hello = this.helloOf(client);
    // Only a Sluice replica reads Sluice's snapshot and stream (a Redis replica expects an RDB).
    if (replid !== null && !hello.capabilities.has('sluice')) return ERR.replicaNotSluice;
    this.primary.attach(c, hello, replid, offset, replid !== null);
    return null;
  }

  role(out: Reply): void {
    const link = this.link;
    if (link === null) {
      const online = [...this.primary.replicas].filter((r) => r.state === 'online');
      out.array(3);
      out.bulk('master');
      out.integer(this.server.persistence.logEndOffset);
      out.array(online.length);
      for (const r of online) {
        out.array(3);
        out.bulk(r.ip);
        out.bulk(String(r.hello.listeningPort));
        out.bulk(String(r.ackOffset));
      }
      return;
    }
    out.array(5);
    out.bulk('slave');
    out.bulk(link.host);
    out.integer(link.port);
    out.bulk(link.state === 'transfer' ? 'sync' : link.state);
    out.integer(link.up ? this.server.persistence.logEndOffset : -1);
  }

  // ---- dispatch's checks

  /** The error a command gets from replication's rules (Redis's order), or null. */
  refusal(entry: CommandEntry, write: boolean): string | null {
    const config = this.server.config;
    if (this.link === null) {
      if (write) {
        const min = config.getInt('min-replicas-to-write');
        const maxLag = config.getInt('min-replicas-max-lag');
        if (min > 0 && maxLag > 0 && this.primary.goodReplicas(Date.now(), maxLag) < min) return ERR.noReplicas;
      }
      return null;
    }
    if (write && config.getBool('replica-read-only')) return ERR.readonlyReplica;
    if (!this.link.up && !config.getBool('replica-serve-stale-data') && !entry.spec.flags.includes('stale')) return ERR.masterDown;
    return null;
  }

  /** A connection closed. */
  forget(client: Client): void {
    if (client.replica) this.primary.forget(client);
    this.waits.remove(client.id);
  }

  // ---- WAIT / WAITAOF

  waitReplicas(
    ctx: Ctx,
    kind: WaitKind,
    numreplicas: number,
    timeoutMs: number,
    reply: (replicas: number) => void,
  ): string | null {
    if (this.link !== null) return kind === 'wait' ? ERR.waitReplica : ERR.waitaofReplica;
    const c = this.server.clientById(ctx.client.id);
    const offset = c?.woff ?? 0;
    const aof = kind === 'waitaof';
    const acked = this.primary.countAcked(offset, aof);
    // Inside EXEC a client cannot block (Redis's CLIENT_DENY_BLOCKING): the count as it is.
    if (acked >= numreplicas || !ctx.mayBlock) {
      reply(acked);
      return null;
    }
    const clientId = ctx.client.id;
    ctx.block({
      keys: [],
      deadlineMs: timeoutMs > 0 ? ctx.nowMs + timeoutMs : 0,
      retry: () => 'empty',
      timedOut: () => {
        this.waits.remove(clientId);
        reply(this.primary.countAcked(offset, aof));
      },
    });
    this.waits.add(clientId, kind, offset, numreplicas);
    this.primary.requestAcks();
    return null;
  }

  // ---- INFO replication

  infoFields(): Array<[string, string | number]> {
    const { config, persistence } = this.server;
    const log = persistence.replicationLog;
    const now = Date.now();
    const fields: Array<[string, string | number]> = [];
    const link = this.link;
    if (link === null) {
      fields.push(['role', 'master']);
    } else {
      fields.push(
        ['role', 'slave'],
        ['master_host', link.host],
        ['master_port', link.port],
        ['master_link_status', link.up ? 'up' : 'down'],
        ['master_last_io_seconds_ago', link.up ? Math.floor((now - link.lastIoMs) / 1000) : -1],
        ['master_sync_in_progress', link.syncInProgress ? 1 : 0],
        ['slave_read_repl_offset', link.up ? link.readOffset : persistence.logEndOffset],
        ['slave_repl_offset', persistence.logEndOffset],
      );
      if (link.syncInProgress) {
        const left = link.syncTotalBytes - link.syncReadBytes;
        fields.push(
          ['master_sync_total_bytes', link.syncTotalBytes],
          ['master_sync_read_bytes', link.syncReadBytes],
          ['master_sync_left_bytes', left],
          ['master_sync_perc', (link.syncTotalBytes === 0 ? 0 : (link.syncReadBytes * 100) / link.syncTotalBytes).toFixed(2)],
          ['master_sync_last_io_seconds_ago', Math.floor((now - link.lastIoMs) / 1000)],
        );
      }
      if (!link.up) fields.push(['master_link_down_since_seconds', link.downSinceMs === null ? -1 : Math.floor((now - link.downSinceMs) / 1000)]);
      fields.push(
        ['slave_priority', config.getInt('replica-priority')],
        ['slave_read_only', config.getBool('replica-read-only') ? 1 : 0],
        ['replica_announced', config.getBool('replica-announced') ? 1 : 0],
      );
    }
    fields.push(['connected_slaves', this.primary.count]);
    const min = config.getInt('min-replicas-to-write');
    const maxLag = config.getInt('min-replicas-max-lag');
    if (min > 0 && maxLag > 0) fields.push(['min_slaves_good_slaves', this.primary.goodReplicas(now, maxLag)]);
    let i = 0;
    for (const r of this.primary.replicas) {
      const lag = Math.floor((now - r.lastAckMs) / 1000);
      fields.push([`slave${i++}`, `ip=${r.ip},port=${r.hello.listeningPort},state=${r.state},offset=${r.ackOffset},lag=${lag}`]);
    }
    const start = log?.logStartOffset ?? 0;
    const end = persistence.logEndOffset;
    fields.push(
      ['master_failover_state', 'no-failover'],
      ['master_replid', this.ids.replid],
      ['master_replid2', this.ids.replid2],
      ['master_repl_offset', end],
      ['second_repl_offset', this.ids.secondReplOffset],
      ['repl_backlog_active', persistence.logOpen ? 1 : 0],
      ['repl_backlog_size', config.getInt('repl-backlog-size')],
      ['repl_backlog_first_byte_offset', start + 1],
      ['repl_backlog_histlen', end - start],
    );
    return fields;
  }
}

/** The `replicaof` directive's value: "host port", or "" for none. */
export function parseReplicaOf(value: string): { host: string; port: number } | null {
  const parts = value.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 2) return null;
  return { host: parts[0]!, port: Number(parts[1]) };
}
