// The HELP subcommand every container command has (Redis's addReplyHelp): a title line, the
// command's own lines, and the closing HELP entry, each as a status line.

import type { AclCategory, CommandSpec, Reply } from './types';

export function replyHelp(out: Reply, command: string, lines: readonly string[]): void {
  out.array(lines.length + 3);
  out.simple(`${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) out.simple(line);
  out.simple('HELP');
  out.simple('    Print this help.');
}

/** The spec of a container's HELP subcommand; only what differs between containers is given. */
export function helpSubcommand(options: {
  /** The container's name in capitals, as the title line shows it. */
  readonly parent: string;
  readonly group: string;
  readonly since: string;
  readonly lines: readonly string[];
  /** ACL categories beyond @slow (CLIENT HELP is also @connection). */
  readonly acl?: readonly AclCategory[];
}): CommandSpec {
  return {
    name: 'help',
    arity: 2,
    flags: ['loading', 'stale'],
    acl: ['slow', ...(options.acl ?? [])],
    keys: [0, 0, 0],
    summary: `Describes the ${options.parent} subcommands.`,
    since: options.since,
    group: options.group,
    complexity: 'O(1)',
    handler(ctx) {
      replyHelp(ctx.out, options.parent, options.lines);
    },
  };
}
