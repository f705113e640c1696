#!/usr/bin/env node
// Entry point of the `weir` CLI: runs the compiled CLI from dist/ (built by `npm ci` via the `prepare` script).
import { main } from '../dist/cli/main.js';

// `weir ls | head` closes the pipe early: stop quietly instead of crashing with EPIPE.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
