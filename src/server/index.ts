/**
 * The mock server's public entry: what an example or recipe needs to run the "unreliable" service
 * inline. Everything else in src/server/ is the lab's business.
 */
export { ServerSwitch, type ServerSwitchOptions } from './server-switch.ts';
export { isListenError, type RequestCounts } from './mock-server.ts';
export type { ServerMode } from './server-mode.ts';
