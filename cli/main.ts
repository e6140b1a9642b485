import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { Command, CommanderError, Option } from "commander";
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
    problems: { name: string; level: string; reasons: { code: string }[]; since: string | null }[];
    healthy: unknown[];
  }[];
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
  all<InstanceRow>(client, "/instances", { selector: o.selector, serviceId: o.service });

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
program
  .command("job")
  .description("jobs")
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
      const problems = b.groups.flatMap((g) => g.problems.map((p) => ({ ...p, productLine: g.productLine.code })));
      if (fmt() !== "table") printObject(fmt(), { counts: b.counts, openIncidents: b.openIncidents, problems });
      else {
        if (!o.once && process.stdout.isTTY) process.stdout.write("\x1b[2J\x1b[H");
        const colour = (level: string, s: string) => (process.stdout.isTTY ? `\x1b[${level === "RED" ? 31 : 33}m${s}\x1b[0m` : s);
        process.stdout.write(
          `red ${b.counts.RED ?? 0}  amber ${b.counts.AMBER ?? 0}  green ${b.counts.GREEN ?? 0}  open incidents ${b.openIncidents}  unacknowledged ${b.unacknowledged}  (${new Date().toLocaleTimeString()})\n\n`,
        );
        // The server sends each line's problems red first, the worst line first.
        printRows("table", problems, [
          ["LEVEL", (p) => colour(p.level, p.level)],
          ["SERVICE", (p) => p.name],
          ["PRODUCT LINE", (p) => p.productLine],
          ["SINCE", (p) => p.since],
          ["REASONS", (p) => p.reasons.map((r) => r.code).join(", ")],
        ]);
      }
      if (o.once) {
        if ((b.counts.RED ?? 0) > 0) process.exitCode = EXIT.ERROR;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(1, o.interval) * 1000));
    }
  });

// ---- Libra
const member = program.command("lb").description("load balancing (Libra)").command("member").description("pool members");
for (const [action, state] of [
  ["drain", "DRAINING"],
  ["enable", "ENABLED"],
  ["disable", "DISABLED"],
] as const) {
  member
    .command(`${action} <memberId>`)
    .description(`${action} a member now on every load-balancer server (and in the next sync)`)
    .action(async (id: string) => {
      const r = await (
        await api()
      ).post<{ ok: boolean; runId: number; member: { id: number; ip: string; port: number; state: string; weight: number } }>(
        `/libra/members/${intArg("a member id")(id)}/emergency`,
        { state },
      );
      printRows(
        fmt(),
        [r.member],
        [
          ["MEMBER", (m) => m.id],
          ["ADDRESS", (m) => `${m.ip}:${m.port}`],
          ["STATE", (m) => m.state],
          ["WEIGHT", (m) => m.weight],
        ],
      );
      if (!r.ok) throw new CliError(`not applied on every server; see run ${r.runId} on the pool page`, EXIT.ERROR);
    });
}

program
  .command("completion")
  .description('print a shell completion script: eval "$(hedwig completion bash)"')
  .argument("<shell>", "bash")
  .action((shell: string) => {
    if (shell !== "bash") throw new CliError("only bash completion is generated", EXIT.USAGE);
    process.stdout.write(completionScript(program));
  });

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
