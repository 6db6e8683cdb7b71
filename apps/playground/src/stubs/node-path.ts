/** Browser stand-in for node:path (see vite.config.ts): enough for the code paths a bundle keeps. */
export const join = (...parts: string[]): string => parts.filter((p) => p !== '').join('/');
export default { join };
