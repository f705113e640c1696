/**
 * Project-level data test config: the `data_tests:` mapping of project.yaml (dbt ≥ 1.8's name; the legacy
 * `tests:` is read the same way), scoped by path like `models:`
 * (https://docs.getdbt.com/reference/data-test-configs). A singular test is scoped by its folders below
 * its test path; a generic test by the folders of the YAML file that defines it, below the resource path
 * holding that file (dbt: "the relative path of the yaml file where this generic test is defined, minus
 * the project-level directory and the file name").
 */
import { WeirError } from '../errors/weir-error.js';
import { resolveFolderConfig } from './folder-config.js';
import type { ProjectConfig } from './project-config.js';

type Obj = Record<string, unknown>;

/** The project.yaml key the data test config tree was written under, or undefined when there is none. */
export function testConfigKey(config: Pick<ProjectConfig, 'data_tests' | 'tests'>): 'data_tests' | 'tests' | undefined {
  if (Object.keys(config.data_tests ?? {}).length) return 'data_tests';
  if (Object.keys(config.tests ?? {}).length) return 'tests';
  return undefined;
}

/** The data test config tree (`data_tests:`, else `tests:`; empty when neither is set). */
export function testConfigTree(config: Pick<ProjectConfig, 'data_tests' | 'tests'>): Obj {
  const key = testConfigKey(config);
  return key ? (config[key] as Obj) : {};
}

/**
 * Throws when project.yaml sets both `data_tests:` and `tests:` (dbt refuses this too: which one wins
 * would be a guess).
 * @throws WeirError `WEIR_PROJECT_INVALID` naming both keys
 */
export function checkOneTestConfigKey(config: Pick<ProjectConfig, 'data_tests' | 'tests'>, file: string, line?: number): void {
  if (Object.keys(config.data_tests ?? {}).length && Object.keys(config.tests ?? {}).length) {
    throw new WeirError('WEIR_PROJECT_INVALID', `${file} sets both data_tests: and tests: (the legacy name of data_tests:)`, {
      location: { file, line, keyPath: 'tests' },
      hint: 'Move the settings under tests: into data_tests: and remove tests:.',
    });
  }
}

/**
 * The folders of a project file below the resource path holding it (the longest of model-, seed-,
 * snapshot-, test- and macro-paths that contains it), e.g. `models/marts/_marts.yml` → `['marts']`.
 * A file outside every resource path has no folders.
 * @param file project-relative path with `/` separators
 */
export function resourceFolders(file: string, config: Pick<ProjectConfig, 'model-paths' | 'seed-paths' | 'snapshot-paths' | 'test-paths' | 'macro-paths'>): string[] {
  const dirs = file.split('/').slice(0, -1);
  const bases = [...config['model-paths'], ...config['seed-paths'], ...config['snapshot-paths'], ...config['test-paths'], ...config['macro-paths']]
    .map((p) => p.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '').split('/').filter((s) => s && s !== '.'));
  let best: string[] | undefined;
  for (const b of bases) {
    if (b.length <= dirs.length && b.every((s, i) => s === dirs[i]) && (!best || b.length > best.length)) best = b;
  }
  return best ? dirs.slice(best.length) : [];
}

/**
 * The project-level data test config for a test scoped by `folders` (general to specific; `tags`
 * accumulate), from `data_tests:` / `tests:`.
 */
export function projectTestConfig(config: ProjectConfig, folders: readonly string[]): Obj {
  return resolveFolderConfig(testConfigTree(config), config.name, folders);
}
