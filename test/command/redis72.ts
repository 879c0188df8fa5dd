// Where Redis 7.0 (the redis-server installed for tests) and Redis 7.2 (what Sluice matches) describe
// a command differently. Sluice follows 7.2; each entry says what 7.0 reports, what 7.2 reports, and
// where 7.2 says so (src/commands.def of 7.2, generated from src/commands/*.json). Nothing else may
// be listed here: any other difference from the installed Redis is a bug in a spec or a renderer.

/** Commands and subcommands that exist in 7.2 but not in 7.0 (compared with nothing, by necessity). */
export const NEW_IN_72: ReadonlyMap<string, string> = new Map([
  ['client|setinfo', 'CLIENT SETINFO LIB-NAME/LIB-VER, added in 7.2.0'],
  ['client|no-touch', 'CLIENT NO-TOUCH, added in 7.2.0'],
  ['waitaof', 'WAITAOF, added in 7.2.0'],
]);

/** One field whose value changed between 7.0 and 7.2; values are written as the table test renders them. */
export interface ChangedIn72 {
  readonly command: string;
  readonly field: string;
  readonly redis70: string;
  readonly redis72: string;
  readonly why: string;
}

export const CHANGED_IN_72: readonly ChangedIn72[] = [
  // 7.2 lets GETKEYS inspect a command given with no arguments (COMMAND GETKEYS <cmd>): arity -3.
  { command: 'command|getkeys', field: 'arity', redis70: '-4', redis72: '-3', why: 'command-getkeys.json arity -3 in 7.2' },
  { command: 'command|getkeysandflags', field: 'arity', redis70: '-4', redis72: '-3', why: 'command-getkeysandflags.json arity -3 in 7.2' },
  // 7.0's JSON declared no arguments for these; 7.2 documents "command" and "arg".
  {
    command: 'command|getkeys',
    field: 'docs.arguments',
    redis70: '(none)',
    redis72: 'command{type="string"} arg{type="string" flags=~[+optional, +multiple]}',
    why: 'COMMAND_GETKEYS_Args in 7.2 commands.def',
  },
  {
    command: 'command|getkeysandflags',
    field: 'docs.arguments',
    redis70: '(none)',
    redis72: 'command{type="string"} arg{type="string" flags=~[+optional, +multiple]}',
    why: 'COMMAND_GETKEYSANDFLAGS_Args in 7.2 commands.def',
  },
];

/** Whether a difference (ours vs the installed Redis) is a known 7.0 → 7.2 change with ours at 7.2's value. */
export function isKnown72Change(command: string, field: string, ours: string, redis: string): boolean {
  return CHANGED_IN_72.some((c) => c.command === command && c.field === field && c.redis70 === redis && c.redis72 === ours);
}

/** Fields of a command known to differ between 7.0 and 7.2 (for tests that cannot compare values). */
export function changedFields(command: string): string[] {
  return CHANGED_IN_72.filter((c) => c.command === command).map((c) => c.field);
}
