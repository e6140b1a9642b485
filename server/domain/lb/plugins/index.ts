import type { LbBackend } from "../../../../generated/prisma/enums";
import { haproxyPlugin } from "./haproxy";
import { keepalivedPlugin } from "./keepalived";
import type { LbPlugin } from "./plugin";

export type { LbPlugin } from "./plugin";

export const PLUGINS: Record<LbBackend, LbPlugin> = { HAPROXY: haproxyPlugin, LVS: keepalivedPlugin };
