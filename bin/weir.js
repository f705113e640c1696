#!/usr/bin/env node
// Entry point of the `weir` CLI: runs the compiled CLI from dist/ (built by `npm ci` via the `prepare` script).
import { main } from '../dist/cli/main.js';

// The reader of stdout went away (`weir ls | head`, a log shipper that died): stop writing to it, but let
// the command finish — a build must not stop half-way, and its exit code must stay the build's.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
  throw err;
});

process.exitCode = await main(process.argv.slice(2));
