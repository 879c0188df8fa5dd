// The ACL registry: users by name (the "default" user always exists and carries requirepass), the
// ACL LOG, the ACL file, and the check dispatch runs before every command. Implements AclApi for
// the ACL commands, AUTH and HELLO.

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { globMatch } from '../../commands/args';
import type { AclApi, AclLogEntry, AclSelectorInfo, AclUserInfo, ClientApi } from '../../commands/types';
import type { Client } from '../client';
import { ConfigError } from '../config';
import type { CommandEntry } from '../dispatch';
import { strerror } from '../persistence';
import type { Server } from '../server';
import { AclCommands } from './commands';
import { checkCommand, denialMessage, userAllowsChannel, type Denial } from './check';
import { AclLog } from './log';
import { hasSpaces, ruleErrorText, type RuleError, type Selector } from './selector';
import { AclUser, mergeSelectorArgs } from './user';

/** A start-up problem with the ACL configuration: the server must not start. */
export class AclStartupError extends Error {}

export const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';
const SAVE_FAILED = 'ERR There was an error trying to save the ACLs. Please check the server logs for more information';

/** Why EXEC no longer runs a queued command, in Redis's words. */
const EXEC_REASONS = {
  command: 'no permission to execute the command or subcommand',
  key: 'no permission to touch the specified keys',
  channel: 'no permission to access one of the channels used as arguments',
} as const;

/** Counters of INFO stats' acl_access_denied_* fields. */
export interface AclStats {
  auth: number;
  cmd: number;
  key: number;
  channel: number;
}

export class Acl implements AclApi {
  readonly commands: AclCommands;
  private users = new Map<string, AclUser>();
  /** The default user; the same object for the server's whole life (ACL LOAD copies into it). */
  readonly defaultUser: AclUser;
  readonly log: AclLog;
  readonly stats: AclStats = { auth: 0, cmd: 0, key: 0, channel: 0 };

  constructor(private readonly server: Server) {
    this.commands = new AclCommands(server.commands);
    const config = server.config;
    this.log = new AclLog(() => config.getInt('acllog-max-len'));
    config.watch('acllog-max-len', () => this.log.trim());
    this.defaultUser = this.newDefaultUser();
    this.users.set('default', this.defaultUser);
    this.setDefaultPassword(config.get('requirepass'));
    config.watch('requirepass', (value) => this.setDefaultPassword(value));
    config.rewriteUsers = () => (config.get('aclfile') === '' ? this.describeUsers() : []);
  }

  private newUser(name: string): AclUser {
    return new AclUser(name, this.commands, () => this.server.config.get('acl-pubsub-default') === 'allchannels');
  }

  /** Redis's ACLCreateDefaultUser: everything allowed, no password. */
  private newDefaultUser(): AclUser {
    const user = this.newUser('default');
    for (const rule of ['+@all', '~*', '&*', 'on', 'nopass']) user.apply(rule);
    return user;
  }

  /** requirepass is the default user's only password ("" makes it nopass), as Redis's ACLUpdateDefaultUserPassword. */
  private setDefaultPassword(password: string): void {
    this.defaultUser.apply('resetpass');
    this.defaultUser.apply(password === '' ? 'nopass' : `>${password}`);
  }

  /**
   * After the configuration is read: `user` lines of the config file, then the ACL file. Throws a
   * ConfigError for a bad user line, AclStartupError for an unusable ACL file or both at once.
   */
  loadAtStartup(): void {
    const config = this.server.config;
    const aclfile = config.get('aclfile');
    if (aclfile !== '' && config.users.length > 0) {
      throw new AclStartupError(
        'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.',
      );
    }
    const seen = new Set<string>();
    for (const { args, lineNumber, line } of config.users) {
      const [name, ...rules] = args;
      const fail = (error: RuleError, what: string) => {
        throw new ConfigError(`Error in user declaration '${what}': ${ruleErrorText(error)}`, lineNumber, line);
      };
      if (name === undefined) throw new ConfigError('Bad directive or wrong number of arguments', lineNumber, line);
      if (seen.has(name)) fail('EALREADY', name);
      seen.add(name);
      if (hasSpaces(name)) throw new AclStartupError('Spaces not allowed in ACL usernames');
      const merged = mergeSelectorArgs(rules);
      if ('unclosedAt' in merged) throw new ConfigError(`Unmatched parenthesis in acl selector starting at '${rules[merged.unclosedAt]}'.`, lineNumber, line);
      let user = this.users.get(name);
      if (user === undefined) {
        user = this.newUser(name);
        this.users.set(name, user);
      } else {
        user.apply('reset');
      }
      for (const rule of merged.merged) {
        const error = user.apply(rule);
        if (error !== null) fail(error, rule);
      }
      if (!user.enabled) {
        this.server.log.info(`The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`);
      }
    }
    if (aclfile !== '') {
      const errors = this.loadFile(aclfile);
      if (errors !== null) throw new AclStartupError(`Aborting Redis startup because of ACL errors: ${errors}`);
    }
  }

  // ---- permission checks (dispatch)

  /** The denial for `client` running `argv` as `command`, or null when allowed. */
  check(client: Client, command: CommandEntry, argv: readonly Buffer[]): Denial | null {
    const user = client.aclUser;
    const root = user.root;
    // The common case, a user allowed everything, costs three field reads.
    if (user.selectors.length === 1 && root.allCommands && root.allKeys && root.allChannels) return null;
    return checkCommand(user, command, argv, command.fullName.includes('|'));
  }

  /** Record a refused command in ACL LOG and return the -NOPERM reply (Redis's processCommand). */
  refuse(client: Client, command: CommandEntry, argv: readonly Buffer[], denial: Denial): string {
    const object = denial.reason === 'command' ? command.fullName : argv[denial.pos]!.toString('latin1');
    this.addLogEntry(client, denial.reason, object, client.aclUser.name);
    return `NOPERM ${denialMessage(denial, client.aclUser.name, command.fullName, argv, false)}`;
  }

  /**
   * EXEC runs each queued command only if the user may still run it (Redis's execCommand); else
   * the command's reply is this error, logged with context "multi".
   */
  recheckInExec(client: Client, command: CommandEntry, argv: readonly Buffer[]): string | null {
    const denial = this.check(client, command, argv);
    if (denial === null) return null;
    const object = denial.reason === 'command' ? command.fullName : argv[denial.pos]!.toString('latin1');
    this.addLogEntry(client, denial.reason, object, client.aclUser.name, 'multi');
    return `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${EXEC_REASONS[denial.reason]}`;
  }

  private addLogEntry(
    client: Client,
    reason: AclLogEntry['reason'],
    object: string,
    username: string,
    context: AclLogEntry['context'] = client.transaction.active ? 'multi' : 'toplevel',
  ): void {
    if (reason === 'auth') this.stats.auth++;
    else this.stats[reason === 'command' ? 'cmd' : reason]++;
    this.log.add({ reason, context, object, username, clientInfo: client.describe() }, Date.now());
  }

  // ---- AclApi

  authenticate(api: ClientApi, username: Buffer, password: Buffer, commandName: Buffer): boolean {
    const client = this.server.clientById(api.id);
    const name = username.toString('latin1');
    const user = this.users.get(name);
    if (client === undefined) return false;
    if (user === undefined || !user.acceptsPassword(password.toString('latin1'))) {
      this.addLogEntry(client, 'auth', commandName.toString('latin1'), name);
      return false;
    }
    client.login(user);
    return true;
  }

  defaultUserHasNoPassword(): boolean {
    return this.defaultUser.nopass;
  }

  /** Whether new connections must authenticate (Redis's authRequired for the default user). */
  defaultUserRequiresAuth(): boolean {
    return !this.defaultUser.nopass || !this.defaultUser.enabled;
  }

  hasUser(name: string): boolean {
    return this.users.has(name);
  }

  getUserObject(name: string): AclUser | undefined {
    return this.users.get(name);
  }

  userNames(): string[] {
    return [...this.users.keys()].sort(compareBytes);
  }

  describeUsers(): string[] {
    return this.userNames().map((name) => `user ${name} ${this.users.get(name)!.describe()}`);
  }

  getUser(name: string): AclUserInfo | null {
    const user = this.users.get(name);
    if (user === undefined) return null;
    const info = (s: Selector): AclSelectorInfo => ({ commands: s.describeCommands(), keys: s.describeKeys(), channels: s.describeChannels() });
    return { flags: user.flags(), passwords: [...user.passwords], root: info(user.root), selectors: user.selectors.slice(1).map(info) };
  }

  setUser(name: string, rules: readonly string[]): string | null {
    if (hasSpaces(name)) return "ERR Usernames can't contain spaces or null characters";
    const merged = mergeSelectorArgs(rules);
    if ('unclosedAt' in merged) return `ERR Unmatched parenthesis in acl selector starting at '${rules[merged.unclosedAt]}'.`;
    const existing = this.users.get(name);
    // Changes are staged on a copy: one bad rule leaves the user as it was.
    const staged = existing?.clone() ?? this.newUser(name);
    for (const rule of merged.merged) {
      const error = staged.apply(rule);
      if (error !== null) return `ERR Error in ACL SETUSER modifier '${rule}': ${ruleErrorText(error)}`.replace(/[\r\n]/g, ' ');
    }
    if (existing === undefined) this.users.set(name, staged);
    else {
      this.closeSubscribersLosingChannels(existing, staged);
      existing.copyFrom(staged);
    }
    return null;
  }

  /**
   * Redis's ACLKillPubsubClientsIfNeeded: when new rules take channels away from a user, its
   * connections subscribed to a channel, pattern or shard channel no longer allowed are closed.
   */
  private closeSubscribersLosingChannels(original: AclUser, updated: AclUser): void {
    if (updated.selectors.some((s) => s.allChannels)) return;
    const upcoming = updated.selectors.flatMap((s) => s.channels);
    const kept = original.selectors.every((s) => !s.allChannels && s.channels.every((c) => upcoming.includes(c)));
    if (kept) return;
    const allowed = (name: string, isPattern: boolean) => upcoming.some((p) => (isPattern ? p === name : globMatch(p, name)));
    for (const client of [...this.server.clients()]) {
      if (client.aclUser !== original || client.subscriptions + client.patternSubscriptions + client.shardSubscriptions === 0) continue;
      const pubsub = this.server.pubsub;
      const revoked =
        pubsub.subscriptionsOf(client, 'pattern').some((p) => !allowed(p, true)) ||
        pubsub.subscriptionsOf(client, 'channel').some((c) => !allowed(c, false)) ||
        pubsub.subscriptionsOf(client, 'shard').some((c) => !allowed(c, false));
      if (revoked) client.closeNow();
    }
  }

  deleteUsers(names: readonly string[]): number {
    let deleted = 0;
    for (const name of names) {
      const user = this.users.get(name);
      if (user === undefined || name === 'default') continue;
      this.users.delete(name);
      this.logOutClientsOf(user);
      deleted++;
    }
    return deleted;
  }

  /** Redis's ACLFreeUserAndKillClients: a removed user's connections close (after this reply for the caller). */
  private logOutClientsOf(user: AclUser): void {
    for (const client of [...this.server.clients()]) {
      if (client.aclUser !== user) continue;
      client.logout(this.defaultUser);
      // The connection running this very command (ACL DELUSER of itself) gets its reply first.
      if (client.currentArgv.length > 0) client.closeAfterReply();
      else client.closeNow();
    }
  }

  logEntries(count: number, nowMs: number): AclLogEntry[] {
    return this.log.latest(count, nowMs);
  }

  resetLog(): void {
    this.log.reset();
  }

  load(): string | null {
    const aclfile = this.server.config.get('aclfile');
    if (aclfile === '') return NO_ACL_FILE;
    const errors = this.loadFile(aclfile);
    return errors === null ? null : `ERR ${errors}`;
  }

  save(): string | null {
    const aclfile = this.server.config.get('aclfile');
    if (aclfile === '') return NO_ACL_FILE;
    const text = this.describeUsers().map((line) => `${line}\n`).join('');
    const tmp = `${aclfile}.tmp-${process.pid}-${Date.now()}`;
    let step = 'Opening temp ACL file for ACL SAVE';
    try {
      const fd = openSync(tmp, 'w', 0o644);
      try {
        step = 'Writing ACL file for ACL SAVE';
        writeSync(fd, Buffer.from(text, 'latin1'));
        step = 'Syncing ACL file for ACL SAVE';
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      step = 'Renaming ACL file for ACL SAVE';
      renameSync(tmp, aclfile);
      step = 'Syncing ACL directory for ACL SAVE';
      syncDirectory(dirname(aclfile));
      return null;
    } catch (err) {
      this.server.log.warn(`${step}: ${strerror(err as Error)}`);
      try {
        unlinkSync(tmp);
      } catch {
        // Already gone or never created.
      }
      return SAVE_FAILED;
    }
  }

  /**
   * Redis's ACLLoadFromFile: every line must be "user <name> <rules>"; any error leaves the users as
   * they were and returns every problem found, on one line. On success the new users replace the
   * old ones (the default user keeps its identity) and connections of the old users are closed.
   */
  private loadFile(path: string): string | null {
    let text: string;
    try {
      text = readFileSync(path, 'latin1');
    } catch (err) {
      return `Error loading ACLs, opening file '${path}': ${strerror(err as Error)}`;
    }
    const configured = this.server.config.get('aclfile');
    let errors = '';
    const loaded = new Map<string, AclUser>();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
      const lineNumber = i + 1;
      if (line === '') continue;
      const args = line.split(' ').filter((a) => a !== '');
      if (args.length === 0) continue;
      if (args[0] !== 'user' || args.length < 2) {
        errors += `${configured}:${lineNumber} should start with user keyword followed by the username. `;
        continue;
      }
      const name = args[1]!;
      if (loaded.has(name)) {
        errors += `WARNING: Duplicate user '${name}' found on line ${lineNumber}. `;
        continue;
      }
      const user = this.newUser(name);
      loaded.set(name, user);
      const merged = mergeSelectorArgs(args.slice(2));
      if ('unclosedAt' in merged) {
        errors += `${configured}:${lineNumber}: Unmatched parenthesis in selector definition.`;
        continue;
      }
      let syntaxError = false;
      for (const rule of merged.merged) {
        const error = user.apply(rule);
        if (error === null) continue;
        if (error === 'ENOENT') {
          errors += `${configured}:${lineNumber}: Error in applying operation '${rule}': ${ruleErrorText(error)}. `;
        } else if (!syntaxError) {
          errors += `${configured}:${lineNumber}: ${ruleErrorText(error)}. `;
          syntaxError = true;
        }
      }
    }
    if (errors !== '') return `${errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
    const previous = this.users;
    const newDefault = loaded.get('default') ?? this.newDefaultUser();
    this.defaultUser.copyFrom(newDefault);
    loaded.set('default', this.defaultUser);
    this.users = loaded;
    for (const [name, user] of previous) {
      if (name !== 'default') this.logOutClientsOf(user);
    }
    return null;
  }

  dryRun(username: string, line: readonly Buffer[]): { ok: true } | { denied: string } | { error: string } {
    const user = this.users.get(username);
    if (user === undefined) return { error: `ERR User '${username}' not found` };
    let command = this.server.commands.get(line[0]!.toString('latin1').toLowerCase());
    if (command !== undefined && command.subcommands !== null && line.length >= 2) {
      command = command.subcommands.get(line[1]!.toString('latin1').toLowerCase());
    }
    if (command === undefined) return { error: `ERR Command '${line[0]!.toString('latin1')}' not found` };
    const arity = command.spec.arity;
    if ((arity > 0 && arity !== line.length) || line.length < -arity) {
      return { error: `ERR wrong number of arguments for '${command.fullName}' command` };
    }
    const denial = checkCommand(user, command, line, command.fullName.includes('|'));
    if (denial === null) return { ok: true };
    return { denied: denialMessage(denial, user.name, command.fullName, line, true) };
  }

  allowsChannel(api: ClientApi, channel: string, isPattern: boolean): boolean {
    const client = this.server.clientById(api.id);
    return userAllowsChannel(client?.aclUser ?? this.defaultUser, channel, isPattern);
  }
}

/** Redis keeps users in a radix tree: byte order, not locale order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
