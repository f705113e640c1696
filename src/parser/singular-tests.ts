/**
 * Singular data tests (dbt's parser/singular_test.py): each `.sql` file in the test paths (outside
 * `generic/`) is a query returning failing rows; config from `{{config}}` in the file over project.yaml
 * `data_tests:` for its folders.
 */
import { WeirError } from '../errors/weir-error.js';
import { checkTestConfig, hasPercentThreshold } from './configs/data-test.js';
import { checkConfigKeys } from '../loader/config-keys.js';
import { mergeConfig } from '../loader/folder-config.js';
import { uniqueId } from '../manifest/manifest.js';
import type { NodeConfig } from '../manifest/types.js';
import { finishConfig, leadingComment, type ParseContext } from './parse-context.js';
import { parseSql } from './templates.js';

/** Adds a test node per enabled singular test file. */
export function parseSingularTests(ctx: ParseContext): void {
  const { files, project, errors, addTest } = ctx;
  for (const f of files.singularTests) {
    const deps = parseSql(ctx, f);
    // {{config}} in the file > project.yaml data_tests: for its folders (f.folderConfig, checked once by generic-tests.ts).
    const config = finishConfig(mergeConfig({ materialized: 'test', severity: 'error' }, f.folderConfig, deps?.config ?? {}), 'test');
    if (deps) checkConfigKeys(deps.config, 'test', { file: f.path, keyLines: deps.configLines, what: `test '${f.name}'` }, errors);
    if (hasPercentThreshold(config)) {
      errors.push(new WeirError('WEIR_CONFIG_INVALID', `test '${f.name}': a percentage threshold (warn_if/error_if "…%") needs a tested relation, and a singular test has none`, {
        location: { file: f.path }, hint: 'Use a count threshold such as warn_if: ">10", or write the check as a generic test on the model.',
      }));
    }
    if (!config.enabled) continue;
    checkTestConfig((deps?.config ?? {}) as NodeConfig, { file: f.path, what: `test ${f.name}` }, errors);
    addTest({
      resource_type: 'test', unique_id: uniqueId('test', project, f.name), name: f.name, package_name: project,
      fqn: [project, ...f.folders, f.name], path: f.path, description: leadingComment(f.raw), config, tags: config.tags, columns: {}, meta: {},
      test_type: 'singular', raw_code: f.raw, deps: deps ?? { refs: [], sources: [], macros: [], config: {} },
    });
  }
}
