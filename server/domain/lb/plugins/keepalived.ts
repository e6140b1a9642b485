import type { ApplicationModel, MemberModel, PoolModel } from "../model";
import type { LbPlugin } from "./plugin";

const ALGORITHMS = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq"] as const;

function checkBlock(app: ApplicationModel): string[] {
  const h = app.healthCheck;
  const common = [`            connect_timeout ${h.timeoutSeconds}`, `            retry ${h.retries}`, `            delay_before_retry ${h.intervalSeconds}`];
  switch (h.kind) {
    case "HTTP":
    case "SSL":
      return [
        `        ${h.kind === "HTTP" ? "HTTP_GET" : "SSL_GET"} {`,
        "            url {",
        `                path ${h.httpPath ?? "/"}`,
        `                status_code ${h.expectStatus ?? 200}`,
        "            }",
        ...common,
        "        }",
      ];
    case "SCRIPT":
      return ["        MISC_CHECK {", `            misc_path "${h.script}"`, `            misc_timeout ${h.timeoutSeconds}`, "        }"];
    default:
      return ["        TCP_CHECK {", ...common, "        }"];
  }
}

function realServer(app: ApplicationModel, m: MemberModel): string[] {
  // A draining real server keeps its connections and gets no new ones at weight 0.
  const weight = m.state === "DRAINING" ? 0 : m.weight;
  return [`    real_server ${m.ip} ${m.port} {`, `        weight ${weight}`, ...checkBlock(app), "    }"];
}

function virtualServer(app: ApplicationModel): string[] {
  const vip = app.vip!;
  const b = app.balance;
  // keepalived has no "disabled": a disabled member is simply not a real server.
  const members = [...app.members].filter((m) => m.state !== "DISABLED").sort((a, b) => a.id - b.id);
  const title = `! ${app.name}${app.serviceId ? ` (service ${app.serviceId})` : ""}: health ${app.healthCheck.name}, balance ${b.name}`;
  // A virtual server without real servers is refused by keepalived; say so instead of rendering it.
  if (members.length === 0) return [title, `! not served: no member of ${vip.ip}:${vip.port} is enabled`];
  return [
    title,
    `virtual_server ${vip.ip} ${vip.port} {`,
    `    delay_loop ${app.healthCheck.intervalSeconds}`,
    `    lb_algo ${b.algorithm}`,
    `    lb_kind ${b.lvsKind}`,
    ...(b.persistenceSeconds > 0 ? [`    persistence_timeout ${b.persistenceSeconds}`] : []),
    `    protocol ${vip.protocol}`,
    ...members.flatMap((m) => realServer(app, m)),
    "}",
  ];
}

function render(pool: PoolModel): string {
  const apps = [...pool.applications].filter((a) => a.vip).sort((a, b) => a.id - b.id);
  const scripts = apps.some((a) => a.healthCheck.kind === "SCRIPT");
  const head = [
    `! Rendered by Hedwig for pool ${pool.name} (LVS through keepalived). Edits here are replaced at the next sync.`,
    "global_defs {",
    `    router_id hedwig_pool_${pool.id}`,
    ...(scripts ? ["    enable_script_security", "    script_user root"] : []),
    "}",
  ];
  return [...head, ...apps.flatMap((a) => ["", ...virtualServer(a)]), ""].join("\n");
}

export const keepalivedPlugin: LbPlugin = {
  backend: "LVS",
  algorithms: ALGORITHMS,
  lvsKinds: ["DR", "NAT", "TUN"],
  checkKinds: ["TCP", "HTTP", "SSL", "SCRIPT"],
  protocols: ["TCP", "UDP"],
  maxWeight: 65535,
  // DR and TUN forward the packet unchanged: the real server answers on the VIP's own port.
  portMapping: (lvsKind) => lvsKind === "NAT",
  render,
  // -e: a missing file is an error too (without it keepalived exits 0)
  validateCommand: (file) => ["keepalived", "-t", "-e", "-f", file],
  validOutput: /^$/,
};
