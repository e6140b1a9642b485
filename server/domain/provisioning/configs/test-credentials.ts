import type { ServiceSecrets } from "../../credentials/model";

/** Fixed users for the golden files (a generated password would change them on every run). */
export const TEST_SECRETS: ServiceSecrets = {
  APP: { username: "app", passwords: ["app-password-0000000000000000000000000000"] },
  OPS: { username: "hedwig-ops", passwords: ["ops-password-0000000000000000000000000000"] },
  REPL: { username: "hedwig-repl", passwords: ["repl-password-000000000000000000000000000"] },
  SENTINEL: { username: "hedwig-sentinel", passwords: ["sentinel-password-0000000000000000000000"] },
};
