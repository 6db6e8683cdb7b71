/** The `convroute bench` child process entry (runner.ts forks it): no peer libraries. */
import { runBenchChild } from './child-main.ts';

runBenchChild();
