// What several CLIENT subcommands share: client types and ON/OFF switches.

import { keyword } from '../../args';
import type { ClientApi } from '../../types';

export type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** A TYPE filter's argument (Redis's getClientTypeByName; "slave" is the old name of replica). */
export function clientTypeByName(arg: Buffer): ClientType | null {
  switch (keyword(arg)) {
    case 'normal':
      return 'normal';
    case 'master':
      return 'master';
    case 'replica':
    case 'slave':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    default:
      return null;
  }
}

/**
 * A client's type, read from the flags its CLIENT LIST line shows (M master, S replica, P pub/sub),
 * so that it follows whatever the families owning those modes report. A MONITOR is normal.
 */
export function clientType(client: ClientApi): ClientType {
  const flags = clientFlags(client);
  if (flags.includes('M')) return 'master';
  if (flags.includes('S')) return 'replica';
  if (flags.includes('P')) return 'pubsub';
  return 'normal';
}

/** The flags= field of a client's CLIENT LIST line ('N' when none applies). */
export function clientFlags(client: ClientApi): string {
  return /(?:^| )flags=(\S*)/.exec(client.describe())?.[1] ?? '';
}

/** ON or OFF, any case; null for anything else (the caller answers with a syntax error). */
export function onOff(arg: Buffer): boolean | null {
  const word = keyword(arg);
  return word === 'on' ? true : word === 'off' ? false : null;
}
