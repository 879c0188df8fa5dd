import { helpSubcommand } from '../../help';

// Redis 7.2's text. (The Redis 7.0.15 used by the tests drops the connection on PUBSUB HELP, so
// there is nothing to compare with there.)
const LINES = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

export const spec = helpSubcommand({
  parent: 'PUBSUB',
  group: 'pubsub',
  since: '6.2.0',
  lines: LINES,
});
