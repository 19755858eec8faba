#!/usr/bin/env node
// Entry point of the `parley` command (package.json "bin", the Docker ENTRYPOINT and the tests all run this file).
import { main } from '../dist/connector/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
