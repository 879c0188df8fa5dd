// Configuration: redis.conf syntax (quoted arguments, include, "--name value" on the command line)
// over a table of the directives Sluice supports. The same table serves CONFIG GET/SET/REWRITE, so a
// directive is declared once with its type, default and whether it can change at run time.

import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve, dirname } from 'node:path';
import { globMatch, parseInt64 } from '../commands/args';
import { ERR } from '../commands/errors';
import { renameCommand } from '../commands/table';
import { mergeOutputLimits } from './output-limits';
import { splitInlineArgs } from './resp/inline';

type Kind = 'string' | 'int' | 'bool' | 'memory' | 'enum' | 'special';

interface DirectiveSpec {
  readonly name: string;
  readonly kind: Kind;
  readonly default: string;
  /** Allowed values for 'enum'. */
  readonly values?: readonly string[];
  /** Inclusive bounds for 'int' and 'memory'. */
  readonly min?: number | bigint;
  readonly max?: number | bigint;
  /** Whether CONFIG SET may change it. */
  readonly mutable: boolean;
  /**
   * Redis's PROTECTED_CONFIG: CONFIG SET refuses it unless enable-protected-configs allows it
   * (Sluice keeps that directive at Redis's default, "no").
   */
  readonly protected?: boolean;
  /** Other names accepted for it (Redis keeps old names such as slaveof). */
  readonly aliases?: readonly string[];
  /** Accepts several arguments (e.g. save, client-output-buffer-limit). */
  readonly multiArg?: boolean;
  /** May appear several times in a file; values accumulate (e.g. save, rename-command). */
  readonly repeatable?: boolean;
  /** How CONFIG GET and CONFIG REWRITE show a stored value, when not as stored. */
  readonly show?: (stored: string) => string;
  /** Normalise and validate a value (given the current one); return an error text on bad input. */
  readonly check?: (value: string, current: string) => { value: string } | { error: string };
}

const GIB = 1024 * 1024 * 1024;
const MIB = 1024 * 1024;
/** Redis's LLONG_MAX, the upper bound of its 64-bit directives. */
const LLONG_MAX = 9223372036854775807n;

/** Every directive Sluice understands. Keep redis.conf.example in step with this table. */
export const DIRECTIVES: readonly DirectiveSpec[] = [
  { name: 'bind', kind: 'special', default: '127.0.0.1 -::1', mutable: true, multiArg: true, check: checkBind },
  { name: 'port', kind: 'int', default: '6379', min: 0, max: 65535, mutable: true },
  { name: 'protected-mode', kind: 'bool', default: 'yes', mutable: true },
  { name: 'tcp-backlog', kind: 'int', default: '511', min: 0, max: 65535, mutable: false },
  { name: 'timeout', kind: 'int', default: '0', min: 0, max: 2147483647, mutable: true },
  { name: 'tcp-keepalive', kind: 'int', default: '300', min: 0, max: 2147483647, mutable: true },
  { name: 'daemonize', kind: 'bool', default: 'no', mutable: false },
  { name: 'pidfile', kind: 'string', default: '', mutable: false },
  { name: 'loglevel', kind: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning', 'nothing'], mutable: true },
  { name: 'logfile', kind: 'string', default: '', mutable: false },
  { name: 'databases', kind: 'int', default: '16', min: 1, max: 2147483647, mutable: false },
  { name: 'dir', kind: 'string', default: './data', mutable: true, protected: true },
  { name: 'dbfilename', kind: 'string', default: 'dump.rdb', mutable: true, protected: true },
  { name: 'requirepass', kind: 'string', default: '', mutable: true },
  /** The ACL file (ACL LOAD / ACL SAVE); '' for users from `user` lines instead. */
  { name: 'aclfile', kind: 'string', default: '', mutable: false },
  { name: 'acllog-max-len', kind: 'int', default: '128', min: 0, max: LLONG_MAX, mutable: true },
  { name: 'acl-pubsub-default', kind: 'enum', default: 'resetchannels', values: ['allchannels', 'resetchannels'], mutable: true },
  { name: 'maxclients', kind: 'int', default: '10000', min: 1, max: 4294967295, mutable: true },
  { name: 'maxmemory', kind: 'memory', default: '0', min: 0, mutable: true },
  {
    name: 'maxmemory-policy',
    kind: 'enum',
    default: 'noeviction',
    values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
    mutable: true,
  },
  /** The LFU counter's logarithm base factor and its decay period in minutes (storage/lfu.ts). */
  { name: 'lfu-log-factor', kind: 'int', default: '10', min: 0, max: 2147483647, mutable: true },
  { name: 'lfu-decay-time', kind: 'int', default: '1', min: 0, max: 2147483647, mutable: true },
  { name: 'proto-max-bulk-len', kind: 'memory', default: String(512 * MIB), min: 1024 * 1024, max: LLONG_MAX, mutable: true },
  { name: 'client-query-buffer-limit', kind: 'memory', default: String(GIB), min: 1024 * 1024, max: LLONG_MAX, mutable: true },
  { name: 'appendonly', kind: 'bool', default: 'yes', mutable: true },
  { name: 'appendfsync', kind: 'enum', default: 'everysec', values: ['everysec', 'always', 'no'], mutable: true },
  { name: 'appendfilename', kind: 'string', default: 'appendonly.aof', mutable: false },
  { name: 'appenddirname', kind: 'string', default: 'log', mutable: false },
  /** Sluice's own: a new log segment once the active one would pass this size. */
  { name: 'segment-bytes', kind: 'memory', default: String(64 * MIB), min: 1024, max: 2 ** 48, mutable: false },
  { name: 'auto-aof-rewrite-percentage', kind: 'int', default: '100', min: 0, max: 2147483647, mutable: true },
  { name: 'auto-aof-rewrite-min-size', kind: 'memory', default: String(64 * MIB), min: 0, max: LLONG_MAX, mutable: true },
  { name: 'repl-backlog-size', kind: 'memory', default: String(MIB), min: 1, max: LLONG_MAX, mutable: true },
  { name: 'save', kind: 'special', default: '3600 1 300 100 60 10000', mutable: true, multiArg: true, repeatable: true, check: checkSave },
  { name: 'slowlog-log-slower-than', kind: 'int', default: '10000', min: -1, max: LLONG_MAX, mutable: true },
  { name: 'slowlog-max-len', kind: 'int', default: '128', min: 0, max: LLONG_MAX, mutable: true },
  { name: 'latency-monitor-threshold', kind: 'int', default: '0', min: 0, max: LLONG_MAX, mutable: true },
  { name: 'hz', kind: 'int', default: '10', min: 0, max: 2147483647, mutable: true, check: clampHz },
  /** Per client class: hard limit, soft limit, soft seconds (server/output-limits.ts); a value given changes only the classes it names. */
  {
    name: 'client-output-buffer-limit',
    kind: 'special',
    default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
    mutable: true,
    multiArg: true,
    check: (raw, current) => mergeOutputLimits(current, raw),
  },
  { name: 'notify-keyspace-events', kind: 'special', default: '', mutable: true, check: checkKeyspaceEvents, show: showKeyspaceEvents },
  { name: 'lazyfree-lazy-user-flush', kind: 'bool', default: 'no', mutable: true },
  { name: 'enable-protected-configs', kind: 'enum', default: 'no', values: ['yes', 'no', 'local'], mutable: false },
  { name: 'enable-debug-command', kind: 'enum', default: 'no', values: ['yes', 'no', 'local'], mutable: false },
  { name: 'active-expire-effort', kind: 'int', default: '1', min: 1, max: 10, mutable: true },
  /** Largest list node: -1..-5 a size limit of 4..64 KiB, a positive number a count of elements. */
  {
    name: 'list-max-listpack-size',
    kind: 'int',
    default: '-2',
    min: -2147483648,
    max: 2147483647,
    mutable: true,
    aliases: ['list-max-ziplist-size'],
  },
  // TLS (server/tls.ts). tls-port 0: no TLS listener. Certificates and keys are PEM files, read
  // at start and again when CONFIG SET changes any TLS directive (a bad set is refused whole).
  { name: 'tls-port', kind: 'int', default: '0', min: 0, max: 65535, mutable: true },
  { name: 'tls-cert-file', kind: 'string', default: '', mutable: true },
  { name: 'tls-key-file', kind: 'string', default: '', mutable: true },
  { name: 'tls-key-file-pass', kind: 'string', default: '', mutable: true },
  { name: 'tls-ca-cert-file', kind: 'string', default: '', mutable: true },
  { name: 'tls-ca-cert-dir', kind: 'string', default: '', mutable: true },
  { name: 'tls-dh-params-file', kind: 'string', default: '', mutable: true },
  { name: 'tls-auth-clients', kind: 'enum', default: 'yes', values: ['no', 'yes', 'optional'], mutable: true },
  { name: 'tls-protocols', kind: 'string', default: '', mutable: true },
  { name: 'tls-ciphers', kind: 'string', default: '', mutable: true },
  { name: 'tls-ciphersuites', kind: 'string', default: '', mutable: true },
  { name: 'tls-prefer-server-ciphers', kind: 'bool', default: 'no', mutable: true },
  { name: 'tls-session-caching', kind: 'bool', default: 'yes', mutable: true },
  { name: 'tls-session-cache-timeout', kind: 'int', default: '300', min: 0, max: 2147483647, mutable: true },
  { name: 'replica-read-only', kind: 'bool', default: 'yes', mutable: true, aliases: ['slave-read-only'] },
  /** Largest stream node (block) in bytes as Redis's listpack would weigh it; 0: no byte limit. */
  { name: 'stream-node-max-bytes', kind: 'memory', default: '4096', min: 0, max: LLONG_MAX, mutable: true },
  /** Most entries in a stream node (block), deleted ones included; 0: no count limit. */
  { name: 'stream-node-max-entries', kind: 'int', default: '100', min: 0, max: LLONG_MAX, mutable: true },
  /** Redis 8.6: IDMP-DURATION (seconds) a new stream starts with (XCFGSET changes a stream's own). */
  { name: 'stream-idmp-duration', kind: 'int', default: '100', min: 1, max: 86400, mutable: true },
  /** Redis 8.6: IDMP-MAXSIZE (iids kept per producer) a new stream starts with. */
  { name: 'stream-idmp-maxsize', kind: 'int', default: '100', min: 1, max: 10000, mutable: true },
  // Replication (server/replication). replicaof changes at run time through REPLICAOF only.
  { name: 'replicaof', kind: 'special', default: '', mutable: false, multiArg: true, aliases: ['slaveof'], check: checkReplicaOf },
  { name: 'masterauth', kind: 'string', default: '', mutable: true },
  { name: 'masteruser', kind: 'string', default: '', mutable: true },
  { name: 'replica-serve-stale-data', kind: 'bool', default: 'yes', mutable: true, aliases: ['slave-serve-stale-data'] },
  { name: 'replica-priority', kind: 'int', default: '100', min: 0, max: 2147483647, mutable: true, aliases: ['slave-priority'] },
  { name: 'replica-announced', kind: 'bool', default: 'yes', mutable: true },
  { name: 'replica-announce-ip', kind: 'string', default: '', mutable: true, aliases: ['slave-announce-ip'] },
  { name: 'replica-announce-port', kind: 'int', default: '0', min: 0, max: 65535, mutable: true, aliases: ['slave-announce-port'] },
  { name: 'repl-timeout', kind: 'int', default: '60', min: 1, max: 2147483647, mutable: true },
  { name: 'min-replicas-to-write', kind: 'int', default: '0', min: 0, max: 2147483647, mutable: true, aliases: ['min-slaves-to-write'] },
  { name: 'min-replicas-max-lag', kind: 'int', default: '10', min: 0, max: 2147483647, mutable: true, aliases: ['min-slaves-max-lag'] },
];

const BY_NAME = new Map<string, DirectiveSpec>();
for (const d of DIRECTIVES) {
  BY_NAME.set(d.name, d);
  for (const alias of d.aliases ?? []) BY_NAME.set(alias, d);
}

/** A config file problem, reported as Redis does: the line number, the line and the reason. */
export class ConfigError extends Error {
  constructor(
    readonly reason: string,
    readonly lineNumber?: number,
    readonly line?: string,
  ) {
    super(reason);
  }

  /** Redis's "*** FATAL CONFIG FILE ERROR ***" report. */
  report(): string {
    if (this.lineNumber === undefined) return `*** FATAL CONFIG FILE ERROR (Sluice) ***\n${this.reason}`;
    return [
      '*** FATAL CONFIG FILE ERROR (Sluice) ***',
      `Reading the configuration file, at line ${this.lineNumber}`,
      `>>> '${this.line ?? ''}'`,
      this.reason,
    ].join('\n');
  }
}

/** A `user <name> <rules...>` line of the config file, kept for the ACL to load at start-up. */
export interface UserLine {
  /** The username, then the rules, as split on the line (latin1). */
  readonly args: readonly string[];
  readonly lineNumber: number;
  readonly line: string;
}

export class Config {
  private readonly values = new Map<string, string>();
  /**
   * getInt/getBool answers by the name asked for, so that commands reading a directive per call
   * (list-max-listpack-size, min-replicas-to-write...) neither resolve aliases nor parse text each
   * time. Emptied whenever any value changes.
   */
  private readonly parsed = new Map<string, number | boolean>();
  /** `user` lines in file order (Redis's UsersToLoad); server/acl applies them. */
  readonly users: UserLine[] = [];
  /**
   * CONFIG REWRITE's "user" lines: every ACL user, or none when they live in an aclfile (Redis's
   * rewriteConfigUserOption). Set by server/acl.
   */
  rewriteUsers: () => string[] = () => [];
  /** Absolute path of the config file, for CONFIG REWRITE (null when started without one). */
  configFile: string | null = null;
  /** Called after a run-time change, by directive name. */
  private readonly watchers = new Map<string, Array<(value: string) => void>>();
  /** Called before a run-time change, by directive name; may refuse it (see guard). */
  private readonly guards = new Map<string, (value: string) => string | null>();
  private readonly groupGuards: Array<{ names: ReadonlySet<string>; fn: (valueOf: (name: string) => string) => string | null }> = [];

  constructor() {
    for (const d of DIRECTIVES) this.values.set(d.name, d.default);
  }

  /** Build a config from the command line: [config-file] [--name value ...]. */
  static fromArgs(args: readonly string[]): Config {
    const config = new Config();
    let rest = args;
    if (rest.length > 0 && !rest[0]!.startsWith('--')) {
      const path = resolve(rest[0]!);
      config.configFile = path;
      config.loadText(readFileSync(path, 'utf8'), dirname(path), new Set([path]));
      rest = rest.slice(1);
    }
    // "--port 7000 --save 900 1" becomes the lines "port 7000" and "save 900 1", as in Redis.
    const lines: string[] = [];
    for (const arg of rest) {
      if (arg.startsWith('--')) lines.push(arg.slice(2));
      else if (lines.length === 0) throw new ConfigError(`Invalid argument '${arg}'`);
      else lines[lines.length - 1] += ' ' + quoteArg(arg);
    }
    config.loadText(lines.join('\n'), process.cwd(), new Set());
    // Redis chdirs into `dir` at start-up and CONFIG GET dir shows the absolute path; relative
    // paths count from where the server was started, as there.
    config.values.set('dir', resolve(config.values.get('dir')!));
    return config;
  }

  /** Read redis.conf text; `seen` guards against include loops. */
  loadText(text: string, baseDir: string, seen: Set<string>): void {
    const repeated = new Set<string>();
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '' || line.startsWith('#')) continue;
      const argv = splitInlineArgs(Buffer.from(line, 'latin1'));
      if (argv === null) throw new ConfigError('Unbalanced quotes in configuration line', i + 1, line);
      if (argv.length === 0) continue;
      const name = argv[0]!.toString('latin1').toLowerCase();
      const args = argv.slice(1).map((a) => a.toString('latin1'));
      if (name === 'include') {
        if (args.length !== 1) throw new ConfigError('Bad directive or wrong number of arguments', i + 1, line);
        const path = resolve(baseDir, args[0]!);
        if (seen.has(path)) throw new ConfigError(`Config file included twice: ${path}`, i + 1, line);
        let included: string;
        try {
          included = readFileSync(path, 'utf8');
        } catch (err) {
          throw new ConfigError(`Can't open the included file ${path}: ${(err as Error).message}`, i + 1, line);
        }
        seen.add(path);
        this.loadText(included, dirname(path), seen);
        continue;
      }
      if (name === 'rename-command') {
        if (args.length !== 2) throw new ConfigError('Bad directive or wrong number of arguments', i + 1, line);
        const error = renameCommand(args[0]!, args[1]!);
        if (error !== null) throw new ConfigError(error, i + 1, line);
        continue;
      }
      if (name === 'user' && args.length >= 1) {
        this.users.push({ args, lineNumber: i + 1, line });
        continue;
      }
      const spec = BY_NAME.get(name);
      if (spec === undefined || (args.length !== 1 && spec.multiArg !== true)) {
        throw new ConfigError('Bad directive or wrong number of arguments', i + 1, line);
      }
      let value = args.join(' ');
      if (spec.repeatable === true && repeated.has(spec.name) && value !== '') {
        value = `${this.values.get(spec.name)} ${value}`;
      }
      repeated.add(spec.name);
      const result = normalise(spec, value, this.values.get(spec.name)!);
      if ('error' in result) throw new ConfigError(result.error, i + 1, line);
      this.values.set(spec.name, result.value);
      this.parsed.clear();
    }
  }

  get(name: string): string {
    const spec = BY_NAME.get(name);
    if (spec === undefined) throw new Error(`unknown directive ${name}`);
    return this.values.get(spec.name)!;
  }

  /** Record a value changed by a command rather than CONFIG SET (REPLICAOF's replicaof), for CONFIG GET and REWRITE. */
  record(name: string, value: string): void {
    const spec = BY_NAME.get(name);
    if (spec === undefined) throw new Error(`unknown directive ${name}`);
    this.values.set(spec.name, value);
    this.parsed.clear();
  }

  getInt(name: string): number {
    let value = this.parsed.get(name);
    if (typeof value !== 'number') {
      value = Number(this.get(name));
      this.parsed.set(name, value);
    }
    return value;
  }

  getBool(name: string): boolean {
    let value = this.parsed.get(name);
    if (typeof value !== 'boolean') {
      value = this.get(name) === 'yes';
      this.parsed.set(name, value);
    }
    return value;
  }

  /** Be told when a directive changes at run time. */
  watch(name: string, fn: (value: string) => void): void {
    const list = this.watchers.get(name) ?? [];
    list.push(fn);
    this.watchers.set(name, list);
  }

  /**
   * Carry out a run-time change before it is recorded, or refuse it with a reason (Redis's apply
   * functions: CONFIG SET appendonly yes must write a snapshot first). Called by CONFIG SET only
   * when the value changes; a refusal leaves every value of that CONFIG SET unchanged.
   */
  guard(name: string, fn: (value: string) => string | null): void {
    this.guards.set(name, fn);
  }

  /**
   * A guard over several directives that only make sense together (a TLS certificate and its key):
   * called once per CONFIG SET that changes any of them, with a getter that sees the values the
   * CONFIG SET would leave, so that setting a new certificate and key together is one change.
   */
  guardTogether(names: readonly string[], fn: (valueOf: (name: string) => string) => string | null): void {
    this.groupGuards.push({ names: new Set(names), fn });
  }

  /**
   * CONFIG GET: every directive (and alias) matching any of the patterns, once each. A name
   * without glob characters is answered with the caller's own spelling ("PORT"), as Redis does.
   */
  match(patterns: readonly string[]): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (const pattern of patterns) {
      if (!/[*?[]/.test(pattern)) {
        const lower = pattern.toLowerCase();
        const exact = BY_NAME.get(lower);
        if (exact !== undefined && !seen.has(lower)) {
          seen.add(lower);
          out.push([pattern, shown(exact, this.values.get(exact.name)!)]);
        }
        continue;
      }
      for (const [name, spec] of BY_NAME) {
        if (seen.has(name) || !globMatch(pattern, name, true)) continue;
        seen.add(name);
        out.push([name, shown(spec, this.values.get(spec.name)!)]);
      }
    }
    return out;
  }

  /**
   * CONFIG SET of several pairs at once: all are checked before any is applied, in Redis's order
   * (the names first: unknown, immutable, protected or repeated, the first such one in argument
   * order; then the values). Returns the error text, or null when everything was applied.
   */
  setMany(pairs: ReadonlyArray<readonly [string, string]>, protectedAllowed = false): string | null {
    const specs: DirectiveSpec[] = [];
    const names = new Set<string>();
    for (const [rawName] of pairs) {
      const name = rawName.toLowerCase();
      const spec = BY_NAME.get(name);
      if (spec === undefined) return ERR.configUnknown(rawName);
      if (!spec.mutable) return ERR.configSetFailed(rawName, "can't set immutable config");
      if (spec.protected === true && !protectedAllowed) return ERR.configSetFailed(rawName, "can't set protected config");
      // Repeating a name is refused; a name and its alias are not a repeat (Redis 7.0 behaves so).
      if (names.has(name)) return ERR.configSetFailed(rawName, 'duplicate parameter');
      names.add(name);
      specs.push(spec);
    }
    const planned: Array<[DirectiveSpec, string]> = [];
    for (let i = 0; i < pairs.length; i++) {
      const [rawName, rawValue] = pairs[i]!;
      const result = normalise(specs[i]!, rawValue, this.values.get(specs[i]!.name)!);
      if ('error' in result) return ERR.configSetFailed(rawName, result.error);
      planned.push([specs[i]!, result.value]);
    }
    for (const [i, [spec, value]] of planned.entries()) {
      const guard = this.guards.get(spec.name);
      if (guard === undefined || this.values.get(spec.name) === value) continue;
      const refusal = guard(value);
      if (refusal !== null) return ERR.configSetFailed(pairs[i]![0], refusal);
    }
    for (const group of this.groupGuards) {
      const changed = planned.findIndex(([spec, value]) => group.names.has(spec.name) && this.values.get(spec.name) !== value);
      if (changed < 0) continue;
      const after = new Map(planned.map(([spec, value]) => [spec.name, value]));
      const refusal = group.fn((name) => after.get(name) ?? this.get(name));
      if (refusal !== null) return ERR.configSetFailed(pairs[changed]![0], refusal);
    }
    for (const [spec, value] of planned) {
      this.values.set(spec.name, value);
      this.parsed.clear();
      for (const fn of this.watchers.get(spec.name) ?? []) fn(value);
    }
    return null;
  }

  /** CONFIG REWRITE: write the current non-default values into the config file, atomically. */
  rewrite(): string | null {
    if (this.configFile === null) return ERR.configNoFile;
    let existing: string[] = [];
    try {
      existing = readFileSync(this.configFile, 'utf8').split('\n');
    } catch {
      existing = [];
    }
    const written = new Set<string>();
    const out: string[] = [];
    const users = this.rewriteUsers();
    let usersWritten = false;
    for (const raw of existing) {
      const argv = splitInlineArgs(Buffer.from(raw.trim(), 'latin1'));
      const name = argv !== null && argv.length > 0 ? argv[0]!.toString('latin1').toLowerCase() : '';
      // The users replace the first "user" line of the file; the other ones go.
      if (name === 'user') {
        if (!usersWritten) out.push(...users);
        usersWritten = true;
        continue;
      }
      const spec = BY_NAME.get(name);
      if (spec === undefined) {
        out.push(raw);
        continue;
      }
      if (written.has(spec.name)) continue;
      written.add(spec.name);
      // A master's file keeps no replicaof line (Redis's rewriteConfigReplicaOfOption).
      if (spec.name === 'replicaof' && this.values.get(spec.name) === '') continue;
      out.push(`${spec.name} ${formatForFile(spec, shown(spec, this.values.get(spec.name)!))}`);
    }
    const added: string[] = [];
    for (const spec of DIRECTIVES) {
      if (written.has(spec.name)) continue;
      const value = this.values.get(spec.name)!;
      if (value === spec.default) continue;
      added.push(`${spec.name} ${formatForFile(spec, shown(spec, value))}`);
    }
    if (!usersWritten) added.push(...users);
    if (added.length > 0) out.push('# Generated by CONFIG REWRITE', ...added);
    const tmp = `${this.configFile}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, out.join('\n').replace(/\n*$/, '\n'));
      renameSync(tmp, this.configFile);
    } catch (err) {
      return `ERR Rewriting config file: ${(err as Error).message}`;
    }
    return null;
  }
}

function shown(spec: DirectiveSpec, stored: string): string {
  return spec.show === undefined ? stored : spec.show(stored);
}

function formatForFile(spec: DirectiveSpec, value: string): string {
  if (spec.multiArg === true) return value === '' ? '""' : value;
  if (spec.kind === 'memory') return formatMemory(BigInt(value));
  return quoteArg(value);
}

/** Redis's rewriteConfigFormatMemory: the largest binary unit that divides the value exactly. */
function formatMemory(bytes: bigint): string {
  const units: Array<[string, bigint]> = [['gb', BigInt(GIB)], ['mb', BigInt(MIB)], ['kb', 1024n]];
  for (const [unit, size] of units) if (bytes !== 0n && bytes % size === 0n) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** Quote a value for a config line when it needs it. */
function quoteArg(value: string): string {
  if (value !== '' && !/[\s"'\\]/.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function normalise(spec: DirectiveSpec, raw: string, current: string): { value: string } | { error: string } {
  switch (spec.kind) {
    case 'bool': {
      const v = raw.toLowerCase();
      if (v !== 'yes' && v !== 'no') return { error: 'argument must be \'yes\' or \'no\'' };
      return { value: v };
    }
    case 'enum': {
      const v = raw.toLowerCase();
      if (!spec.values!.includes(v)) return { error: 'argument(s) must be one of the following: ' + spec.values!.join(', ') };
      return { value: v };
    }
    case 'int': {
      const parsed = parseInt64(raw);
      if (parsed === null) return { error: 'argument couldn\'t be parsed into an integer' };
      const n = BigInt(parsed);
      if (!inBounds(spec, n)) return { error: `argument must be between ${spec.min} and ${spec.max} inclusive` };
      return spec.check ? spec.check(String(n), current) : { value: String(n) };
    }
    case 'memory': {
      const n = parseMemory(raw);
      if (n === null) return { error: 'argument must be a memory value' };
      if (!inBounds(spec, n)) return { error: `argument must be between ${spec.min} and ${spec.max} inclusive` };
      return { value: String(n) };
    }
    case 'string':
      return { value: raw };
    case 'special':
      return spec.check ? spec.check(raw, current) : { value: raw };
  }
}

/** Redis's memory units: 1k = 1000, 1kb = 1024, and so on (case-insensitive). */
export function parseMemory(text: string): bigint | null {
  // Redis's memtoull: digits then an optional unit; no sign, no spaces, no fractions. No digits
  // at all reads as 0, as strtoull does.
  const m = /^(\d*)(b|k|kb|m|mb|g|gb)?$/i.exec(text);
  if (m === null) return null;
  const units: Record<string, number> = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: MIB, g: 1e9, gb: GIB };
  const unit = m[2] === undefined ? 1 : units[m[2].toLowerCase()]!;
  return BigInt(m[1] === '' ? 0 : m[1]!) * BigInt(unit);
}

function inBounds(spec: DirectiveSpec, n: bigint): boolean {
  return (spec.min === undefined || n >= BigInt(spec.min)) && (spec.max === undefined || n <= BigInt(spec.max));
}

/** bind: addresses (a leading '-' makes one optional); anything that is not one cannot be bound. */
function checkBind(raw: string): { value: string } | { error: string } {
  const addresses = raw.split(/\s+/).filter((a) => a !== '');
  for (const address of addresses) {
    const host = address.startsWith('-') ? address.slice(1) : address;
    if (host !== '*' && host !== '::*' && isIP(host) === 0) return { error: 'Failed to bind to specified addresses.' };
  }
  return { value: addresses.join(' ') };
}

/** The event classes of notify-keyspace-events, as Redis's flags. */
const KEYSPACE_EVENT_CLASSES = 'g$lshzxetdn';
/** 'A' stands for these: every class but key-miss (m) and new-key (n) events. */
const ALL_CLASSES = 'g$lshzxetd';

/**
 * notify-keyspace-events: the letters as flags, stored in Redis's order with 'A' spelled out, so
 * that an 'n' given with 'A' is kept (it is in force in Redis too) even though CONFIG GET hides it.
 */
function checkKeyspaceEvents(raw: string): { value: string } | { error: string } {
  const flags = new Set<string>();
  for (const c of raw) {
    if (c === 'A') for (const a of ALL_CLASSES) flags.add(a);
    else if (KEYSPACE_EVENT_CLASSES.includes(c) || c === 'K' || c === 'E' || c === 'm') flags.add(c);
    else return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  }
  return { value: [...KEYSPACE_EVENT_CLASSES, 'K', 'E', 'm'].filter((c) => flags.has(c)).join('') };
}

/** Redis's keyspaceEventsFlagsToString: "KEA" reads back as "AKE", and 'A' hides an 'n' given with it. */
function showKeyspaceEvents(stored: string): string {
  const all = [...ALL_CLASSES].every((c) => stored.includes(c));
  let value = all ? 'A' : [...KEYSPACE_EVENT_CLASSES].filter((c) => stored.includes(c)).join('');
  for (const c of 'KEm') if (stored.includes(c)) value += c;
  return value;
}

function checkSave(raw: string): { value: string } | { error: string } {
  const parts = raw.split(/\s+/).filter((p) => p !== '');
  if (parts.length === 0 || (parts.length === 1 && parts[0] === '')) return { value: '' };
  if (parts.length % 2 !== 0) return { error: 'Invalid save parameters' };
  for (const p of parts) if (!/^\d+$/.test(p)) return { error: 'Invalid save parameters' };
  return { value: parts.join(' ') };
}

/** replicaof: "<host> <port>" with a valid port, or nothing. */
function checkReplicaOf(raw: string): { value: string } | { error: string } {
  const parts = raw.split(/\s+/).filter((p) => p !== '');
  if (parts.length === 0) return { value: '' };
  if (parts.length === 2 && parts[0]!.toLowerCase() === 'no' && parts[1]!.toLowerCase() === 'one') return { value: '' };
  if (parts.length !== 2) return { error: 'wrong number of arguments' };
  const port = Number(parts[1]);
  if (!/^\d+$/.test(parts[1]!) || port < 0 || port > 65535) return { error: 'Invalid master port' };
  return { value: `${parts[0]} ${port}` };
}

function clampHz(raw: string): { value: string } {
  const n = Math.min(500, Math.max(1, Number(raw)));
  return { value: String(n) };
}
