import { text } from "../../../../lib/text";
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
  /**
   * where the HAProxy runtime API sockets of the load balancers on this machine are, as a glob
   * (only `*` is a wildcard): the script drains this proxy in each before its restart
   */
  lbSocketsGlob: string;
}

/** Words of a POSIX shell line, single-quoted: paths and argv go in verbatim and nothing expands. */
const q = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
/** A glob whose `*` stay wildcards and everything else is literal. */
const qGlob = (glob: string) =>
  glob
    .split("*")
    .map((part) => (part ? q(part) : ""))
    .join("*");

/** At most this long a drained proxy waits for its sessions to end, and only while their number falls. */
const DRAIN_GRACE_S = 2;
/** How long a proxy waits for another proxy of its VIP to finish its own restart: one proxy at a time. */
const TURN_WAIT_S = 15;

/**
 * The script Sentinel runs on its own host after every failover (`client-reconfig-script`): the
 * leader runs it when it promotes a replica, every other Sentinel when it learns the new master
 * from the leader's hello — so each proxy host follows through its own Sentinel, with Hedwig's web
 * and worker down. It rewrites the address on the shard's server line of the local nutcracker.yml
 * (the line keeps its name: Twemproxy's ketama hashes the name, so no key moves) and restarts the
 * proxy, which cannot reload its config. Around the restart it takes the proxy out of every VIP in
 * front of it, through the runtime API of each HAProxy on this machine (Libra's servers are local):
 * it waits while another proxy of the VIP is drained (one proxy at a time), sets its own server to
 * drain (new connections go to the other proxies; skipped when no other one is up and ready, as
 * draining the last would refuse everyone), waits while its sessions end (short connections; at most ${DRAIN_GRACE_S} s), restarts,
 * waits until the new proxy accepts connections and sets its server ready again. Connections still
 * open at the restart are cut; their clients reconnect through the VIP to a proxy that is up. With
 * no HAProxy on this machine (or no perl to reach its socket) it restarts as before.
 * Arguments (Sentinel's): <master-name> <role> <state>
 * <from-ip> <from-port> <to-ip> <to-port>. It exits 0 when there is nothing to do: a line already
 * right, a shard this proxy does not serve, a stopped proxy (only its file changes).
 */
export function renderFollowFailoverSh(c: FollowFailoverInput): string {
  checkIpv4(c.proxy.ip, "proxy address");
  checkPort(c.proxy.port, "proxy port");
  if (!Number.isFinite(c.staggerSeconds) || c.staggerSeconds < 0 || c.staggerSeconds > 30) {
    throw badInput(text("refusals.configs.stagger", { s: c.staggerSeconds }));
  }
  if (c.proxy.argv.length === 0) throw badInput(text("refusals.configs.proxyArgv"));
  if (!c.lbSocketsGlob.startsWith("/") || /[\s?[\]{}|]/.test(c.lbSocketsGlob)) throw badInput(text("refusals.configs.socketGlob"));
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
ip=${q(c.proxy.ip)} port=${c.proxy.port}
# One command to an HAProxy runtime API socket, its answer on stdout (perl: the one socket client every host has).
hap() { perl -MIO::Socket::UNIX -e '$s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or exit 1; print $s "$ARGV[1]\n"; print while <$s>' "$1" "$2" 2>/dev/null; }
# backend/server of each HAProxy server that is this proxy (show servers state: $5 address, $19 port)
members() { hap "$1" "show servers state" | awk -v ip="$ip" -v port="$port" 'NF > 18 && $5 == ip && $19 == port { print $2 "/" $4 }'; }
# whether another server of the backend is drained by the runtime API (8: its proxy restarting), or up (2) and ready (0)
others() { hap "$1" "show servers state $2" | awk -v srv="$3" -v want="$4" 'NF > 18 && $1 ~ /^[0-9]+$/ && $4 != srv && (want == "drained" ? $7 == 8 : $6 == 2 && $7 == 0) { n++ } END { exit n ? 0 : 1 }'; }
# open sessions on this proxy's drained servers (show stat: $1 backend, $2 server, $5 current sessions)
sessions() { n=0; for d in $drained; do n=$((n + $(hap "\${d%%|*}" "show stat" | awk -F, -v be="\${d#*|}" '$1 "/" $2 == be { print $5 + 0; f = 1 } END { if (!f) print 0 }'))); done; echo $n; }
accepts() { perl -MIO::Socket::INET -e 'IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => $ARGV[1], Timeout => 1) or exit 1' "$ip" "$port" 2>/dev/null; }

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
drained=
for sock in ${qGlob(c.lbSocketsGlob)}; do
  [ -S "$sock" ] || continue
  for be_srv in $(members "$sock"); do
    be=\${be_srv%%/*} srv=\${be_srv#*/}
    i=0
    while others "$sock" "$be" "$srv" drained && [ $i -lt ${TURN_WAIT_S * 10} ]; do sleep 0.1; i=$((i + 1)); done
    if ! others "$sock" "$be" "$srv" ready; then
      say "$be/$srv: no other proxy of the VIP is up and ready; restarting without draining"
      continue
    fi
    a=$(hap "$sock" "set server $be/$srv state drain") && [ -z "$a" ] && drained="$drained $sock|$be/$srv" && say "$be/$srv: drained in $sock"
  done
done
# Sessions that end (short connections) get their moment; long-lived ones are cut at the restart and reconnect elsewhere.
i=0 last= still=0
while [ -n "$drained" ] && [ $i -lt ${DRAIN_GRACE_S * 10} ]; do
  n=$(sessions)
  [ "$n" = 0 ] && break
  if [ -n "$last" ] && [ "$n" -ge "$last" ]; then still=$((still + 1)); else still=0; fi
  [ $still -ge 3 ] && break
  last=$n
  sleep 0.1
  i=$((i + 1))
done
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
i=0
while alive "$pid" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
kill -KILL -- "-$pid" 2>/dev/null
# A session of its own, as Hedwig's executor starts daemons: it outlives this script and Sentinel.
setsid ${c.proxy.argv.map(q).join(" ")} >>"$log" 2>&1 </dev/null &
echo $! >"$pidfile"
say "restarted the proxy (pid $!)"
if [ -n "$drained" ]; then
  i=0
  while ! accepts && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
  for d in $drained; do
    hap "\${d%%|*}" "set server \${d#*|} state ready" >/dev/null && say "\${d#*|}: ready again in \${d%%|*}"
  done
fi
exit 0
`;
}
