import { createCpuBackend } from '@convroute/backend-cpu';
import { describeBackendConformance } from '@convroute/conformance/vitest';

// What a third party writes to hold their backend to the reference (README example).
describeBackendConformance('cpu exact via the vitest helper', () => createCpuBackend({ mode: 'exact' }), { bitwise: true, numRuns: 10 });
