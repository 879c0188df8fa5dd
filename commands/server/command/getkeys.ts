// Key extraction for COMMAND GETKEYS / GETKEYSANDFLAGS, the way Redis 7.2 does it (db.c):
// key specs first (index/keyword begin-search, range/keynum find-keys), then the command's own
// key-finding function when the specs cannot answer (invalid numkeys, "unknown" specs, flags that
// depend on the arguments), and for a spec that declares no key specs at all, its legacy range.

import { parseInt64 } from '../../args';
import { ERR } from '../../errors';
import type { CommandSpec, KeySpec, Reply } from '../../types';
import { hasKeySpecFlag, keySpecFlagNames } from './render';

/** A key found in a command line: its position in argv and the key-spec flags that apply to it. */
export interface KeyRef {
  readonly pos: number;
  /** Upper-case key-spec flag names (RW, ACCESS, ...); empty when Redis reports none. */
  readonly flags: readonly string[];
}

type NativeGetKeys = (argv: readonly Buffer[]) => KeyRef[];

/**
 * Redis's getkeys_proc functions, by full command name. Redis uses them only when the key specs fail
 * (or declare argument-dependent flags); they are kept here, beside the spec-driven search, rather
 * than in each command's spec, because they exist to mirror Redis's fallback results exactly.
 */
const NATIVE: Readonly<Record<string, NativeGetKeys>> = {
  zunionstore: (a) => genericGetKeys(1, 2, 3, 1, a),
  zinterstore: (a) => genericGetKeys(1, 2, 3, 1, a),
  zdiffstore: (a) => genericGetKeys(1, 2, 3, 1, a),
  zunion: (a) => genericGetKeys(0, 1, 2, 1, a),
  zinter: (a) => genericGetKeys(0, 1, 2, 1, a),
  zdiff: (a) => genericGetKeys(0, 1, 2, 1, a),
  zintercard: (a) => genericGetKeys(0, 1, 2, 1, a),
  sintercard: (a) => genericGetKeys(0, 1, 2, 1, a),
  eval: (a) => genericGetKeys(0, 2, 3, 1, a),
  evalsha: (a) => genericGetKeys(0, 2, 3, 1, a),
  eval_ro: (a) => genericGetKeys(0, 2, 3, 1, a),
  evalsha_ro: (a) => genericGetKeys(0, 2, 3, 1, a),
  fcall: (a) => genericGetKeys(0, 2, 3, 1, a),
  fcall_ro: (a) => genericGetKeys(0, 2, 3, 1, a),
  lmpop: (a) => genericGetKeys(0, 1, 2, 1, a),
  blmpop: (a) => genericGetKeys(0, 2, 3, 1, a),
  zmpop: (a) => genericGetKeys(0, 1, 2, 1, a),
  bzmpop: (a) => genericGetKeys(0, 2, 3, 1, a),
  sort: sortGetKeys,
  sort_ro: () => [{ pos: 1, flags: ['RO', 'ACCESS'] }],
  migrate: migrateGetKeys,
  georadius: georadiusGetKeys,
  georadiusbymember: georadiusGetKeys,
  xread: xreadGetKeys,
  xreadgroup: xreadGetKeys,
  set: setGetKeys,
  bitfield: bitfieldGetKeys,
};

function nativeFor(fullName: string): NativeGetKeys | undefined {
  return Object.prototype.hasOwnProperty.call(NATIVE, fullName) ? NATIVE[fullName] : undefined;
}

/**
 * What COMMAND GETKEYS answers for a command line (Redis's getKeysSubcommandImpl): the keys, or the
 * error text. `command` is what the line resolves to (null when it names no known command).
 */
export function keysOfCommandLine(
  command: { readonly spec: CommandSpec; readonly fullName: string } | null,
  line: readonly Buffer[],
): { readonly error: string } | { readonly keys: readonly KeyRef[] } {
  if (command === null) return { error: ERR.getkeysInvalidCommand };
  const { spec, fullName } = command;
  if (!commandHasKeys(spec, fullName)) return { error: ERR.getkeysNoKeyArguments };
  if ((spec.arity > 0 && spec.arity !== line.length) || line.length < -spec.arity) return { error: ERR.getkeysInvalidArity };
  const keys = getKeys(spec, fullName, line);
  // No keys: an error, except for commands whose keys are optional (EVAL with numkeys 0).
  if (keys.length === 0 && !spec.flags.includes('no_mandatory_keys')) return { error: ERR.getkeysInvalidArguments };
  return { keys };
}

/** The COMMAND GETKEYS (or GETKEYSANDFLAGS, `withFlags`) reply for a command line. */
export function writeGetKeysReply(
  out: Reply,
  command: { readonly spec: CommandSpec; readonly fullName: string } | null,
  line: readonly Buffer[],
  withFlags: boolean,
): void {
  const result = keysOfCommandLine(command, line);
  if ('error' in result) return out.error(result.error);
  out.array(result.keys.length);
  for (const key of result.keys) {
    if (!withFlags) {
      out.bulk(line[key.pos]!);
      continue;
    }
    out.array(2);
    out.bulk(line[key.pos]!);
    const flags = keySpecFlagNames(key.flags);
    out.set(flags.length);
    for (const flag of flags) out.simple(flag);
  }
}

/** Redis's doesCommandHaveKeys: a key-finding function, or a key spec that is a real key (not not_key). */
export function commandHasKeys(spec: CommandSpec, fullName: string): boolean {
  if (nativeFor(fullName) !== undefined) return true;
  const keySpecs = spec.keySpecs ?? [];
  if (keySpecs.length === 0) return spec.keys[0] > 0;
  return keySpecs.some((k) => !hasKeySpecFlag(k, 'NOT_KEY'));
}

/**
 * The keys of a full command line (argv[0] is the command name). An empty result is what Redis turns
 * into "Invalid arguments specified for command" (or an empty reply for no_mandatory_keys commands).
 */
export function getKeys(spec: CommandSpec, fullName: string, argv: readonly Buffer[]): KeyRef[] {
  const keySpecs = spec.keySpecs ?? [];
  const native = nativeFor(fullName);
  if (keySpecs.length === 0) return native !== undefined ? native(argv) : legacyGetKeys(spec, argv);
  const hasRealKeys = keySpecs.some((k) => !hasKeySpecFlag(k, 'NOT_KEY'));
  const variableFlags = keySpecs.some((k) => hasKeySpecFlag(k, 'VARIABLE_FLAGS'));
  // Redis trusts key specs unless their flags depend on the arguments; then only the native function knows.
  if (hasRealKeys && (!variableFlags || native === undefined)) {
    const found = keysFromSpecs(keySpecs, argv);
    if (found !== null) return found;
  }
  return native !== undefined ? native(argv) : [];
}

/** getKeysUsingKeySpecs: null when a spec cannot be applied to these arguments (Redis's -1). */
function keysFromSpecs(keySpecs: readonly KeySpec[], argv: readonly Buffer[]): KeyRef[] | null {
  const argc = argv.length;
  const keys: KeyRef[] = [];
  for (const keySpec of keySpecs) {
    if (hasKeySpecFlag(keySpec, 'NOT_KEY')) continue;
    let first = 0;
    const begin = keySpec.beginSearch;
    if (begin.type === 'index') {
      first = begin.index;
    } else if (begin.type === 'keyword') {
      first = keywordPosition(argv, begin.keyword, begin.startfrom);
      if (first === 0) continue; // keyword absent: this spec has no keys here
    } else {
      return null;
    }

    const find = keySpec.findKeys;
    let last: number;
    let step: number;
    if (find.type === 'range') {
      step = find.step;
      if (find.lastkey >= 0) last = first + find.lastkey;
      else if (find.limit === 0) last = argc + find.lastkey;
      else last = first + (Math.trunc((argc - first) / find.limit) + find.lastkey);
    } else if (find.type === 'keynum') {
      step = find.step;
      if (find.keynumidx >= argc) return null;
      const numArg = argv[first + find.keynumidx];
      const numkeys = numArg === undefined ? null : parseInt64(numArg.toString('latin1'));
      if (numkeys === null || numkeys < 0) return null;
      first += find.firstkey;
      last = first + toInt32(numkeys) - 1;
    } else {
      return null;
    }

    if (last >= argc || last < first || first >= argc) return null;
    if (step <= 0) return null; // a malformed spec would loop forever; treat it as unusable
    const flags = keySpec.flags.map((f) => f.toUpperCase());
    for (let i = first; i <= last; i += step) keys.push({ pos: i, flags });
    // An incomplete spec cannot be trusted on its own: the native function must answer.
    if (hasKeySpecFlag(keySpec, 'INCOMPLETE')) return null;
  }
  return keys;
}

/** The argument after `keyword` (position of the first key), searching as Redis does; 0 when absent. */
function keywordPosition(argv: readonly Buffer[], keyword: string, startfrom: number): number {
  const argc = argv.length;
  const start = startfrom > 0 ? startfrom : argc + startfrom;
  const end = startfrom > 0 ? argc - 1 : 1;
  const wanted = keyword.toLowerCase();
  for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (lower(argv[i]!) === wanted) return i + 1;
  }
  return 0;
}

/** getKeysUsingLegacyRangeSpec, for a spec that declares legacy positions but no key specs. */
function legacyGetKeys(spec: CommandSpec, argv: readonly Buffer[]): KeyRef[] {
  const [first, lastDeclared, step] = spec.keys;
  if (first <= 0 || step <= 0) return [];
  const argc = argv.length;
  const last = lastDeclared < 0 ? argc + lastDeclared : lastDeclared;
  const keys: KeyRef[] = [];
  for (let j = first; j <= last; j += step) {
    if (j >= argc) return [];
    keys.push({ pos: j, flags: [] });
  }
  return keys;
}

/** Redis's (int) cast of a parsed long long: keeps the low 32 bits, signed. */
function toInt32(n: number | bigint): number {
  return Number(BigInt.asIntN(32, BigInt(n)));
}

function lower(arg: Buffer): string {
  return arg.toString('latin1').toLowerCase();
}

/** C atoi: optional spaces and sign, then digits up to the first non-digit; 0 when none. */
function atoi(arg: Buffer | undefined): number {
  if (arg === undefined) return 0;
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(arg.toString('latin1'));
  return m === null ? 0 : toInt32(BigInt.asIntN(64, BigInt(m[1]!)));
}

// ---- Redis's native key-finding functions (db.c)

/** COMMAND [destkey] <num-keys> <key> ... : the input keys, then the destination. Flags are not reported. */
function genericGetKeys(storeKeyOfs: number, keyCountOfs: number, firstKeyOfs: number, keyStep: number, argv: readonly Buffer[]): KeyRef[] {
  const num = atoi(argv[keyCountOfs]);
  // Redis returns no keys when the command will answer with a syntax error anyway.
  if (num < 1 || num > Math.trunc((argv.length - firstKeyOfs) / keyStep)) return [];
  const keys: KeyRef[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: firstKeyOfs + i * keyStep, flags: [] });
  if (storeKeyOfs !== 0) keys.push({ pos: storeKeyOfs, flags: [] });
  return keys;
}

/** SORT key ... [STORE dest]: the last STORE wins; LIMIT/GET/BY arguments are skipped. */
function sortGetKeys(argv: readonly Buffer[]): KeyRef[] {
  const keys: KeyRef[] = [{ pos: 1, flags: ['RO', 'ACCESS'] }];
  let store: KeyRef | null = null;
  const skip: Readonly<Record<string, number>> = { limit: 2, get: 1, by: 1 };
  for (let i = 2; i < argv.length; i++) {
    const arg = lower(argv[i]!);
    if (arg === 'limit' || arg === 'get' || arg === 'by') {
      i += skip[arg]!;
    } else if (arg === 'store' && i + 1 < argv.length) {
      store = { pos: i + 1, flags: ['OW', 'UPDATE'] };
    }
  }
  if (store !== null) keys.push(store);
  return keys;
}

/** MIGRATE host port key|"" db timeout [COPY] [REPLACE] [AUTH pw] [AUTH2 user pw] [KEYS key ...]. */
function migrateGetKeys(argv: readonly Buffer[]): KeyRef[] {
  let first = 3;
  let num = 1;
  const skip: Readonly<Record<string, number>> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  if (argv.length > 6) {
    for (let i = 6; i < argv.length; i++) {
      const arg = lower(argv[i]!);
      if (arg === 'keys') {
        if (argv[3]!.length > 0) {
          num = 0; // a key and KEYS together: MIGRATE itself reports the syntax error
        } else {
          first = i + 1;
          num = argv.length - first;
        }
        break;
      }
      if (Object.prototype.hasOwnProperty.call(skip, arg)) i += skip[arg]!;
    }
  }
  const keys: KeyRef[] = [];
  for (let i = 0; i < num; i++) keys.push({ pos: first + i, flags: ['RW', 'ACCESS', 'DELETE'] });
  return keys;
}

/** GEORADIUS / GEORADIUSBYMEMBER: the source key, and the last STORE/STOREDIST destination. */
function georadiusGetKeys(argv: readonly Buffer[]): KeyRef[] {
  let stored = -1;
  for (let i = 5; i < argv.length; i++) {
    const arg = lower(argv[i]!);
    if ((arg === 'store' || arg === 'storedist') && i + 1 < argv.length) {
      stored = i + 1;
      i++;
    }
  }
  const keys: KeyRef[] = [{ pos: 1, flags: [] }];
  if (stored !== -1) keys.push({ pos: stored, flags: [] });
  return keys;
}

/** XREAD / XREADGROUP: the first half of the arguments after STREAMS. */
function xreadGetKeys(argv: readonly Buffer[]): KeyRef[] {
  let streamsPos = -1;
  for (let i = 1; i < argv.length; i++) {
    const arg = lower(argv[i]!);
    if (arg === 'block' || arg === 'count') i++;
    else if (arg === 'group') i += 2;
    else if (arg === 'noack') continue;
    else if (arg === 'streams') {
      streamsPos = i;
      break;
    } else break;
  }
  const num = streamsPos === -1 ? 0 : argv.length - streamsPos - 1;
  if (streamsPos === -1 || num === 0 || num % 2 !== 0) return [];
  const keys: KeyRef[] = [];
  for (let i = streamsPos + 1; i < argv.length - num / 2; i++) keys.push({ pos: i, flags: [] });
  return keys;
}

/** SET: the key is read too when GET is given. */
function setGetKeys(argv: readonly Buffer[]): KeyRef[] {
  for (let i = 3; i < argv.length; i++) {
    if (lower(argv[i]!) === 'get') return [{ pos: 1, flags: ['RW', 'ACCESS', 'UPDATE'] }];
  }
  return [{ pos: 1, flags: ['OW', 'UPDATE'] }];
}

/** BITFIELD: read-only when it only GETs. */
function bitfieldGetKeys(argv: readonly Buffer[]): KeyRef[] {
  let readonly = true;
  for (let i = 2; i < argv.length; i++) {
    const remaining = argv.length - i - 1;
    const arg = lower(argv[i]!);
    if (arg === 'get' && remaining >= 2) {
      i += 2;
    } else if ((arg === 'set' || arg === 'incrby') && remaining >= 3) {
      readonly = false;
      break;
    } else if (arg === 'overflow' && remaining >= 1) {
      i += 1;
    } else {
      readonly = false; // a syntax error: assume it writes
      break;
    }
  }
  return [{ pos: 1, flags: readonly ? ['RO', 'ACCESS'] : ['RW', 'ACCESS', 'UPDATE'] }];
}
