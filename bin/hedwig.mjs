#!/usr/bin/env node
// The `hedwig` command: runs the TypeScript CLI through tsx, as the repo's scripts do.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
// exitCode, not exit(): a large answer piped to another program is written out before the process ends.
process.exitCode = await main(process.argv);
