import type { LbBackend, LbCheckKind, LbProtocol } from "../../../../generated/prisma/enums";
import type { PoolModel, RenderTarget } from "../model";

/**
 * A backend plugin: what the backend can do (the API refuses the rest), how a pool's file is
 * rendered, the real tool that validates it, and the commands of the emergency path.
 */
export interface LbPlugin {
  backend: LbBackend;
  /** algorithms by Hedwig's names (rr, wrr, lc, wlc, sh, …) */
  algorithms: readonly string[];
  /** LVS forwarding kinds; empty for a proxy, which always forwards through itself */
  lvsKinds: readonly string[];
  checkKinds: readonly LbCheckKind[];
  protocols: readonly LbProtocol[];
  maxWeight: number;
  /** whether a member's port may differ from the VIP's port with this forwarding kind */
  portMapping: (lvsKind: string | null) => boolean;
  /** the whole file for a pool on one of its servers; pure */
  render(pool: PoolModel, target: RenderTarget): string;
  /** argv of the real validator for a file at `file` */
  validateCommand(file: string): string[];
  /** the validator's words for "fine"; any other output is a failure */
  validOutput: RegExp;
}
