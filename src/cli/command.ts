// The contract between the CLI entry point and each command module in src/cli/commands/.

import type { Command } from 'commander';
import type { Logger } from '../lib/log.js';

/** What every command receives besides its own options. */
export interface CliContext {
  /** Diagnostics go here (stderr). */
  log: Logger;
  /** Output data (export, print) goes here: stdout unless a test redirects it. */
  stdout: NodeJS.WritableStream;
}

/**
 * A command module registers itself on the program. Its action throws MitsuError on failure
 * (MITSU_CONFIG_INVALID and MITSU_INPUT_INVALID exit 2, others exit 1) and returns on success.
 */
export type RegisterCommand = (program: Command, ctx: () => CliContext) => void;
