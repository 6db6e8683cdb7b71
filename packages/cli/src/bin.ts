#!/usr/bin/env node
// The installed `convroute` command (package.json publishConfig.bin).
import { runAsCommand } from './main.ts';

await runAsCommand(process.argv.slice(2));
