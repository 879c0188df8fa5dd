// The HELP reply every container command gives (Redis's addReplyHelp): a title line, the
// command's own lines, and the closing HELP entry, each as a status line.

import type { Reply } from './types';

export function replyHelp(out: Reply, command: string, lines: readonly string[]): void {
  out.array(lines.length + 3);
  out.simple(`${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) out.simple(line);
  out.simple('HELP');
  out.simple('    Print this help.');
}
