import { describe, expect, it } from 'vitest';
import { runExitCode, SIGNAL_EXIT_CODES } from '../../../src/errors/exit-codes.js';

describe('runExitCode', () => {
  it('is 0 for a successful run and 1 for a failed one', () => {
    expect(runExitCode({ success: true })).toBe(0);
    expect(runExitCode({ success: false })).toBe(1);
  });

  it('is 128 + the signal number for a cancelled run, whatever its success', () => {
    expect(runExitCode({ success: false, cancelledBy: 'SIGINT' })).toBe(130);
    expect(runExitCode({ success: false, cancelledBy: 'SIGTERM' })).toBe(143);
    expect(runExitCode({ success: true, cancelledBy: 'SIGINT' })).toBe(SIGNAL_EXIT_CODES.SIGINT);
  });

  it('treats a cancellation by any other reason (a library caller\'s AbortController) as SIGTERM\'s 143', () => {
    expect(runExitCode({ success: false, cancelledBy: 'timeout' })).toBe(143);
  });
});
