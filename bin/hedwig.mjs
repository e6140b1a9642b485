#!/usr/bin/env node
// The `hedwig` command: runs the TypeScript CLI through tsx, as the repo's scripts do.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exit(await main(process.argv));
