import { hash, verify } from "@node-rs/argon2";

// Argon2id with OWASP's minimum profile (19 MiB, 2 passes): slow enough for stored passwords,
// fast enough that sign-in stays well under a second on these machines.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (plain: string) => hash(plain, OPTIONS);

export async function verifyPassword(stored: string, plain: string): Promise<boolean> {
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}
