// INFO against real Redis, field by field: which sections each form prints and in what order,
// the framing (CRLF lines, an empty line between sections, verbatim text in RESP3), and that every
// field Sluice prints is one Redis prints (or one Redis 7.2 added), with Redis's value format.

import t from 'tap';
import { DiffPair, redisSkip } from '../support/differential';
import { RawClient } from '../support/resp';

/** The text of a bulk or verbatim reply. */
function text(reply: Buffer): string {
  const s = reply.toString('latin1');
  const body = s.slice(s.indexOf('\r\n') + 2, -2);
  return s.startsWith('=') ? body.slice(4) : body;
}

/** Section titles in order. */
function titles(info: string): string[] {
  return info.split('\r\n').filter((l) => l.startsWith('# '));
}

/** field name → value, over every section. */
function fieldsOf(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Fields Redis 7.2 has that the 7.0 server under test lacks, and Sluice's own. */
const NEWER_FIELDS = new Set([
  'listener0',
  'pubsub_clients',
  'sluice_version',
  'total_blocking_keys',
  'total_blocking_keys_on_nokey',
  // INFO stats' ACL counters, added in Redis 7.2.
  'acl_access_denied_auth',
  'acl_access_denied_cmd',
  'acl_access_denied_key',
  'acl_access_denied_channel',
  // INFO stats' buffer-limit disconnection counters, which the 7.0 server lacks.
  'client_query_buffer_limit_disconnections',
  'client_output_buffer_limit_disconnections',
]);

t.test('INFO matches Redis field by field', { skip: redisSkip }, async (t) => {
  // Like with like: Sluice logs by default (appendonly yes), and Redis prints its aof_* size
  // fields only with its AOF on.
  const pair = await DiffPair.start({ redisArgs: ['--appendonly', 'yes'] });
  t.teardown(() => pair.stop());
  const [redis, sluice] = await Promise.all([RawClient.connect(pair.redis.port), RawClient.connect(pair.sluice.port)]);
  t.teardown(() => {
    redis.close();
    sluice.close();
  });
  const both = async (...args: string[]) => {
    const [r, s] = await Promise.all([redis.call(...args), sluice.call(...args)]);
    return { redis: r, sluice: s };
  };

  // Sections: Redis 7.2 prints Latencystats too, which Sluice leaves out (no latency histograms).
  for (const args of [[], ['default'], ['all'], ['everything'], ['server', 'clients'], ['KEYSPACE', 'Server'], ['cpu'], ['nosuch'], ['modules'], ['commandstats', 'errorstats']]) {
    const got = await both('INFO', ...args);
    const expected = titles(text(got.redis)).filter((title) => title !== '# Latencystats');
    t.same(titles(text(got.sluice)), expected, `INFO ${args.join(' ')}: sections`);
  }
  t.equal((await sluice.call('INFO', 'nosuch')).toString(), (await redis.call('INFO', 'nosuch')).toString(), 'unknown section: empty');

  // Framing: "# Title\r\n", "name:value\r\n" lines, sections separated by one empty line.
  await both('SET', 'k', 'v');
  await both('PEXPIRE', 'k', '100000');
  await both('NOSUCHCOMMAND');
  const all = text((await both('INFO', 'everything')).sluice);
  t.match(all, /^# Server\r\nredis_version:7\.2\.\d+\r\n/);
  t.ok(all.endsWith('\r\n') && !all.endsWith('\r\n\r\n'), 'ends with the last field line');
  for (const block of all.split('\r\n\r\n')) {
    const section = block.endsWith('\r\n') ? block : block + '\r\n';
    t.match(section, /^# [A-Z][A-Za-z]*\r\n([A-Za-z_0-9|]+:[^\r\n]*\r\n)*$/, 'one section');
  }

  // Every field Sluice prints is a Redis field, except the 7.2 additions and sluice_version.
  const redisFields = fieldsOf(text((await redis.call('INFO', 'everything'))));
  const sluiceFields = fieldsOf(all);
  for (const name of sluiceFields.keys()) {
    if (name.startsWith('cmdstat_') || name.startsWith('errorstat_') || /^db\d+$/.test(name)) continue;
    t.ok(redisFields.has(name) || NEWER_FIELDS.has(name), `${name} is a Redis field`);
  }
  // Values in Redis's formats.
  const f = sluiceFields;
  t.equal(f.get('redis_mode'), 'standalone');
  t.equal(f.get('tcp_port'), String(pair.sluice.port));
  t.match(f.get('run_id'), /^[0-9a-f]{40}$/);
  t.match(f.get('used_memory_human'), /^\d+(\.\d\d[KMGTP])?B?$/);
  t.match(f.get('used_memory_peak_perc'), /^\d+\.\d\d%$/);
  t.match(f.get('mem_fragmentation_ratio'), /^\d+\.\d\d$/);
  t.match(f.get('used_cpu_user'), /^\d+\.\d{6}$/);
  t.match(f.get('server_time_usec'), /^\d{16}$/);
  t.equal(f.get('role'), 'master');
  t.equal(f.get('cluster_enabled'), '0');
  t.equal(f.get('listener0'), `name=tcp,bind=127.0.0.1,bind=-::1,port=${pair.sluice.port}`);
  t.equal(f.get('connected_clients'), '1');
  t.match(f.get('db0'), /^keys=1,expires=1,avg_ttl=\d+$/);
  t.ok(Number(/avg_ttl=(\d+)/.exec(f.get('db0')!)![1]) > 90000, 'avg_ttl is the remaining time to live');
  t.equal(f.get('errorstat_ERR'), 'count=1');
  t.match(f.get('cmdstat_set'), /^calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
  t.match(f.get('cmdstat_info'), /^calls=\d+,/);
  t.equal(f.get('total_error_replies'), '1');

  // Rejected and failed calls are counted apart; CONFIG RESETSTAT clears the counters.
  await both('GET');
  await both('SELECT', '99');
  const stats = fieldsOf(text((await both('INFO', 'commandstats')).sluice));
  t.match(stats.get('cmdstat_get'), /^calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0$/);
  t.match(stats.get('cmdstat_select'), /^calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=1$/);
  await both('CONFIG', 'RESETSTAT');
  const reset = text((await both('INFO', 'commandstats', 'errorstats', 'stats')).sluice);
  t.match(reset, /# Commandstats\r\ncmdstat_config\|resetstat:calls=1,/);
  t.match(reset, /# Errorstats\r\n$/);
  t.match(reset, /\r\ntotal_error_replies:0\r\n/);

  // RESP3: a verbatim string.
  await both('HELLO', '3');
  const [r3, s3] = [(await redis.call('INFO', 'cluster')).toString(), await sluice.call('INFO', 'cluster')];
  t.equal(s3.toString(), r3, 'INFO cluster in RESP3');
  t.match(s3.toString(), /^=\d+\r\ntxt:# Cluster\r\ncluster_enabled:0\r\n\r\n$/);
});
