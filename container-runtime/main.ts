#!/usr/bin/env node
// runts: the runsc-style command line. One file per verb under cmd/.

import { Command } from 'commander';
import { registerDo } from './cmd/do.js';

const program = new Command();
program
  .name('runts')
  .description('tsvisor: run x86-64 Linux programs in a sandbox with an emulated CPU and a TypeScript kernel')
  .version('0.1.0')
  .enablePositionalOptions();
registerDo(program);
program.parseAsync(process.argv).catch((e) => {
  process.stderr.write(`runts: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(125);
});
