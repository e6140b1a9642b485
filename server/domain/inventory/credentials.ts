import { text } from "../../../lib/text";
import { z } from "zod";
import { idSchema } from "../bounds";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, notFound } from "../errors";
import { openCredential, sealCredential, secretKey, type SshCredential } from "../executors/secrets";
import { runChecked } from "../executors/executor";
import { SshExecutor } from "../executors/ssh-executor";
import { transactional } from "../../db/transaction";

const login = {
  hostId: idSchema,
  username: z
    .string()
    .trim()
    .min(1, "refusals.fields.sshUser")
    .max(64)
    .regex(/^[a-z_][a-z0-9_.-]*$/i, "refusals.fields.userNameChars"),
  sshPort: z.number().int().min(1, "refusals.fields.port").max(65_535, "refusals.fields.port").default(22),
  /** a changed login keeps the pinned host key; a DBA resets it only when the machine itself changed */
  resetHostKey: z.boolean().optional(),
};

export const hostCredentialSchema = z.discriminatedUnion("method", [
  z.object({
    ...login,
    method: z.literal("KEY"),
    privateKey: z
      .string()
      .trim()
      .max(16_384, "refusals.fields.privateKeyMax")
      .regex(
        /^-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----$/,
        "paste the whole private key, from -----BEGIN … PRIVATE KEY----- to -----END … PRIVATE KEY-----",
      ),
    passphrase: z.string().max(1024).optional(),
  }),
  z.object({ ...login, method: z.literal("PASSWORD"), password: z.string().min(1, "refusals.fields.sshPassword").max(1024) }),
]);

export type HostCredentialInput = z.infer<typeof hostCredentialSchema>;

/** What the browser may know of a host's credential: never the secret. */
export async function credentialStatus(db: DbTx, hostId: number) {
  const c = await db.hostCredential.findUnique({
    where: { hostId },
    select: { username: true, method: true, sshPort: true, hostKeyFingerprint: true, updatedAt: true },
  });
  return c;
}

/**
 * Seals and stores the credential and makes the host an SSH host. The pinned host key stays (a
 * new password does not make the machine another one, and forgetting it would let a spoofed
 * host be pinned at the next login) unless the DBA resets it; then the next login pins it again.
 */
export const setHostCredential = transactional(async function setHostCredential(db: DbTx, actor: Actor, input: HostCredentialInput) {
  const host = await db.host.findUnique({ where: { id: input.hostId }, select: { id: true, ip: true, executor: true } });
  if (!host) throw notFound(text("errors.domain.notFound.host", { id: input.hostId }));
  const credential: SshCredential =
    input.method === "KEY"
      ? { username: input.username, privateKey: input.privateKey, ...(input.passphrase ? { passphrase: input.passphrase } : {}) }
      : { username: input.username, password: input.password };
  const method = input.method;
  const data = { username: input.username, method, sshPort: input.sshPort, sealed: sealCredential(credential, secretKey()) } as const;
  await db.hostCredential.upsert({
    where: { hostId: host.id },
    create: { hostId: host.id, ...data, hostKeyFingerprint: null },
    update: { ...data, ...(input.resetHostKey ? { hostKeyFingerprint: null } : {}) },
  });
  await db.host.update({ where: { id: host.id }, data: { executor: "SSH" } });
  await recordAudit(db, actor, {
    action: "host.credential.set",
    entityType: "Host",
    entityId: host.id,
    summary: `set the SSH login of ${host.ip}: ${input.username}@${host.ip}:${input.sshPort} by ${method === "KEY" ? "private key" : "password"}`,
    before: { executor: host.executor },
    after: { executor: "SSH", username: input.username, sshPort: input.sshPort, method, resetHostKey: input.resetHostKey === true },
  });
  return credentialStatus(db, host.id);
});

/** Removes the credential; the host stays SSH (Hedwig will refuse to deploy there until one is set again). */
export const clearHostCredential = transactional(async function clearHostCredential(db: DbTx, actor: Actor, hostId: number) {
  const host = await db.host.findUnique({ where: { id: hostId }, select: { ip: true } });
  if (!host) throw notFound(text("errors.domain.notFound.host", { id: hostId }));
  const { count } = await db.hostCredential.deleteMany({ where: { hostId } });
  if (count)
    await recordAudit(db, actor, { action: "host.credential.clear", entityType: "Host", entityId: hostId, summary: `removed the SSH login of ${host.ip}` });
  return { removed: count > 0 };
});

// One connection per host and credential for the life of the process; the executor reopens a dropped one.
const executors = new Map<string, SshExecutor>();

/** The SSH executor of a host from its stored credential; the first login pins the host key. */
export async function sshExecutorFor(db: DbTx, host: { id: number; ip: string }): Promise<SshExecutor> {
  const c = await db.hostCredential.findUnique({ where: { hostId: host.id } });
  if (!c) throw badInput(text("refusals.hosts.noSshLogin", { ip: host.ip }));
  const cacheKey = `${host.id}|${c.sealed}|${c.sshPort}`;
  const cached = executors.get(cacheKey);
  if (cached) return cached;
  const exec = new SshExecutor(
    { ip: host.ip, port: c.sshPort, credential: openCredential(c.sealed, secretKey()), hostKeyFingerprint: c.hostKeyFingerprint },
    { onHostKeyPinned: (fp) => db.hostCredential.update({ where: { hostId: host.id }, data: { hostKeyFingerprint: fp } }).then(() => undefined) },
  );
  executors.set(cacheKey, exec);
  return exec;
}

/** Logs in and runs `uname -a`: what a DBA clicks after entering a credential. */
export async function testHostCredential(db: Db, hostId: number) {
  const host = await db.host.findUnique({ where: { id: hostId }, select: { id: true, ip: true } });
  if (!host) throw notFound(text("errors.domain.notFound.host", { id: hostId }));
  const exec = await sshExecutorFor(db, host);
  const started = performance.now();
  try {
    const r = await runChecked(exec, ["uname", "-a"], { timeoutMs: 10_000 });
    return {
      ok: true as const,
      output: r.stdout.trim(),
      ms: Math.round(performance.now() - started),
      fingerprint: (await credentialStatus(db, hostId))?.hostKeyFingerprint ?? null,
    };
  } catch (e) {
    return { ok: false as const, output: (e as Error).message, ms: Math.round(performance.now() - started), fingerprint: null };
  }
}
