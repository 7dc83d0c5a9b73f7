#!/usr/bin/env node
// Entry point of the `mitsu` command: runs the compiled CLI from dist/.
import { main } from '../dist/cli/main.js';

main(process.argv);
