// What the ACL subcommands share: Redis declares the administrative ones (everything that reads
// or changes users) admin/@dangerous, and GENPASS, WHOAMI and CAT as plain @slow commands.

import { cString, ERR } from '../../errors';
import type { ArgSpec, CommandSpec, Handler, Reply } from '../../types';

export function aclSubcommand(def: {
  readonly name: string;
  readonly arity: number;
  /** Reads or changes users: flagged admin, in @admin and @dangerous. */
  readonly admin: boolean;
  readonly summary: string;
  readonly complexity: string;
  readonly since?: string;
  readonly arguments?: readonly ArgSpec[];
  readonly history?: ReadonlyArray<readonly [string, string]>;
  readonly handler: Handler;
}): CommandSpec {
  return {
    name: def.name,
    arity: def.arity,
    flags: def.admin ? ['admin', 'noscript', 'loading', 'stale'] : ['noscript', 'loading', 'stale'],
    acl: def.admin ? ['admin', 'slow', 'dangerous'] : ['slow'],
    keys: [0, 0, 0],
    summary: def.summary,
    since: def.since ?? '6.0.0',
    group: 'server',
    complexity: def.complexity,
    ...(def.arguments !== undefined ? { arguments: def.arguments } : {}),
    ...(def.history !== undefined ? { history: def.history } : {}),
    handler: def.handler,
  };
}

/** Redis's reply to an ACL subcommand given too many arguments (its arity allows more than it takes). */
export function aclSyntaxError(out: Reply, argv: readonly Buffer[]): void {
  out.error(ERR.subcommandSyntax(cString(argv[1]!), 'ACL'));
}
