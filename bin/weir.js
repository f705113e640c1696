#!/usr/bin/env node
// Entry point of the `weir` CLI: runs the compiled CLI from dist/ (built by `npm ci` via the `prepare` script).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
