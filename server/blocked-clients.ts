// The server's side of blocking (server/blocking.ts holds the registry): Ctx.block for handlers,
// retries and timeout replies run as runs of the blocked command, the stats a blocked command
// counts once it completes, and the backlogs of unblocked clients, run at the start of the next
// output turn (Redis's processUnblockedClients in beforeSleep).

import type { BlockSpec } from '../commands/types';
import { BlockingRegistry, type BlockingHost, type UnblockReason } from './blocking';
import type { Client } from './client';
import type { CommandEntry } from './dispatch';
import type { Server } from './server';

/** A command that blocked its client: what its stats and slowlog entry need once it completes. */
export interface BlockedCall {
  readonly entry: CommandEntry;
  readonly argv: readonly Buffer[];
  /** Microseconds spent running it so far: the first run, then every retry (not the time blocked). */
  usec: number;
  /** Its last run wrote an error reply (failed_calls). */
  failed: boolean;
}

export class BlockedClients implements BlockingHost<Client> {
  readonly registry: BlockingRegistry<Client>;
  /** Clients unblocked since the last turn began, whose backlogs have yet to run, in unblock order. */
  private unblockedQueue: Client[] = [];

  constructor(private readonly server: Server) {
    this.registry = new BlockingRegistry<Client>(this);
  }

  /** Ctx.block: the client's command found nothing and waits on spec.keys in its database. */
  block(client: Client, spec: BlockSpec): void {
    if (!client.mayBlock) throw new Error(`client ${client.id} may not block here`);
    this.registry.block(client, { ...spec, db: client.dbIndex });
    client.blocked = true;
  }

  /** After each top-level command (or EXEC): serve the keys its writes made ready. */
  serveReadyKeys(): void {
    if (this.registry.hasReadyKeys) this.registry.serveReadyKeys();
  }

  /** The start of an output turn: keys made ready outside commands, then unblocked clients' backlogs. */
  readonly beforeTurn = (): void => {
    this.serveReadyKeys();
    while (this.unblockedQueue.length > 0) {
      const queue = this.unblockedQueue;
      this.unblockedQueue = [];
      for (const client of queue) {
        this.server.commandClockMs = -1;
        // Each command serves the keys it made ready (dispatch), which may unblock more clients.
        while (!client.blocked && !client.closing && client.backlog.length > 0) client.run(client.backlog.shift()!);
      }
    }
  };

  /** The client disconnected: it waits no more, and what it sent meanwhile is dropped. */
  remove(client: Client): void {
    this.registry.remove(client);
    client.blocked = false;
    client.blockedCall = null;
    client.backlog.clear();
  }

  // ---- BlockingHost

  runFor<T>(client: Client, work: () => T): T {
    const server = this.server;
    const call = client.blockedCall;
    const started = performance.now();
    client.nowMs = Math.floor(started + server.wallClockOffsetMs);
    server.engine.clockMs = client.nowMs;
    const errorsBefore = server.stats.totalErrorReplies;
    const replyMark = client.out.mark();
    const mayBlock = client.mayBlock;
    client.mayBlock = false;
    client.startReplies();
    try {
      return work();
    } finally {
      client.mayBlock = mayBlock;
      server.commandClockMs = -1;
      if (call !== null) {
        call.usec += Math.round((performance.now() - started) * 1000);
        call.failed = server.stats.totalErrorReplies !== errorsBefore;
      }
      // Dropped under OFF, or under the SKIP that covered the command when it blocked.
      client.out.unsilence();
      // Its effects are one log record, and its reply waits for their durability, as any write's.
      server.commandDone(client, call?.entry ?? null, replyMark);
    }
  }

  replyError(client: Client, message: string): void {
    client.out.error(message);
  }

  unblocked(client: Client, _reason: UnblockReason): void {
    client.blocked = false;
    // The blocked command is done: a SKIP that covered it is used up (Redis resets the client now).
    client.skipNextReply = false;
    client.currentArgv = [];
    const call = client.blockedCall;
    client.blockedCall = null;
    if (call !== null) {
      // Counted once, now that it has its reply, as Redis's updateStatsOnUnblock does.
      const stats = call.entry.stats;
      stats.calls++;
      stats.usec += call.usec;
      if (call.failed) stats.failedCalls++;
      this.server.stats.totalCommandsProcessed++;
      if (!call.entry.skipSlowlog) this.server.slowlog.consider(call.usec, call.argv, client);
    }
    client.wake();
    this.unblockedQueue.push(client);
    this.server.scheduler.requestTurn();
  }

  keysReady(): void {
    // Inside a command dispatch serves them when it ends; outside one (a timer) the next turn does.
    this.server.scheduler.requestTurn();
  }
}
