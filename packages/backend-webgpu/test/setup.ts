import { existsSync } from 'node:fs';

// Run on lavapipe, one thread, unless the caller chose (docs/webgpu-on-linux.md: 1 thread aborts
// Dawn less often than 2 on this 2-core machine). Must be set before the first create().
const LAVAPIPE = '/usr/share/vulkan/icd.d/lvp_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(LAVAPIPE)) process.env.VK_ICD_FILENAMES = LAVAPIPE;
process.env.LP_NUM_THREADS ??= '1';
process.env.XDG_RUNTIME_DIR ??= '/tmp';
