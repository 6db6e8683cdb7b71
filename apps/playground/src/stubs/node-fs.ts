/** Browser stand-in for node:fs (see vite.config.ts): the page never writes files. */
function unavailable(name: string): never {
  throw new Error(`node:fs ${name} is not available in the browser`);
}
export const mkdirSync = (..._a: unknown[]): never => unavailable('mkdirSync');
export const writeFileSync = (..._a: unknown[]): never => unavailable('writeFileSync');
export const readFileSync = (..._a: unknown[]): never => unavailable('readFileSync');
export const existsSync = (..._a: unknown[]): boolean => false;
export default { mkdirSync, writeFileSync, readFileSync, existsSync };
