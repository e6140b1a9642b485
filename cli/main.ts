import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { Argument, Command, CommanderError, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { apiClient, CliError, connection, type Api } from "./client";
import { writeConfig } from "./config";
import { completionScript } from "./completion";
import { EXIT } from "./exit-codes";
import { FORMATS, printObject, printRows, type Format } from "./output";

/**
 * `hedwig`: Hedwig's /api/v1 from a terminal. Every command reads the server and token saved by
 * `hedwig login` (or --url/--token, HEDWIG_URL/HEDWIG_TOKEN), prints a table or --output json|yaml,
 * and exits with a code from exit-codes.ts.
 */

type Page<T> = { total: number; rows: T[] };
type ServiceRow = { id: number; name: string; kind: string; status: string; productLine: { code: string }; instances: number; entry: string | null };
type InstanceRow = {
  id: number;
  port: number;
  role: string;
  state: string;
  software: string;
  shardIndex: number | null;
  host: { ip: string };
  service: { name: string };
};
type Job = { id: string; kind: string; status: string; error?: string | null; steps?: { index: number; name: string; status: string }[] };
type Board = {
  counts: Record<string, number>;
  openIncidents: number;
  unacknowledged: number;
  groups: {
    productLine: { code: string };
    worst: string;
    problems: {
      name: string;
      level: string;
      reasons: { code: string }[];
      since: string | null;
      incident: { id: number; acknowledgedBy: string | null; silencedUntil: string | null } | null;
    }[];
    healthy: unknown[];
  }[];
};
type MemberRow = { id: number; ip: string; port: number; state: string; weight: number };
type AllocationRow = { id: string; status: string; purpose?: string; expiresAt?: string | null };
const memberColumns: [string, (m: MemberRow) => unknown][] = [
  ["MEMBER", (m) => m.id],
  ["ADDRESS", (m) => `${m.ip}:${m.port}`],
  ["STATE", (m) => m.state],
  ["WEIGHT", (m) => m.weight],
];
type RequestRow = {
  id: number;
  status: string;
  kind: string;
  purpose: string;
  productLine: { code: string };
  requester: { username: string };
  service: { id: number; name: string } | null;
  createdAt: string;
};

const program = new Command("hedwig")
  .description("Hedwig's fleet from the command line (Redis, Memcached, Twemproxy, Libra)")
  .addOption(new Option("-o, --output <format>", "table, json or yaml").choices(FORMATS).default("table"))
  .option("--url <url>", "Hedwig's address (else HEDWIG_URL or the saved login)")
  .option("--token <token>", "an API token (else HEDWIG_TOKEN or the saved login)")
  .showHelpAfterError()
  .exitOverride();

const globals = () => program.opts<{ output: Format; url?: string; token?: string }>();
const fmt = () => globals().output;
const api = async (): Promise<Api> => apiClient(await connection(globals()));
const intArg = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${what} must be a positive whole number, not ${v}`, EXIT.USAGE);
  return n;
};

/** Every page of a list (the server pages at most 500 rows). */
async function all<T>(client: Api, path: string, query: Record<string, string | number | undefined>): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    const p = await client.get<Page<T>>(path, { ...query, page, pageSize: 500 });
    rows.push(...p.rows);
    if (rows.length >= p.total || p.rows.length === 0) return rows;
  }
}

const jobColumns: [string, (j: Job) => unknown][] = [
  ["JOB", (j) => j.id],
  ["KIND", (j) => j.kind],
  ["STATUS", (j) => j.status],
];

// ---- login
program
  .command("login")
  .description(
    "save Hedwig's URL and an API token (from your profile page) in the config file, mode 0600: hedwig login --url URL --token hdw_… (or the token on standard input)",
  )
  .action(async () => {
    // --url and --token are the program's own options, so they are read wherever they stand.
    const { url: given, token: flag } = globals();
    if (!given) throw new CliError("give Hedwig's address with --url", EXIT.USAGE);
    const token = flag ?? (await readStdin()).trim();
    if (!token) throw new CliError("give the token with --token or on standard input", EXIT.USAGE);
    const url = given.replace(/\/+$/, "");
    // Proves the token before keeping it.
    await apiClient({ url, token }).get("/services", { pageSize: 1 });
    const path = await writeConfig({ url, token });
    process.stderr.write(`logged in to ${url}; saved in ${path}\n`);
  });

// ---- services
const services = program.command("services").description("services (clusters)");
services
  .command("ls")
  .description("list services")
  .option("-l, --product-line <code>", "only this product line")
  .option("--kind <kind>", "REDIS_STANDALONE, REDIS_SENTINEL, REDIS_TWEMPROXY or MEMCACHED")
  .option("--status <status>", "e.g. ONLINE")
  .option("-s, --search <text>", "name contains")
  .action(async (o: { productLine?: string; kind?: string; status?: string; search?: string }) => {
    const rows = await all<ServiceRow>(await api(), "/services", { productLine: o.productLine, kind: o.kind, status: o.status, search: o.search });
    printRows(fmt(), rows, [
      ["ID", (s) => s.id],
      ["NAME", (s) => s.name],
      ["KIND", (s) => s.kind],
      ["STATUS", (s) => s.status],
      ["PRODUCT LINE", (s) => s.productLine.code],
      ["INSTANCES", (s) => s.instances],
      ["ENTRY", (s) => s.entry],
    ]);
  });
services
  .command("show <id>")
  .description("a service and its instances")
  .action(async (id: string) => {
    const s = await (await api()).get<ServiceRow & { instances: (InstanceRow & { host: { ip: string } })[] }>(`/services/${intArg("a service id")(id)}`);
    if (fmt() !== "table") return printObject(fmt(), s);
    printObject("table", { id: s.id, name: s.name, kind: s.kind, status: s.status });
    process.stdout.write("\n");
    printRows("table", s.instances, [
      ["ID", (i) => i.id],
      ["ADDRESS", (i) => `${i.host.ip}:${i.port}`],
      ["ROLE", (i) => i.role],
      ["SHARD", (i) => i.shardIndex],
      ["STATE", (i) => i.state],
    ]);
  });

services
  .command("health <id>")
  .description("a service's canary, 30-day availability and open incident")
  .action(async (id: string) => {
    const h = await (
      await api()
    ).get<{
      canary: { ok: boolean; entry: string; via: string; failed: number; keys: number; latencyMs: number | null; error: string | null; at: string } | null;
      availability: Record<string, unknown> | null;
      incident: { id: number; openedAt: string } | null;
    }>(`/services/${intArg("a service id")(id)}/health`);
    if (fmt() !== "table") return printObject(fmt(), h);
    printObject("table", {
      canary: h.canary ? (h.canary.ok ? "ok" : `FAILING ${h.canary.failed}/${h.canary.keys}${h.canary.error ? `: ${h.canary.error}` : ""}`) : null,
      via: h.canary ? `${h.canary.via} ${h.canary.entry}` : null,
      latencyMs: h.canary?.latencyMs ?? null,
      checkedAt: h.canary?.at ?? null,
      incident: h.incident ? `#${h.incident.id} since ${h.incident.openedAt}` : null,
      ...Object.fromEntries(Object.entries(h.availability ?? {}).filter(([, v]) => v === null || typeof v !== "object")),
    });
  });

// ---- instances
const instanceColumns: [string, (i: InstanceRow) => unknown][] = [
  ["ID", (i) => i.id],
  ["SERVICE", (i) => i.service.name],
  ["ADDRESS", (i) => `${i.host.ip}:${i.port}`],
  ["SOFTWARE", (i) => i.software],
  ["ROLE", (i) => i.role],
  ["SHARD", (i) => i.shardIndex],
  ["STATE", (i) => i.state],
];
const selectInstances = async (client: Api, o: { selector?: string; service?: number }) =>
  o.service
    ? all<InstanceRow>(client, `/services/${o.service}/instances`, { selector: o.selector })
    : all<InstanceRow>(client, "/instances", { selector: o.selector });

program
  .command("instances")
  .description("instances")
  .command("ls")
  .description("list instances, by service or label selector (host labels and role, software, state, service, productLine)")
  .option("--selector <expr>", "e.g. 'region=cn-sh,role=master'")
  .option("--service <id>", "only this service", intArg("a service id"))
  .action(async (o: { selector?: string; service?: number }) => printRows(fmt(), await selectInstances(await api(), o), instanceColumns));

const instance = program.command("instance").description("start, stop or restart instances (each a job)");
for (const action of ["start", "stop", "restart"] as const) {
  instance
    .command(`${action} [ids...]`)
    .description(`${action} instances by id, or every instance a --selector picks (listed and confirmed first)`)
    .option("--selector <expr>", "label selector, e.g. 'service=trade-cart-redis,role=replica'")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--note <text>", "maintenance note (stop, restart)")
    .action(async (ids: string[], o: { selector?: string; yes?: boolean; note?: string }) => {
      const client = await api();
      if (!ids.length && !o.selector) throw new CliError("name instance ids or a --selector", EXIT.USAGE);
      let targets = ids.map(intArg("an instance id"));
      if (!targets.length) {
        const picked = await selectInstances(client, o);
        if (!picked.length) throw new CliError(`no instance matches ${o.selector}`, EXIT.NOT_FOUND);
        await confirm(
          `${action} these ${picked.length} instances?`,
          () => printRows("table", picked, instanceColumns, (s) => void process.stderr.write(s)),
          o.yes,
        );
        targets = picked.map((i) => i.id);
      }
      const jobs: Job[] = [];
      for (const id of targets)
        jobs.push(await client.post<Job>(`/instances/${id}/${action}`, action === "start" || !o.note ? {} : { maintenanceNote: o.note }));
      printRows(fmt(), jobs, jobColumns);
    });
}

program
  .command("failover <instanceId>")
  .description("promote this replica to master of its shard (a job)")
  .action(async (id: string) => printRows(fmt(), [await (await api()).post<Job>(`/instances/${intArg("an instance id")(id)}/failover`)], jobColumns));

program
  .command("proxy")
  .description("Twemproxy")
  .command("clone <serviceId>")
  .description("add one more proxy to a Twemproxy service (a job; it joins the service's VIP)")
  .action(async (id: string) => printRows(fmt(), [await (await api()).post<Job>(`/services/${intArg("a service id")(id)}/proxies`)], jobColumns));

// ---- requests
const request = program.command("request").description("self-service requests");
request
  .command("new")
  .description("submit a request from a YAML or JSON plan (the form's fields: productLineId, kind, purpose, capacityGb, peakQps, …)")
  .requiredOption("-f, --file <plan>", "plan.yaml")
  .option("--draft", "save without submitting")
  .action(async (o: { file: string; draft?: boolean }) => {
    const form = parseYaml(await readFile(o.file, "utf8")) as unknown;
    const r = await (await api()).post<{ id: number; status: string }>("/requests", { form, submit: !o.draft });
    printRows(
      fmt(),
      [r],
      [
        ["REQUEST", (x) => x.id],
        ["STATUS", (x) => x.status],
      ],
    );
  });
const requestColumns: [string, (r: RequestRow) => unknown][] = [
  ["REQUEST", (r) => r.id],
  ["STATUS", (r) => r.status],
  ["KIND", (r) => r.kind],
  ["PRODUCT LINE", (r) => r.productLine.code],
  ["REQUESTER", (r) => r.requester.username],
  ["SERVICE", (r) => r.service?.name],
  ["CREATED", (r) => r.createdAt],
  ["PURPOSE", (r) => r.purpose],
];
request
  .command("ls")
  .description("list requests, newest first (BUSINESS users see their product lines')")
  .option("--status <status>", "SUBMITTED, APPROVED, PROVISIONING, DELIVERED, REJECTED, FAILED, …")
  .option("--mine", "only mine")
  .option("--product-line-id <id>", "only this product line", intArg("a product line id"))
  .option("--limit <n>", "at most this many (default 50)", intArg("a limit"), 50)
  .action(async (o: { status?: string; mine?: boolean; productLineId?: number; limit: number }) => {
    const client = await api();
    const rows: RequestRow[] = [];
    for (let page = 1; rows.length < o.limit; page++) {
      const p = await client.get<Page<RequestRow>>("/requests", {
        status: o.status,
        mine: o.mine ? "true" : undefined,
        productLineId: o.productLineId,
        page,
        pageSize: Math.min(200, o.limit),
      });
      rows.push(...p.rows);
      if (p.rows.length === 0 || page * Math.min(200, o.limit) >= p.total) break;
    }
    printRows(fmt(), rows.slice(0, o.limit), requestColumns);
  });
request
  .command("show <id>")
  .description("a request: its form, plan, decision and jobs")
  .action(async (id: string) => {
    const r = await (
      await api()
    ).get<RequestRow & { decisionComment: string | null; decidedBy: { username: string } | null; jobs: Job[] }>(`/requests/${intArg("a request id")(id)}`);
    if (fmt() !== "table") return printObject(fmt(), r);
    printObject("table", {
      id: r.id,
      status: r.status,
      kind: r.kind,
      productLine: r.productLine.code,
      requester: r.requester.username,
      purpose: r.purpose,
      service: r.service?.name ?? null,
      decidedBy: r.decidedBy?.username ?? null,
      comment: r.decisionComment,
      created: r.createdAt,
    });
    if (r.jobs.length) {
      process.stdout.write("\n");
      printRows("table", r.jobs, jobColumns);
    }
  });
request
  .command("approve <id>")
  .description("approve a request; prints the provisioning job to watch")
  .option("-m, --comment <text>", "a comment for the requester")
  .action(async (id: string, o: { comment?: string }) =>
    printRows(fmt(), [await (await api()).post<Job>(`/requests/${intArg("a request id")(id)}/approve`, { comment: o.comment ?? null })], jobColumns),
  );
request
  .command("reject <id>")
  .description("reject a request, saying why")
  .requiredOption("-m, --comment <text>", "why (at least 5 characters)")
  .action(async (id: string, o: { comment: string }) => {
    const r = await (await api()).post<{ id: number; status: string }>(`/requests/${intArg("a request id")(id)}/reject`, { comment: o.comment });
    printRows(
      fmt(),
      [r],
      [
        ["REQUEST", (x) => x.id],
        ["STATUS", (x) => x.status],
      ],
    );
  });

// ---- jobs
const job = program.command("job").description("jobs");
job
  .command("show <id>")
  .description("a job's status and steps")
  .action(async (id: string) => {
    const j = await (await api()).get<Job>(`/jobs/${encodeURIComponent(id)}`);
    if (fmt() !== "table") return printObject(fmt(), j);
    printObject("table", { id: j.id, kind: j.kind, status: j.status, error: j.error ?? null });
    process.stdout.write("\n");
    printRows("table", j.steps ?? [], [
      ["STEP", (x) => x.index],
      ["NAME", (x) => x.name],
      ["STATUS", (x) => x.status],
    ]);
  });
job
  .command("watch <id>")
  .description("follow a job's log live; exits 0 when it succeeds, 8 when it fails")
  .action(async (id: string) => {
    const stream = await (await api()).stream(`/jobs/${encodeURIComponent(id)}/log`);
    const decoder = new TextDecoder();
    let buffer = "";
    let end: { status: string; error: string | null } | null = null;
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl)) as {
          type: string;
          at?: string;
          level?: string;
          message?: string;
          stepIndex?: number | null;
          status?: string;
          error?: string | null;
        };
        buffer = buffer.slice(nl + 1);
        if (line.type === "end") end = { status: line.status!, error: line.error ?? null };
        else if (fmt() === "table") process.stdout.write(`${line.at}  ${line.level!.padEnd(5)} ${line.stepIndex ?? "-"}  ${line.message}\n`);
        else process.stdout.write(JSON.stringify(line) + "\n");
      }
    }
    if (!end) throw new CliError("the log stream ended before the job did", EXIT.ERROR);
    process.stderr.write(`job ${id}: ${end.status}${end.error ? ` (${end.error})` : ""}\n`);
    if (end.status !== "SUCCEEDED") process.exitCode = EXIT.JOB_FAILED;
  });

// ---- capacity
const size = (v: string): number => {
  const m = /^(\d+(?:\.\d+)?)\s*([MGT]?)B?$/i.exec(v.trim());
  if (!m) throw new CliError(`a size is like 512M, 8G or 1T, not ${v}`, EXIT.USAGE);
  return Math.round(Number(m[1]) * { "": 1, M: 1, G: 1024, T: 1024 * 1024 }[m[2]!.toUpperCase() as "" | "M" | "G" | "T"]);
};
program
  .command("capacity")
  .description("how many instances of a spec the fleet has room for now")
  .requiredOption("--cpu <cores>", "CPU cores per instance", Number)
  .requiredOption("--memory <size>", "memory per instance, e.g. 8G", size)
  .option("--disk <size>", "disk per instance", size, 20 * 1024)
  .option("--bandwidth <mbps>", "Mbps per instance", Number, 100)
  .option("--replicas <n>", "copies per shard", Number, 2)
  .option("--selector <expr>", "only hosts with these labels", "")
  .action(async (o: { cpu: number; memory: number; disk: number; bandwidth: number; replicas: number; selector: string }) => {
    const r = await (
      await api()
    ).post<{ instances: number; shards: number; hostsConsidered: number; hostsWithRoom: number; perIdc: { idc: string; instances: number }[] }>(
      "/scheduler/capacity",
      {
        spec: { cpuCores: o.cpu, memoryMb: o.memory, diskGb: Math.max(1, Math.round(o.disk / 1024)), bandwidthMbps: o.bandwidth },
        replicas: o.replicas,
        selector: o.selector,
      },
    );
    if (fmt() !== "table") return printObject(fmt(), r);
    printObject("table", { instances: r.instances, shards: r.shards, hostsConsidered: r.hostsConsidered, hostsWithRoom: r.hostsWithRoom });
    process.stdout.write("\n");
    printRows("table", r.perIdc, [
      ["IDC", (x) => x.idc],
      ["INSTANCES", (x) => x.instances],
    ]);
  });

// ---- board
program
  .command("board")
  .description("the NOC board for a terminal: red first, then amber; refreshes until Ctrl-C")
  .option("--once", "print once and exit (1 if anything is red)")
  .option("--interval <seconds>", "refresh every N seconds", Number, 5)
  .action(async (o: { once?: boolean; interval: number }) => {
    const client = await api();
    for (;;) {
      const b = await client.get<Board>("/board");
      // The server's order: the worst product line first, each line's problems red first, the oldest first.
      const lines = b.groups.filter((g) => g.problems.length);
      if (fmt() !== "table")
        printObject(fmt(), {
          counts: b.counts,
          openIncidents: b.openIncidents,
          unacknowledged: b.unacknowledged,
          lines: lines.map((g) => ({ productLine: g.productLine.code, worst: g.worst, problems: g.problems })),
        });
      else {
        if (!o.once && process.stdout.isTTY) process.stdout.write("\x1b[2J\x1b[H");
        const colour = (level: string, s: string) => (process.stdout.isTTY ? `\x1b[${level === "RED" ? 31 : 33}m${s}\x1b[0m` : s);
        process.stdout.write(
          `red ${b.counts.RED ?? 0}  amber ${b.counts.AMBER ?? 0}  green ${b.counts.GREEN ?? 0}  open incidents ${b.openIncidents}  unacknowledged ${b.unacknowledged}  (${new Date().toLocaleTimeString()})\n`,
        );
        if (!lines.length) process.stdout.write("\nnothing red or amber\n");
        for (const g of lines) {
          const red = g.problems.filter((p) => p.level === "RED").length;
          process.stdout.write(`\n${colour(g.worst, g.worst)}  ${g.productLine.code}  (${red} red, ${g.problems.length - red} amber)\n`);
          printRows("table", g.problems, [
            ["  LEVEL", (p) => `  ${colour(p.level, p.level)}`],
            ["SERVICE", (p) => p.name],
            ["SINCE", (p) => p.since],
            ["INCIDENT", (p) => (p.incident ? `#${p.incident.id}${p.incident.acknowledgedBy ? ` ack ${p.incident.acknowledgedBy}` : ""}` : null)],
            ["REASONS", (p) => p.reasons.map((r) => r.code).join(", ")],
          ]);
        }
      }
      if (o.once) {
        if ((b.counts.RED ?? 0) > 0) process.exitCode = EXIT.ERROR;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(1, o.interval) * 1000));
    }
  });

// ---- Libra
const lb = program.command("lb").description("load balancing (Libra)");
lb.command("pools")
  .description("load-balancer pools")
  .action(async () =>
    printRows(fmt(), await (await api()).get<{ id: number; name: string; backend: string; servers: unknown[] }[]>("/libra/pools"), [
      ["POOL", (p) => p.id],
      ["NAME", (p) => p.name],
      ["BACKEND", (p) => p.backend],
      ["SERVERS", (p) => p.servers.length],
    ]),
  );
lb.command("pool <id>")
  .description("a pool with its servers and applications")
  .action(async (id: string) => printObject(fmt(), await (await api()).get(`/libra/pools/${intArg("a pool id")(id)}`)));
lb.command("app <id>")
  .description("an application (a VIP) and its members")
  .action(async (id: string) => {
    const a = await (await api()).get<{ id: number; name: string; members: MemberRow[] }>(`/libra/applications/${intArg("an application id")(id)}`);
    if (fmt() !== "table") return printObject(fmt(), a);
    printObject("table", { id: a.id, name: a.name });
    process.stdout.write("\n");
    printRows("table", a.members, memberColumns);
  });
const member = lb.command("member").description("pool members");
for (const [action, state] of [
  ["drain", "DRAINING"],
  ["enable", "ENABLED"],
  ["disable", "DISABLED"],
] as const) {
  member
    .command(`${action} <memberId>`)
    .description(`${action} a member now on every load-balancer server (and in the next sync)`)
    .action(async (id: string) => {
      const r = await (await api()).post<{ ok: boolean; runId: number; member: MemberRow }>(`/libra/members/${intArg("a member id")(id)}/emergency`, { state });
      printRows(fmt(), [r.member], memberColumns);
      if (!r.ok) throw new CliError(`not applied on every server; see run ${r.runId} on the pool page`, EXIT.ERROR);
    });
}
member
  .command("weight <memberId> <weight>")
  .description("reweight a member now on every load-balancer server")
  .action(async (id: string, weight: string) => {
    const w = Number(weight);
    if (!Number.isInteger(w) || w < 0) throw new CliError(`a weight is a whole number ≥ 0, not ${weight}`, EXIT.USAGE);
    const r = await (
      await api()
    ).post<{ ok: boolean; runId: number; member: MemberRow }>(`/libra/members/${intArg("a member id")(id)}/emergency`, { weight: w });
    printRows(fmt(), [r.member], memberColumns);
    if (!r.ok) throw new CliError(`not applied on every server; see run ${r.runId} on the pool page`, EXIT.ERROR);
  });

// ---- scheduler placements
const scheduler = program.command("scheduler").description("the scheduler's placements: place (lock), commit, release");
const allocationColumns: [string, (a: AllocationRow) => unknown][] = [
  ["ALLOCATION", (a) => a.id],
  ["STATUS", (a) => a.status],
  ["PURPOSE", (a) => a.purpose],
  ["EXPIRES", (a) => a.expiresAt],
];
scheduler
  .command("allocations")
  .description("placements, newest first")
  .option("--status <status>", "LOCKED, COMMITTED, RELEASED or EXPIRED")
  .action(async (o: { status?: string }) =>
    printRows(fmt(), (await (await api()).get<Page<AllocationRow>>("/scheduler/allocations", { status: o.status, pageSize: 200 })).rows, allocationColumns),
  );
scheduler
  .command("place")
  .description("place shards and lock the room, from a YAML or JSON file (spec, shards, replicas, productLineId, software, purpose, ttlSeconds, …)")
  .requiredOption("-f, --file <placement>", "placement.yaml")
  .action(async (o: { file: string }) => {
    const r = await (
      await api()
    ).post<{ allocationId?: string; id?: string } & Record<string, unknown>>("/scheduler/place", parseYaml(await readFile(o.file, "utf8")));
    printObject(fmt(), r);
  });
for (const action of ["commit", "release"] as const)
  scheduler
    .command(`${action} <allocationId>`)
    .description(action === "commit" ? "turn a locked placement into a lasting one" : "release a locked or committed placement")
    .action(async (id: string) =>
      printRows(fmt(), [await (await api()).post<AllocationRow>(`/scheduler/allocations/${encodeURIComponent(id)}/${action}`)], allocationColumns),
    );

// ---- incidents
type IncidentRow = {
  id: number;
  openedAt: string;
  closedAt: string | null;
  importance: number;
  host: string | null;
  acknowledgedAt: string | null;
  services: { name: string }[];
};
const incidents = program.command("incidents").description("incidents");
incidents
  .command("ls")
  .description("incidents, newest first")
  .addOption(new Option("--state <state>", "open, closed or all").choices(["open", "closed", "all"]).default("open"))
  .option("--days <n>", "opened within the last N days", intArg("a number of days"), 30)
  .action(async (o: { state: string; days: number }) => {
    const p = await (await api()).get<Page<IncidentRow>>("/incidents", { state: o.state, days: o.days, pageSize: 200 });
    printRows(fmt(), p.rows, [
      ["INCIDENT", (i) => i.id],
      ["OPENED", (i) => i.openedAt],
      ["CLOSED", (i) => i.closedAt],
      ["IMPORTANCE", (i) => i.importance],
      ["ACKNOWLEDGED", (i) => i.acknowledgedAt],
      ["SUBJECT", (i) => i.host ?? i.services.map((x) => x.name).join(", ")],
    ]);
  });
incidents
  .command("show <id>")
  .description("an incident with its services and timeline")
  .action(async (id: string) => printObject(fmt(), await (await api()).get(`/incidents/${intArg("an incident id")(id)}`)));
program
  .command("ack <serviceId>")
  .description("acknowledge the service's open incident, saying what you are doing")
  .requiredOption("-m, --note <text>", "what you are doing about it")
  .action(async (id: string, o: { note: string }) => {
    const r = await (await api()).post<{ id: number }>(`/services/${intArg("a service id")(id)}/acknowledge`, { note: o.note });
    printRows(fmt(), [r], [["INCIDENT", (x) => x.id]]);
  });
program
  .command("silence <serviceId>")
  .description("silence the service's open incident (0 minutes lifts the silence)")
  .requiredOption("--minutes <n>", "for how long", (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new CliError(`minutes are a whole number ≥ 0, not ${v}`, EXIT.USAGE);
    return n;
  })
  .option("-m, --note <text>", "why")
  .action(async (id: string, o: { minutes: number; note?: string }) => {
    const r = await (await api()).post<{ id: number }>(`/services/${intArg("a service id")(id)}/silence`, { minutes: o.minutes, note: o.note });
    printRows(fmt(), [r], [["INCIDENT", (x) => x.id]]);
  });

// ---- alerts from other systems
const alert = program.command("alert").description("raise or resolve an incident on a service from another system (POST /api/v1/alerts)");
for (const status of ["raise", "resolve"] as const)
  alert
    .command(`${status} <service>`)
    .description(status === "raise" ? "open (or add to) the incident of this source and key" : "close the incident of this source and key")
    .requiredOption("--source <name>", "who raises it, e.g. zabbix")
    .option("--key <key>", "the alert's name in that system (default: the summary)")
    .option("-m, --summary <text>", "what is wrong (required to raise)")
    .addOption(new Option("--level <level>", "RED or AMBER").choices(["RED", "AMBER"]).default("RED"))
    .action(async (service: string, o: { source: string; key?: string; summary?: string; level: string }) => {
      if (!o.summary && (status === "raise" || !o.key))
        throw new CliError("say what is wrong with --summary (or name the alert with --key to resolve it)", EXIT.USAGE);
      const target = /^\d+$/.test(service) ? { serviceId: Number(service) } : { service };
      const r = await (
        await api()
      ).post<{ incidentId: number; opened: boolean; resolved: boolean }>("/alerts", {
        ...target,
        source: o.source,
        key: o.key,
        summary: o.summary ?? o.key,
        level: o.level,
        status: status === "raise" ? "firing" : "resolved",
      });
      printRows(
        fmt(),
        [r],
        [
          ["INCIDENT", (x) => x.incidentId],
          ["OPENED", (x) => x.opened],
          ["RESOLVED", (x) => x.resolved],
        ],
      );
    });

program
  .command("completion")
  .description('print a shell completion script: eval "$(hedwig completion bash)" (or zsh)')
  .addArgument(new Argument("<shell>", "bash or zsh").choices(["bash", "zsh"]))
  .action((shell: "bash" | "zsh") => void process.stdout.write(completionScript(program, shell)));

async function confirm(question: string, show: () => void, yes?: boolean) {
  show();
  if (yes) return;
  if (!process.stdin.isTTY) throw new CliError("not confirmed: pass --yes to run a batch without a terminal", EXIT.CANCELLED);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliError("cancelled", EXIT.CANCELLED);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.OK;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    if (e instanceof CliError) {
      process.stderr.write(`hedwig: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`hedwig: ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.ERROR;
  }
}
