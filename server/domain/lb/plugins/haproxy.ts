import { proxyName, serverName, type ApplicationModel, type MemberModel, type PoolModel, type RenderTarget } from "../model";
import type { LbPlugin } from "./plugin";

/** Hedwig's algorithm names in HAProxy's words; HAProxy always honours weights, so rr and wrr are one. */
const BALANCE: Record<string, string> = { rr: "roundrobin", wrr: "roundrobin", lc: "leastconn", sh: "source" };

function healthLines(app: ApplicationModel): string[] {
  const h = app.healthCheck;
  switch (h.kind) {
    case "HTTP":
      return [`    option httpchk GET ${h.httpPath ?? "/"}`, `    http-check expect status ${h.expectStatus ?? 200}`];
    case "SCRIPT":
      return ["    option external-check", `    external-check command ${h.script}`];
    default:
      return [];
  }
}

function serverLine(app: ApplicationModel, m: MemberModel): string {
  const ssl = app.healthCheck.kind === "SSL" ? " check-ssl verify none" : "";
  // A draining member takes no new connections and keeps its open ones: weight 0 says that in a file.
  const weight = m.state === "DRAINING" ? 0 : m.weight;
  const disabled = m.state === "DISABLED" ? " disabled" : "";
  return `    server ${serverName(m)} ${m.ip}:${m.port} weight ${weight} check${ssl}${disabled}`;
}

function proxyBlock(app: ApplicationModel): string[] {
  const vip = app.vip!;
  const h = app.healthCheck;
  const lines = [
    `# ${app.name}${app.serviceId ? ` (service ${app.serviceId})` : ""}: health ${h.name}, balance ${app.balance.name}`,
    `listen ${proxyName(app)}`,
    `    bind ${vip.ip}:${vip.port}`,
    `    balance ${BALANCE[app.balance.algorithm]}`,
    `    timeout check ${h.timeoutSeconds}s`,
    ...healthLines(app),
  ];
  if (app.balance.persistenceSeconds > 0) {
    lines.push(`    stick-table type ip size 1m expire ${app.balance.persistenceSeconds}s`, "    stick on src");
  }
  lines.push(`    default-server inter ${h.intervalSeconds}s fall ${h.retries} rise 2`);
  for (const m of [...app.members].sort((a, b) => a.id - b.id)) lines.push(serverLine(app, m));
  return lines;
}

function render(pool: PoolModel, target: RenderTarget): string {
  const apps = [...pool.applications].filter((a) => a.vip).sort((a, b) => a.id - b.id);
  const scripts = apps.some((a) => a.healthCheck.kind === "SCRIPT");
  const global = [
    `# Rendered by Hedwig for pool ${pool.name} (HAProxy). Edits here are replaced at the next sync.`,
    "global",
    "    master-worker",
    // The master hands its listeners to the new worker through this socket: a reload drops no connection.
    `    stats socket ${target.socketFile} mode 600 level admin expose-fd listeners`,
    ...(scripts ? ["    external-check", "    insecure-fork-wanted"] : []),
    "",
    "defaults",
    "    mode tcp",
    "    option dontlognull",
    "    timeout connect 5s",
    "    timeout client 30m",
    "    timeout server 30m",
    // a connection refused by a member (a proxy restarting) is tried again on another member, not the same one after a second
    "    retries 2",
    "    option redispatch 1",
  ];
  return [...global, ...apps.flatMap((a) => ["", ...proxyBlock(a)]), ""].join("\n");
}

export const haproxyPlugin: LbPlugin = {
  backend: "HAPROXY",
  algorithms: Object.keys(BALANCE),
  lvsKinds: [],
  checkKinds: ["TCP", "HTTP", "SSL", "SCRIPT"],
  protocols: ["TCP"],
  maxWeight: 256,
  portMapping: () => true,
  render,
  validateCommand: (file) => ["haproxy", "-c", "-f", file],
  validOutput: /^Configuration file is valid$/,
};
