// One ACL selector: which commands, keys and channels it allows. Every user has a root selector
// (the rules given outside parentheses) and may have more, "(...)"; a command is allowed when any
// selector allows all of it. Rules are applied as Redis's ACLSetSelector applies them, and described
// back in Redis's format (the command rules in the order given, as Redis 7.2 keeps them).

import { globMatch } from '../../commands/args';
import type { CommandEntry } from '../dispatch';
import { isAclCategory, type AclCommands } from './commands';

/** Why a rule was refused; Redis's errno values, turned into text by ruleErrorText. */
export type RuleError = 'ENOENT' | 'EINVAL' | 'EEXIST' | 'EISDIR' | 'ENODEV' | 'EBADMSG' | 'EALREADY' | 'ECHILD';

/** Redis's ACLSetUserStringError texts. */
export function ruleErrorText(error: RuleError): string {
  switch (error) {
    case 'ENOENT':
      return 'Unknown command or category name in ACL';
    case 'EINVAL':
      return 'Syntax error';
    case 'EEXIST':
      return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case 'EISDIR':
      return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
    case 'ENODEV':
      return 'The password you are trying to remove from the user does not exist';
    case 'EBADMSG':
      return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    case 'EALREADY':
      return 'Duplicate user found. A user can only be defined once in config files';
    case 'ECHILD':
      return 'Allowing first-arg of a subcommand is not supported';
  }
}

/** Key-pattern permissions: %R~ reads, %W~ writes, ~ both. */
export const KEY_READ = 1;
export const KEY_WRITE = 2;
export const KEY_ALL = KEY_READ | KEY_WRITE;

export interface KeyPattern {
  readonly pattern: string;
  /** KEY_READ and/or KEY_WRITE. */
  flags: number;
}

/** Redis's ACLStringHasSpaces: whitespace or NUL anywhere. */
export function hasSpaces(text: string): boolean {
  return /[\s\0\v]/.test(text);
}

export class Selector {
  /** Full names of the commands allowed (Redis's command bitmap). */
  allowed = new Set<string>();
  /** The reserved bit only +@all sets: the rules start from "+@all" rather than "-@all". */
  future = false;
  /** Every command is allowed and no removal happened since (fast path; Redis's ALLCOMMANDS). */
  allCommands = false;
  /** Allowed first arguments of otherwise denied commands ("+select|0"), by full name. */
  firstArgs = new Map<string, string[]>();
  /** The command rules as given, normalised: "+get", "-@write", "+config|get" (Redis's command_rules). */
  rules: string[] = [];
  patterns: KeyPattern[] = [];
  allKeys = false;
  channels: string[] = [];
  allChannels: boolean;

  constructor(
    private readonly commands: AclCommands,
    /** acl-pubsub-default is "allchannels". */
    allChannelsByDefault: boolean,
  ) {
    this.allChannels = allChannelsByDefault;
  }

  clone(): Selector {
    const copy = new Selector(this.commands, this.allChannels);
    copy.allowed = new Set(this.allowed);
    copy.future = this.future;
    copy.allCommands = this.allCommands;
    copy.firstArgs = new Map([...this.firstArgs].map(([name, args]) => [name, [...args]]));
    copy.rules = [...this.rules];
    copy.patterns = this.patterns.map((p) => ({ ...p }));
    copy.allKeys = this.allKeys;
    copy.channels = [...this.channels];
    return copy;
  }

  /** Apply one selector rule (Redis's ACLSetSelector); null when applied, else why not. */
  apply(op: string): RuleError | null {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.patterns = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.patterns = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.allowed = new Set(this.commands.all.map((c) => c.fullName));
      this.future = true;
      this.allCommands = true;
      this.rules = [];
      this.firstArgs.clear();
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.allowed.clear();
      this.future = false;
      this.allCommands = false;
      this.rules = [];
      this.firstArgs.clear();
    } else if (op[0] === '~' || op[0] === '%') {
      return this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) return 'EISDIR';
      const pattern = op.slice(1);
      if (hasSpaces(pattern)) return 'EINVAL';
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      return this.allowCommand(op.slice(1));
    } else if (op[0] === '-' && op[1] !== '@') {
      const command = this.commands.lookup(op.slice(1));
      if (command === undefined) return 'ENOENT';
      this.changePerm(command, false);
      this.updateRules(command.fullName, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const category = lower.slice(2);
      if (!isAclCategory(category)) return 'ENOENT';
      const allow = op[0] === '+';
      this.updateRules(`@${category}`, allow);
      for (const command of this.commands.all) {
        if (command.spec.acl.includes(category)) this.changePerm(command, allow);
      }
    } else {
      return 'EINVAL';
    }
    return null;
  }

  /** ~pattern, %R~pattern, %W~pattern, %RW~pattern. */
  private addKeyPattern(op: string): RuleError | null {
    if (this.allKeys) return 'EEXIST';
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const c = op[offset]!.toUpperCase();
        if (c === 'R' && (flags & KEY_READ) === 0) flags |= KEY_READ;
        else if (c === 'W' && (flags & KEY_WRITE) === 0) flags |= KEY_WRITE;
        else if (op[offset] === '~' && flags !== 0) {
          offset++;
          break;
        } else return 'EINVAL';
      }
      // A lone "%" grants nothing; Redis refuses it as a syntax error.
      if (flags === 0) return 'EINVAL';
    } else {
      flags = KEY_ALL;
    }
    const pattern = op.slice(offset);
    if (hasSpaces(pattern)) return 'EINVAL';
    const existing = this.patterns.find((p) => p.pattern === pattern);
    if (existing === undefined) this.patterns.push({ pattern, flags });
    else existing.flags |= flags;
    this.allKeys = false;
    return null;
  }

  /** +command, +command|subcommand, +command|first-arg. */
  private allowCommand(name: string): RuleError | null {
    const bar = name.lastIndexOf('|');
    if (bar === -1) {
      const command = this.commands.lookup(name);
      if (command === undefined) return 'ENOENT';
      this.changePerm(command, true);
      this.updateRules(command.fullName, true);
      return null;
    }
    const command = this.commands.lookup(name.slice(0, bar));
    const firstArg = name.slice(bar + 1);
    if (command === undefined) return 'ENOENT';
    if (this.commands.parent(command) !== undefined) return 'ECHILD';
    if (firstArg === '') return 'EINVAL';
    if (command.subcommands !== null) {
      const sub = this.commands.lookup(name);
      if (sub === undefined) return 'ENOENT';
      this.changePerm(sub, true);
    } else {
      // Redis's first-arg mechanism (SELECT|0): deprecated there, still honoured.
      const args = this.firstArgs.get(command.fullName) ?? [];
      if (!args.some((a) => a.toLowerCase() === firstArg.toLowerCase())) args.push(firstArg);
      this.firstArgs.set(command.fullName, args);
    }
    this.updateRules(name, true);
    return null;
  }

  /** Allow or deny a command and, for a container, all its subcommands (Redis's ACLChangeSelectorPerm). */
  private changePerm(command: CommandEntry, allow: boolean): void {
    this.setBit(command.fullName, allow);
    this.firstArgs.delete(command.fullName);
    for (const sub of command.subcommands?.values() ?? []) this.setBit(sub.fullName, allow);
  }

  private setBit(fullName: string, allow: boolean): void {
    if (allow) this.allowed.add(fullName);
    else {
      this.allowed.delete(fullName);
      this.allCommands = false;
    }
  }

  /**
   * Keep the command rules in the order given: a rule replaces an earlier rule for the same
   * command or category (either sign), and a whole-command rule also drops its subcommands' rules.
   */
  private updateRules(rule: string, allow: boolean): void {
    const target = rule.toLowerCase();
    this.rules = this.rules.filter((existing) => {
      const name = existing.slice(1);
      return !(name === target || (name.startsWith(target) && name[target.length] === '|'));
    });
    this.rules.push(`${allow ? '+' : '-'}${target}`);
  }

  // ---- checks

  /** Whether the command itself (not its keys or channels) may run: its bit, or an allowed first argument. */
  allowsCommand(command: CommandEntry, argv: readonly Buffer[], isSubcommand: boolean): boolean {
    if (this.allCommands || command.noAuth || this.allowed.has(command.fullName)) return true;
    const args = this.firstArgs.get(command.fullName);
    if (args === undefined || argv.length < 2) return false;
    const given = argv[isSubcommand ? 2 : 1];
    if (given === undefined) return false;
    const first = given.toString('latin1').toLowerCase();
    return args.some((a) => a.toLowerCase() === first);
  }

  /** Redis's ACLSelectorCheckKey: a pattern with every permission the key-spec flags need matches the key. */
  allowsKey(key: string, needs: number): boolean {
    if (this.allKeys) return true;
    for (const p of this.patterns) {
      if ((p.flags & needs) !== needs) continue;
      if (globMatch(p.pattern, key)) return true;
    }
    return false;
  }

  /**
   * Redis's ACLCheckChannelAgainstList: a channel name is matched against the patterns; a pattern
   * (PSUBSCRIBE's argument) only against identical patterns.
   */
  allowsChannel(channel: string, isPattern: boolean): boolean {
    if (this.allChannels) return true;
    return this.channels.some((p) => (isPattern ? p === channel : globMatch(p, channel)));
  }

  // ---- description

  /** "+@all -get" / "-@all +@list +config|get": what ACL GETUSER shows under "commands". */
  describeCommands(): string {
    const start = this.future ? '+@all' : '-@all';
    return this.rules.length === 0 ? start : `${start} ${this.rules.join(' ')}`;
  }

  /** The key patterns as rules: "~*", or "~a %R~b %W~c". */
  describeKeys(): string {
    if (this.allKeys) return '~*';
    return this.patterns.map(patternRule).join(' ');
  }

  /** "&*", or "&a &b" ('' for none). */
  describeChannels(): string {
    if (this.allChannels) return '&*';
    return this.channels.map((c) => `&${c}`).join(' ');
  }

  /** The selector in ACL LIST form: keys, channels, then command rules. */
  describe(): string {
    let out = this.allKeys ? '~* ' : this.patterns.map((p) => `${patternRule(p)} `).join('');
    out += this.allChannels ? '&* ' : `resetchannels ${this.channels.map((c) => `&${c} `).join('')}`;
    return out + this.describeCommands();
  }
}

function patternRule(p: KeyPattern): string {
  if (p.flags === KEY_ALL) return `~${p.pattern}`;
  return p.flags === KEY_READ ? `%R~${p.pattern}` : `%W~${p.pattern}`;
}
