// Prints a .npy file's shape and data as JSON (test/pack.test.ts).
import { readFileSync } from 'node:fs';
import { readNpy } from 'convroute';

const t = readNpy(readFileSync(process.argv[2]));
console.log(JSON.stringify({ shape: t.shape, data: Array.from(t.data) }));
