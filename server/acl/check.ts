// Permission checks (Redis's ACLCheckAllUserCommandPerm): a command runs when one selector of the
// user allows the command, every key it names (with the access its key specs declare) and every
// channel it publishes or subscribes to. Keys come from the key specs, as COMMAND GETKEYS finds them.

import { commandHasKeys, getKeys } from '../../commands/server/command/getkeys';
import type { CommandEntry } from '../dispatch';
import { KEY_READ, KEY_WRITE, type Selector } from './selector';
import type { AclUser } from './user';

/** Why a command was refused; `pos` is the argv index of the key or channel. */
export type Denial =
  | { readonly reason: 'command' }
  | { readonly reason: 'key'; readonly pos: number }
  | { readonly reason: 'channel'; readonly pos: number };

/** A channel argument of a pub/sub command. */
export interface ChannelRef {
  readonly pos: number;
  /** PSUBSCRIBE's patterns are compared with the user's patterns literally. */
  readonly isPattern: boolean;
}

/**
 * The channels a command publishes or subscribes to (Redis's getChannelsFromCommand, limited to
 * the publish/subscribe flags the ACL checks; unsubscribing needs no permission).
 */
export function channelsOf(fullName: string, argv: readonly Buffer[]): ChannelRef[] {
  switch (fullName) {
    case 'publish':
    case 'spublish':
      return argv.length > 1 ? [{ pos: 1, isPattern: false }] : [];
    case 'subscribe':
    case 'ssubscribe':
      return argv.slice(1).map((_, i) => ({ pos: i + 1, isPattern: false }));
    case 'psubscribe':
      return argv.slice(1).map((_, i) => ({ pos: i + 1, isPattern: true }));
    default:
      return [];
  }
}

/** The permissions a key needs, from its key-spec flags: ACCESS reads; INSERT, DELETE, UPDATE write. */
function keyNeeds(flags: readonly string[]): number {
  let needs = 0;
  for (const flag of flags) {
    if (flag === 'ACCESS') needs |= KEY_READ;
    else if (flag === 'INSERT' || flag === 'DELETE' || flag === 'UPDATE') needs |= KEY_WRITE;
  }
  return needs;
}

/** Order of Redis's ACL_DENIED_* codes: a later kind of denial is reported over an earlier one. */
const SEVERITY = { command: 1, key: 2, channel: 4 } as const;

/**
 * Whether `user` may run `argv` as `command`; null when allowed, else the denial to report: the
 * command when no selector allows it, else the highest-ranked key or channel no selector allows.
 */
export function checkCommand(user: AclUser, command: CommandEntry, argv: readonly Buffer[], isSubcommand: boolean): Denial | null {
  let worst: Denial = { reason: 'command' };
  let keys: ReturnType<typeof getKeys> | null = null;
  for (const selector of user.selectors) {
    const denial = checkSelector(selector, command, argv, isSubcommand, () => (keys ??= getKeys(command.spec, command.fullName, argv)));
    if (denial === null) return null;
    const worstPos = worst.reason === 'command' ? 0 : worst.pos;
    const pos = denial.reason === 'command' ? 0 : denial.pos;
    if (SEVERITY[denial.reason] > SEVERITY[worst.reason] || (denial.reason === worst.reason && pos > worstPos)) worst = denial;
  }
  return worst;
}

function checkSelector(
  selector: Selector,
  command: CommandEntry,
  argv: readonly Buffer[],
  isSubcommand: boolean,
  keysOf: () => ReturnType<typeof getKeys>,
): Denial | null {
  if (!selector.allowsCommand(command, argv, isSubcommand)) return { reason: 'command' };
  if (!selector.allKeys && commandHasKeys(command.spec, command.fullName)) {
    for (const key of keysOf()) {
      if (!selector.allowsKey(argv[key.pos]!.toString('latin1'), keyNeeds(key.flags))) return { reason: 'key', pos: key.pos };
    }
  }
  if (!selector.allChannels) {
    for (const channel of channelsOf(command.fullName, argv)) {
      if (!selector.allowsChannel(argv[channel.pos]!.toString('latin1'), channel.isPattern)) return { reason: 'channel', pos: channel.pos };
    }
  }
  return null;
}

/** Whether any selector of `user` allows a channel (Redis's ACLUserCheckChannelPerm). */
export function userAllowsChannel(user: AclUser, channel: string, isPattern: boolean): boolean {
  return user.selectors.some((s) => s.allowsChannel(channel, isPattern));
}

/**
 * The -NOPERM text (Redis 7.2's getAclErrorMessage). Replies to a refused command name the
 * command; ACL DRYRUN (`verbose`) also names the key or channel.
 */
export function denialMessage(denial: Denial, username: string, fullName: string, argv: readonly Buffer[], verbose: boolean): string {
  switch (denial.reason) {
    case 'command':
      return `User ${username} has no permissions to run the '${fullName}' command`;
    case 'key':
      return verbose
        ? `User ${username} has no permissions to access the '${argv[denial.pos]!.toString('latin1')}' key`
        : 'No permissions to access a key';
    case 'channel':
      return verbose
        ? `User ${username} has no permissions to access the '${argv[denial.pos]!.toString('latin1')}' channel`
        : 'No permissions to access a channel';
  }
}
