/**
 * The mock server's public entry: what an example or recipe needs to run the "unreliable" service
 * inline, and the examples' shared command line. Everything else in src/server/ is the lab's business.
 */
export { ServerSwitch, type ServerSwitchOptions } from './server-switch.ts';
export { isListenError, type RequestCounts } from './mock-server.ts';
export type { ServerMode } from './server-mode.ts';
export {
  exampleCommandLine,
  recipeTakesNoOptions,
  runExample,
  type ExampleOptions,
} from './example-command-line.ts';
