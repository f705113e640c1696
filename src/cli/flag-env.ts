/**
 * Flag values from the environment, as dbt reads `DBT_*` variables for its flags
 * (https://docs.getdbt.com/reference/global-configs/about-global-configs): for a flag `--fail-fast`,
 * `WEIR_FAIL_FAST` and then `DBT_FAIL_FAST` give its default; the command line wins over both.
 * Booleans are `true`/`false`/`1`/`0`/`yes`/`no` (any case); anything else is an error naming the variable.
 */
import { WeirError } from '../errors/weir-error.js';

/** Flags that read the environment, by flag name (the variable is `WEIR_`/`DBT_` + the name upper-cased with `_`). */
export const ENV_FLAGS = [
  'project-dir', 'profiles-dir', 'profile', 'target', 'target-path', 'vars', 'log-level', 'log-format', 'quiet', 'partial-parse',
  'fail-fast', 'full-refresh', 'threads', 'state', 'defer', 'favor-state', 'indirect-selection', 'selector',
] as const;

/** `--indirect-selection` values (graph/selector.ts's IndirectSelection; kept here so the CLI loads no graph code). */
export const INDIRECT_SELECTION_MODES = ['eager', 'cautious', 'buildable', 'empty'] as const;

/** A flag that reads the environment. */
export type EnvFlag = (typeof ENV_FLAGS)[number];

/** The variables a flag reads, in order. */
export function envNames(flag: EnvFlag): [string, string] {
  const base = flag.toUpperCase().replace(/-/g, '_');
  return [`WEIR_${base}`, `DBT_${base}`];
}

/** Reads flag defaults from an environment. */
export class FlagEnv {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The value and the variable it came from, if set (empty counts as unset). */
  private find(flag: EnvFlag): { name: string; value: string } | undefined {
    for (const name of envNames(flag)) {
      const value = this.env[name];
      if (value !== undefined && value !== '') return { name, value };
    }
    return undefined;
  }

  /** A string flag's default. */
  str(flag: EnvFlag): string | undefined {
    return this.find(flag)?.value;
  }

  /** A number flag's default. @throws WeirError `WEIR_USAGE` when it is not a number */
  num(flag: EnvFlag): number | undefined {
    const f = this.find(flag);
    if (!f) return undefined;
    const n = Number(f.value);
    if (!Number.isFinite(n)) throw new WeirError('WEIR_USAGE', `${f.name}=${f.value} is not a number (it sets --${flag})`);
    return n;
  }

  /** A boolean flag's default. @throws WeirError `WEIR_USAGE` for a value that is not a boolean */
  bool(flag: EnvFlag): boolean | undefined {
    const f = this.find(flag);
    if (!f) return undefined;
    const v = f.value.toLowerCase();
    if (['true', '1', 'yes'].includes(v)) return true;
    if (['false', '0', 'no'].includes(v)) return false;
    throw new WeirError('WEIR_USAGE', `${f.name}=${f.value} is not a boolean (it sets --${flag})`, { hint: `Use ${f.name}=true or ${f.name}=false.` });
  }
}
