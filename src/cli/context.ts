/** What each CLI command receives. Commands call services directly, with no HTTP hop. */
import type { Config } from '../config.ts';
import type { Custos } from '../main.ts';
import type { Output } from './output.ts';

export interface CliContext {
  readonly config: Config;
  /** Output for this invocation (honours --json). */
  output(json: boolean): Output;
  /** Open the database for a command (takes the embedded database's lock) and close it afterwards. */
  withCustos<T>(command: string, fn: (custos: Custos) => Promise<T>): Promise<T>;
}
