// Dispatch: find the command in the table, run the generic checks every command shares (arity,
// authentication, ...) in Redis's order and with Redis's errors, then call the handler and keep
// the books (command stats, slow log, MONITOR). Handlers never repeat these checks.

import { commandTable } from '../commands/table';
import type { CommandSpec } from '../commands/types';
import { ERR, argsPreview, cString } from '../commands/errors';
import type { Client } from './client';
import type { Server } from './server';

/** A command as dispatch needs it: the spec plus what is derived from it once at start-up. */
export interface CommandEntry {
  readonly spec: CommandSpec;
  readonly fullName: string;
  /** Runs without authentication (AUTH, HELLO, QUIT...). */
  readonly noAuth: boolean;
  /** Changes data. */
  readonly write: boolean;
  /** May use more memory (flag denyoom): refused above maxmemory. */
  readonly denyoom: boolean;
  /** Refused inside MULTI (SAVE, SHUTDOWN...): "Command not allowed inside a transaction". */
  readonly noMulti: boolean;
  /** Runs at once even in MULTI instead of being queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). */
  readonly runsInMulti: boolean;
  /** Not refused above maxmemory in MULTI for that alone (EXEC, DISCARD, QUIT, RESET). */
  readonly oomExemptInMulti: boolean;
  /** Not shown to MONITOR (admin commands and those flagged skip_monitor). */
  readonly skipMonitor: boolean;
  readonly skipSlowlog: boolean;
  /** Flagged fast: its slow runs are latency events "fast-command" rather than "command". */
  readonly fast: boolean;
  readonly subcommands: ReadonlyMap<string, CommandEntry> | null;
  /** INFO commandstats counters. */
  readonly stats: CommandStats;
  /**
   * The directive that must allow this command (Redis's CMD_PROTECTED): DEBUG needs
   * enable-debug-command to be "yes", or "local" for a loopback client. Null for other commands.
   */
  readonly protectedBy: string | null;
}

/** Commands Redis marks CMD_PROTECTED, with the directive that unlocks each. */
const PROTECTED: Readonly<Record<string, string>> = { debug: 'enable-debug-command' };

/** The commands processCommand runs at once in MULTI rather than queueing them. */
const RUN_IN_MULTI = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);
/** The commands a client in MULTI may still send above maxmemory. */
const OOM_EXEMPT_IN_MULTI = new Set(['exec', 'discard', 'quit', 'reset']);

const QUEUED = Buffer.from('+QUEUED\r\n');

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

export function buildCommandEntries(): Map<string, CommandEntry> {
  const entries = new Map<string, CommandEntry>();
  // Keyed by the name clients use, which rename-command may have changed (the entry keeps its own).
  for (const [name, spec] of commandTable()) entries.set(name, toEntry(spec, undefined));
  return entries;
}

function toEntry(spec: CommandSpec, parent: CommandSpec | undefined): CommandEntry {
  const flags = new Set(spec.flags);
  let subcommands: Map<string, CommandEntry> | null = null;
  if (spec.subcommands !== undefined) {
    subcommands = new Map();
    for (const sub of spec.subcommands) subcommands.set(sub.name, toEntry(sub, spec));
  }
  return {
    spec,
    fullName: parent === undefined ? spec.name : `${parent.name}|${spec.name}`,
    noAuth: flags.has('no_auth'),
    write: flags.has('write'),
    denyoom: flags.has('denyoom'),
    noMulti: flags.has('no_multi'),
    runsInMulti: parent === undefined && RUN_IN_MULTI.has(spec.name),
    oomExemptInMulti: parent === undefined && OOM_EXEMPT_IN_MULTI.has(spec.name),
    skipMonitor: flags.has('skip_monitor') || flags.has('admin'),
    skipSlowlog: flags.has('skip_slowlog'),
    fast: flags.has('fast'),
    subcommands,
    stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
    protectedBy: parent === undefined ? PROTECTED[spec.name] ?? null : null,
  };
}

/**
 * Top-level commands found straight from the request's bytes, with no string made per command:
 * candidates are grouped by name length and first letter, then compared byte by byte, ignoring
 * ASCII case as Redis does.
 */
export class CommandNames {
  private readonly byHead = new Map<number, Array<{ name: Buffer; entry: CommandEntry }>>();

  constructor(commands: ReadonlyMap<string, CommandEntry>) {
    for (const [name, entry] of commands) {
      const bytes = Buffer.from(name, 'latin1');
      const head = headOf(bytes.length, bytes[0]!);
      const list = this.byHead.get(head) ?? [];
      list.push({ name: bytes, entry });
      this.byHead.set(head, list);
    }
  }

  find(name: Buffer): CommandEntry | undefined {
    if (name.length === 0) return undefined;
    const candidates = this.byHead.get(headOf(name.length, name[0]!));
    if (candidates === undefined) return undefined;
    for (const candidate of candidates) {
      if (equalsIgnoringCase(name, candidate.name)) return candidate.entry;
    }
    return undefined;
  }
}

function headOf(length: number, firstByte: number): number {
  return length * 256 + lowerAscii(firstByte);
}

function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** Whether `bytes` spells `lowerName` (already lower case) in any ASCII case. */
function equalsIgnoringCase(bytes: Buffer, lowerName: Buffer): boolean {
  for (let i = 1; i < lowerName.length; i++) {
    if (lowerAscii(bytes[i]!) !== lowerName[i]) return false;
  }
  return true;
}

/**
 * Find the command for argv (it becomes the client's cmd=, 'NULL' when there is none), or refuse
 * it with the unknown-command or arity error and return null.
 */
export function resolveCommand(server: Server, client: Client, argv: Buffer[]): CommandEntry | null {
  let entry = server.commandLookup.find(argv[0]!);
  if (entry !== undefined && entry.subcommands !== null && argv.length >= 2) {
    const sub = entry.subcommands.get(argv[1]!.toString('latin1').toLowerCase());
    if (sub === undefined) {
      client.lastCommand = 'NULL';
      rejectCommand(server, client, null, argv, ERR.unknownSubcommand(cString(argv[1]!).slice(0, 128), cString(argv[0]!).toUpperCase()));
      return null;
    }
    entry = sub;
  }
  if (entry === undefined) {
    client.lastCommand = 'NULL';
    rejectCommand(server, client, null, argv, ERR.unknownCommand(cString(argv[0]!).slice(0, 128), argsPreview(argv, 1)));
    return null;
  }
  client.lastCommand = entry.fullName;
  const arity = entry.spec.arity;
  if ((arity > 0 && argv.length !== arity) || argv.length < -arity) {
    rejectCommand(server, client, entry, argv, ERR.wrongArity(entry.fullName));
    return null;
  }
  return entry;
}

/**
 * Refuse a command before it runs (Redis's rejectCommand): counted as rejected, and in MULTI it
 * dooms the transaction. EXEC refused drops the transaction with the reason in its -EXECABORT.
 */
export function rejectCommand(server: Server, client: Client, entry: CommandEntry | null, argv: readonly Buffer[], error: string): void {
  if (entry === null) {
    client.transaction.refuse();
    client.out.error(error);
    return;
  }
  entry.stats.rejectedCalls++;
  if (entry.fullName !== 'exec') {
    client.transaction.refuse();
    client.out.error(error);
    return;
  }
  client.transaction.abortExec(error);
  // The monitors saw MULTI: they see this EXEC too, so the transaction reads as ended.
  if (server.monitors.size > 0) server.feedMonitors(client, argv);
}

/** Run one command from a client, from lookup to bookkeeping. */
export function dispatch(server: Server, client: Client, argv: Buffer[]): void {
  const first = argv[0]!;
  // Redis drops connections that look like HTTP requests sent to it by a cross-protocol attack.
  if ((first.length === 4 || first.length === 5) && isHttpProbe(first)) {
    server.log.warn({ client: client.addr }, 'possible SECURITY ATTACK detected: an HTTP request was sent to the Redis port; connection dropped');
    client.closeNow();
    return;
  }
  const replyMark = client.out.mark();
  // CLIENT REPLY OFF/SKIP drop every reply, the errors of rejected commands included.
  client.startReplies();
  const entry = checkAndCall(server, client, argv);
  client.finishReplies();
  // The command's effects become one log record; a write's reply is tied to its durability.
  server.commandDone(client, entry, replyMark);
  // Clients blocked on the keys it wrote are served now, after its record (or EXEC's) is closed.
  server.blocking.serveReadyKeys();
}

/**
 * The generic checks, in Redis's order, then the command itself (or, in MULTI, its place in the
 * queue); returns the command run, if any.
 */
function checkAndCall(server: Server, client: Client, argv: Buffer[]): CommandEntry | null {
  const entry = resolveCommand(server, client, argv);
  if (entry === null) return null;
  // Redis refuses a protected command before it even asks for authentication.
  if (entry.protectedBy !== null && !protectedAllowed(server.config.get(entry.protectedBy), client.addr)) {
    rejectCommand(server, client, entry, argv, ERR.protectedCommand(entry.spec.name.toUpperCase(), entry.protectedBy));
    return null;
  }
  if (!client.authenticated && !entry.noAuth) {
    rejectCommand(server, client, entry, argv, ERR.noAuth);
    return null;
  }
  const transaction = client.transaction;
  if (transaction.active && entry.noMulti) {
    rejectCommand(server, client, entry, argv, ERR.notAllowedInMulti);
    return null;
  }
  // ACL: the user's selectors must allow the command, its keys and its channels (-NOPERM, ACL LOG).
  const denial = server.acl.check(client, entry, argv);
  if (denial !== null) {
    // Redis records the refused command as the client's last one (ACL LOG's client-info shows it).
    client.lastCommand = entry.fullName;
    rejectCommand(server, client, entry, argv, server.acl.refuse(client, entry, argv, denial));
    return null;
  }
  const isExec = entry.fullName === 'exec';
  // Above maxmemory, commands that may use more memory are refused (server/memory.ts); in MULTI
  // every command but EXEC, DISCARD, QUIT and RESET (queueing takes memory too), and EXEC when it
  // would run such a command.
  const oomApplies = transaction.active ? !entry.oomExemptInMulti || (isExec && transaction.queuedDenyoom) : entry.denyoom;
  if (oomApplies && server.memoryLimit.exceeded()) {
    rejectCommand(server, client, entry, argv, ERR.oom);
    return null;
  }
  // Redis refuses writes (and PING) while its AOF cannot be written: -MISCONF. EXEC is a write
  // when it would run one.
  if (entry.write || entry.fullName === 'ping' || (isExec && transaction.active && transaction.queuedWrite)) {
    const denied = server.persistence.writesDenied();
    if (denied !== null) {
      rejectCommand(server, client, entry, argv, denied);
      return null;
    }
  }
  // Replication's rules: -NOREPLICAS, -READONLY, -MASTERDOWN (server/replication). EXEC counts
  // as a write when it would run one.
  const refusal = server.replication.refusal(entry, entry.write || (isExec && transaction.active && transaction.queuedWrite));
  if (refusal !== null) {
    rejectCommand(server, client, entry, argv, refusal);
    return null;
  }
  // A RESP2 subscriber's replies share the connection with its messages: only (un)subscribing,
  // PING, QUIT and RESET make sense there (RESP3 tells pushes from replies, so anything goes).
  if (client.resp === 2 && isSubscriber(client) && !SUBSCRIBER_COMMANDS.has(entry.fullName)) {
    rejectCommand(server, client, entry, argv, ERR.pubsubContext(entry.fullName));
    return null;
  }
  if (transaction.active && !entry.runsInMulti) {
    transaction.enqueue(entry, argv);
    client.out.raw(QUEUED);
    // Nothing ran: no record, no stats.
    return null;
  }
  call(server, client, entry, argv);
  return entry;
}

/** What a RESP2 client may run while subscribed (Redis's processCommand list). */
const SUBSCRIBER_COMMANDS = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

function isSubscriber(client: Client): boolean {
  return client.subscriptions + client.patternSubscriptions + client.shardSubscriptions > 0;
}

/** enable-debug-command and its kin: "yes", "no", or "local" (loopback clients only). */
export function protectedAllowed(setting: string, addr: string): boolean {
  if (setting === 'yes') return true;
  if (setting !== 'local') return false;
  return addr.startsWith('127.') || addr.startsWith('[::1]:') || addr.startsWith('unix:');
}

function isHttpProbe(name: Buffer): boolean {
  // Compare bytes (case-insensitively) rather than build a string for every 4- and 5-byte command.
  const lower = (i: number) => name[i]! | 0x20;
  if (name.length === 4) return lower(0) === 0x70 && lower(1) === 0x6f && lower(2) === 0x73 && lower(3) === 0x74; // post
  return lower(0) === 0x68 && lower(1) === 0x6f && lower(2) === 0x73 && lower(3) === 0x74 && name[4] === 0x3a; // host:
}

/**
 * Execute a resolved command and account for it. `inExec`: one of EXEC's queued commands, which
 * runs at EXEC's time (time stands still for a whole transaction, as in Redis).
 */
export function call(server: Server, client: Client, entry: CommandEntry, argv: Buffer[], inExec = false): void {
  // Errors are charged to the innermost command that wrote them: EXEC only fails by its own.
  server.errorsCharged = server.stats.totalErrorReplies;
  let started: number;
  if (inExec) {
    started = performance.now();
  } else {
    started = server.commandClockMs >= 0 ? server.commandClockMs : performance.now();
    // One clock read serves both the command's wall-clock time and its duration (see Server.wallClockOffsetMs).
    client.nowMs = Math.floor(started + server.wallClockOffsetMs);
    server.engine.clockMs = client.nowMs;
  }
  entry.spec.handler!(client, argv);
  const ended = performance.now();
  server.commandClockMs = ended;
  const usec = Math.round((ended - started) * 1000);
  if (!entry.skipMonitor && server.monitors.size > 0) server.feedMonitors(client, argv);
  if (client.blocked) {
    // It blocked: it is counted (calls, time, slowlog) once it gets its reply (server/blocked-clients.ts).
    client.blockedCall = { entry, argv, usec, failed: false };
    return;
  }

  const stats = entry.stats;
  stats.calls++;
  stats.usec += usec;
  // Greater, not different: CONFIG RESETSTAT zeroes the count while it runs.
  if (server.stats.totalErrorReplies > server.errorsCharged) stats.failedCalls++;
  server.errorsCharged = server.stats.totalErrorReplies;
  server.stats.totalCommandsProcessed++;

  if (!entry.skipSlowlog) server.slowlog.consider(usec, argv, client);
  if (server.latency.thresholdMs !== 0) server.latency.sample(entry.fast ? 'fast-command' : 'command', Math.floor(usec / 1000));
}
