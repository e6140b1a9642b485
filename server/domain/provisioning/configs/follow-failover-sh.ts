import { badInput } from "../../errors";
import { checkIpv4, checkPort, oneLine } from "./network";

/** The Twemproxy on the Sentinel's host that this script keeps pointed at each shard's master. */
export interface FollowFailoverInput {
  title: string;
  /** paths as the host's processes see them */
  proxy: { confFile: string; pidFile: string; logFile: string; argv: string[]; ip: string; port: number };
  /**
   * seconds this proxy waits before its restart: the proxies of a service restart one after the
   * other (their Sentinels run their scripts at about the same moment), so the VIP always has one up
   */
  staggerSeconds: number;
}

/** Words of a POSIX shell line, single-quoted: paths and argv go in verbatim and nothing expands. */
const q = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * The script Sentinel runs on its own host after every failover (`client-reconfig-script`): the
 * leader runs it when it promotes a replica, every other Sentinel when it learns the new master
 * from the leader's hello — so each proxy host follows through its own Sentinel, with Hedwig's web
 * and worker down. It rewrites the address on the shard's server line of the local nutcracker.yml
 * (the line keeps its name: Twemproxy's ketama hashes the name, so no key moves) and restarts the
 * proxy, which cannot reload its config. Arguments (Sentinel's): <master-name> <role> <state>
 * <from-ip> <from-port> <to-ip> <to-port>. It exits 0 when there is nothing to do: a line already
 * right, a shard this proxy does not serve, a stopped proxy (only its file changes).
 */
export function renderFollowFailoverSh(c: FollowFailoverInput): string {
  checkIpv4(c.proxy.ip, "proxy address");
  checkPort(c.proxy.port, "proxy port");
  if (!Number.isFinite(c.staggerSeconds) || c.staggerSeconds < 0 || c.staggerSeconds > 30) {
    throw badInput(`stagger ${c.staggerSeconds} s is not valid: use 0–30 s (Sentinel kills a script after 60 s)`);
  }
  if (c.proxy.argv.length === 0) throw badInput("the proxy's command line is empty");
  return `#!/bin/sh
# ${oneLine(c.title)}
# Rendered by Hedwig at deploy. Sentinel runs it after a failover with:
#   <master-name> <role> <state> <from-ip> <from-port> <to-ip> <to-port>
# and it points the Twemproxy ${c.proxy.ip}:${c.proxy.port} on this host at the new master.
set -u
name=$1 to_ip=$6 to_port=$7
conf=${q(c.proxy.confFile)}
pidfile=${q(c.proxy.pidFile)}
log=${q(c.proxy.logFile)}
say() { echo "$(date '+%Y-%m-%d %H:%M:%S') follow-failover: $*" >>"$log"; }
# A zombie is gone: with Hedwig down nothing may reap the proxy it started.
alive() { s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1; case "$s" in Z*|'') return 1;; esac; }

# Only names and addresses go into the sed expression below.
case "$name" in ''|*[!A-Za-z0-9._-]*) say "refused master name '$name'"; exit 2;; esac
case "$to_ip$to_port" in ''|*[!0-9.]*) say "refused address '$to_ip:$to_port'"; exit 2;; esac

re=$(printf '%s' "$name" | sed 's/[.]/[.]/g')
line=$(grep -E "^ +- [0-9.]+:[0-9]+:[0-9]+ $re\\$" "$conf") || exit 0
case "$line" in *" - $to_ip:$to_port:"*) exit 0;; esac

tmp="$conf.follow.$$"
sed -E "s/^( +- )[0-9.]+:[0-9]+(:[0-9]+ $re)\\$/\\1$to_ip:$to_port\\2/" "$conf" >"$tmp" && mv -f "$tmp" "$conf" || { rm -f "$tmp"; say "cannot rewrite $conf"; exit 1; }
say "$name: $4:$5 -> $to_ip:$to_port ($2 $3)"

pid=$(cat "$pidfile" 2>/dev/null) || pid=
if [ -z "$pid" ] || ! alive "$pid"; then
  say "the proxy is not running: only its config changed"
  exit 0
fi
sleep ${c.staggerSeconds}
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
i=0
while alive "$pid" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -KILL -- "-$pid" 2>/dev/null
# A session of its own, as Hedwig's executor starts daemons: it outlives this script and Sentinel.
setsid ${c.proxy.argv.map(q).join(" ")} >>"$log" 2>&1 </dev/null &
echo $! >"$pidfile"
say "restarted the proxy (pid $!)"
exit 0
`;
}
