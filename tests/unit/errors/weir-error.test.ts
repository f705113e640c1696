import { describe, expect, it } from 'vitest';
import { throwIfAny, toWeirError, WeirError, WeirErrors } from '../../../src/errors/weir-error.js';

describe('WeirError', () => {
  it('formats location, key path and hint', () => {
    const e = new WeirError('WEIR_PROJECT_INVALID', 'bad', { hint: 'fix it', location: { file: 'project.yaml', line: 3, column: 5, keyPath: 'targets.dev' } });
    expect(e.format()).toBe('project.yaml:3:5 (targets.dev): bad\n  hint: fix it');
    expect(new WeirError('WEIR_SQL_ERROR', 'x').format()).toBe('x');
  });
  it('maps codes to exit codes', () => {
    expect(new WeirError('WEIR_REF_NOT_FOUND', 'x').exitCode).toBe(2);
    expect(new WeirError('WEIR_DB_LOCKED', 'x').exitCode).toBe(2);
    expect(new WeirError('WEIR_SQL_ERROR', 'x').exitCode).toBe(1);
    expect(new WeirErrors([new WeirError('WEIR_SQL_ERROR', 'a'), new WeirError('WEIR_DAG_CYCLE', 'b')]).exitCode).toBe(2);
  });
  it('lists several problems', () => {
    const e = new WeirErrors([new WeirError('WEIR_REF_NOT_FOUND', 'one', { location: { file: 'a.sql', line: 1 } }), new WeirError('WEIR_REF_NOT_FOUND', 'two', { hint: 'h' })]);
    expect(e.format()).toBe('2 problems found:\n- a.sql:1: one\n- two\n    hint: h');
    expect(() => throwIfAny([])).not.toThrow();
    expect(() => throwIfAny([new WeirError('WEIR_USAGE', 'u')])).toThrow('u');
  });
  it('wraps unknown errors as WEIR_INTERNAL', () => {
    expect(toWeirError(new TypeError('boom'))).toMatchObject({ code: 'WEIR_INTERNAL', message: 'boom' });
  });
});
