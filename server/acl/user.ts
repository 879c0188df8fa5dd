// An ACL user: whether it may log in, its password hashes, and its selectors (the root one first).
// Rules are Redis's ACLSetUser rules; passwords are kept only as SHA-256 hex digests, as in Redis.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { AclCommands } from './commands';
import { Selector, type RuleError } from './selector';

/** The SHA-256 of a password, as 64 lower-case hex characters (Redis's ACLHashPassword). */
export function hashPassword(password: string): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export class AclUser {
  /** Disabled users cannot authenticate (connections already logged in keep working). */
  enabled = false;
  /** Any password is accepted. */
  nopass = false;
  /** RESTORE payload sanitisation as set by (skip-)sanitize-payload; null until one is given. */
  sanitizePayload: 'sanitize' | 'skip' | null = null;
  /** SHA-256 hex digests, in the order added, without duplicates. */
  passwords: string[] = [];
  /** The root selector first, then the "(...)" selectors in the order added. */
  selectors: Selector[];

  constructor(
    readonly name: string,
    private readonly commands: AclCommands,
    private readonly allChannelsByDefault: () => boolean,
  ) {
    this.selectors = [new Selector(commands, allChannelsByDefault())];
  }

  get root(): Selector {
    return this.selectors[0]!;
  }

  /** A copy under another name (Redis stages ACL SETUSER changes on a copy, then copies back). */
  clone(name = this.name): AclUser {
    const copy = new AclUser(name, this.commands, this.allChannelsByDefault);
    copy.copyFrom(this);
    return copy;
  }

  /** Take every rule of `other`, keeping this user's name (and identity, so its clients see the change). */
  copyFrom(other: AclUser): void {
    this.enabled = other.enabled;
    this.nopass = other.nopass;
    this.sanitizePayload = other.sanitizePayload;
    this.passwords = [...other.passwords];
    this.selectors = other.selectors.map((s) => s.clone());
  }

  /** Apply one rule (Redis's ACLSetUser); `op` is latin1 (one char per byte). */
  apply(op: string): RuleError | null {
    if (op === '') return null;
    const lower = op.toLowerCase();
    switch (lower) {
      case 'on':
        this.enabled = true;
        return null;
      case 'off':
        this.enabled = false;
        return null;
      case 'skip-sanitize-payload':
        this.sanitizePayload = 'skip';
        return null;
      case 'sanitize-payload':
        this.sanitizePayload = 'sanitize';
        return null;
      case 'nopass':
        this.nopass = true;
        this.passwords = [];
        return null;
      case 'resetpass':
        this.nopass = false;
        this.passwords = [];
        return null;
      case 'clearselectors':
        this.selectors = [this.root];
        return null;
      case 'reset':
        for (const rule of ['resetpass', 'resetkeys', 'resetchannels']) this.apply(rule);
        if (this.allChannelsByDefault()) this.apply('allchannels');
        for (const rule of ['off', 'sanitize-payload', 'clearselectors', '-@all']) this.apply(rule);
        return null;
    }
    const first = op[0];
    if (first === '>' || first === '#') {
      const hash = first === '>' ? hashPassword(op.slice(1)) : op.slice(1);
      if (first === '#' && !HASH_PATTERN.test(hash)) return 'EBADMSG';
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
      return null;
    }
    if (first === '<' || first === '!') {
      const hash = first === '<' ? hashPassword(op.slice(1)) : op.slice(1);
      if (first === '!' && !HASH_PATTERN.test(hash)) return 'EBADMSG';
      const index = this.passwords.indexOf(hash);
      if (index === -1) return 'ENODEV';
      this.passwords.splice(index, 1);
      return null;
    }
    if (first === '(' && op.endsWith(')')) {
      const selector = new Selector(this.commands, this.allChannelsByDefault());
      for (const rule of splitSelectorRules(op.slice(1, -1))) {
        const error = selector.apply(rule);
        if (error !== null) return error;
      }
      this.selectors.push(selector);
      return null;
    }
    return this.root.apply(op);
  }

  /** Redis's ACLCheckUserCredentials, after the user was found. */
  acceptsPassword(password: string): boolean {
    if (!this.enabled) return false;
    if (this.nopass) return true;
    const given = Buffer.from(hashPassword(password), 'latin1');
    // Compare digests in constant time, and every one of them, so timing says nothing.
    let match = false;
    for (const hash of this.passwords) {
      if (timingSafeEqual(given, Buffer.from(hash, 'latin1'))) match = true;
    }
    return match;
  }

  /** The flags ACL GETUSER and ACL LIST show, in Redis's order. */
  flags(): string[] {
    const flags = [this.enabled ? 'on' : 'off'];
    if (this.nopass) flags.push('nopass');
    if (this.sanitizePayload === 'skip') flags.push('skip-sanitize-payload');
    if (this.sanitizePayload === 'sanitize') flags.push('sanitize-payload');
    return flags;
  }

  /** The rules after "user <name> " in ACL LIST and the ACL file (Redis's ACLDescribeUser). */
  describe(): string {
    let out = this.flags().map((f) => `${f} `).join('');
    out += this.passwords.map((h) => `#${h} `).join('');
    out += this.root.describe();
    for (const selector of this.selectors.slice(1)) out += ` (${selector.describe()})`;
    return out;
  }
}

/** The rules inside a selector's parentheses, split on spaces (a selector holds no quoted rules). */
function splitSelectorRules(text: string): string[] {
  return text.split(/[ \t\r\n]+/).filter((rule) => rule !== '');
}

/**
 * Redis's ACLMergeSelectorArguments: "(+get" "~key)" given as separate arguments become one
 * selector "(+get ~key)". Returns the index of an unclosed selector's first argument when one is open.
 */
export function mergeSelectorArgs(args: readonly string[]): { merged: string[] } | { unclosedAt: number } {
  const merged: string[] = [];
  let open = -1;
  let selector = '';
  for (let j = 0; j < args.length; j++) {
    const op = args[j]!;
    if (open === -1 && op.startsWith('(') && !op.endsWith(')')) {
      selector = op;
      open = j;
      continue;
    }
    if (open !== -1) {
      selector += ` ${op}`;
      if (op.endsWith(')')) {
        open = -1;
        merged.push(selector);
      }
      continue;
    }
    merged.push(op);
  }
  return open === -1 ? { merged } : { unclosedAt: open };
}
