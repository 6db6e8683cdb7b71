#!/usr/bin/env node
// The `convroute` command: the installed bin (package.json publishConfig.bin), `tsx
// packages/cli/src/bin.ts` in the workspace, and the entry to bundle for a device machine. Kept
// apart from main.ts: an entry check inside an imported module fires in any bundle that imports it.
import { runAsCommand } from './main.ts';

// `pnpm convroute ...` runs in the repository root; relative paths mean the caller's directory.
const ev = process.env.npm_lifecycle_event;
if ((ev === 'convroute' || ev === 'start') && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await runAsCommand(process.argv.slice(2));
