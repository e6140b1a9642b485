/**
 * Which Redis commands read and which write, for the reads/writes split of a service's traffic.
 * Commands in neither list (INFO, PING, CLIENT, CONFIG…) count in ops but not as reads or writes.
 */
const READS = new Set(
  "get mget getrange strlen exists ttl pttl type keys scan randomkey dbsize hget hmget hgetall hkeys hvals hlen hexists hscan hstrlen hrandfield lrange lindex llen lpos smembers sismember smismember scard srandmember sscan sinter sunion sdiff zrange zrangebyscore zrevrange zrevrangebyscore zrangebylex zrevrangebylex zscore zmscore zrank zrevrank zcard zcount zlexcount zscan zrandmember bitcount bitpos getbit pfcount geopos geodist georadius_ro georadiusbymember_ro geosearch geohash xrange xrevrange xlen xread xinfo substr dump object touch".split(
    " ",
  ),
);
const WRITES = new Set(
  "set setex psetex setnx setrange mset msetnx append getset getdel getex incr incrby incrbyfloat decr decrby del unlink expire pexpire expireat pexpireat persist rename renamenx move copy restore hset hsetnx hmset hdel hincrby hincrbyfloat lpush rpush lpushx rpushx lpop rpop linsert lset lrem ltrim rpoplpush lmove blpop brpop brpoplpush blmove lmpop blmpop sadd srem spop smove sinterstore sunionstore sdiffstore zadd zincrby zrem zremrangebyrank zremrangebyscore zremrangebylex zpopmin zpopmax bzpopmin bzpopmax zunionstore zinterstore zdiffstore zrangestore zmpop bzmpop setbit bitop bitfield pfadd pfmerge geoadd georadius georadiusbymember geosearchstore xadd xdel xtrim xgroup xack xclaim xautoclaim xreadgroup eval evalsha evalsha_ro fcall flushdb flushall".split(
    " ",
  ),
);

export type CommandDeltas = Record<string, { calls: number; usec: number }>;

export function readsAndWrites(commands: CommandDeltas): { reads: number; writes: number } {
  let reads = 0;
  let writes = 0;
  for (const [name, c] of Object.entries(commands)) {
    const base = name.split("|")[0]!;
    if (READS.has(base)) reads += c.calls;
    else if (WRITES.has(base)) writes += c.calls;
  }
  return { reads, writes };
}
