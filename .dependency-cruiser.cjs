/**
 * Import boundaries of src/ (checked by `npm run lint:boundaries`, part of `npm test`). Layers, top to
 * bottom; a module may import its own layer and the layers below it, never above (../shared/DESIGN.md):
 *
 *   public (the package's entry points: may import anything)
 *   cli
 *   api, client, importers (weir import-dbt)
 *   execution, docs, orchestration, codegen
 *   parser (the parse phase: loader output → manifest; it parses templates with the compiler's template
 *           functions to record ref/source/config, so it sits above compiler and below what runs a manifest)
 *   compiler, lineage
 *   adapters, udfs, graph, sql
 *   loader
 *   manifest, artifacts
 *   events, errors, utils
 *   vendor (third-party packages the build bundles into one file each: imports nothing of Weir)
 *
 * stdlib (the standard library shipped with the package) imports only the UDF authoring contract
 * (udfs/define.ts) and libraries. Only adapters/registry.ts names the engines' folders. The parse phase's
 * compile-speed machinery is reached through parser/partial-parse/index.ts only. Type-only imports count
 * too: a type is a dependency of the design.
 */
const LAYERS = [
  ['vendor'],
  ['events', 'errors', 'utils'],
  ['manifest', 'artifacts'],
  ['loader'],
  ['adapters', 'udfs', 'graph', 'sql'],
  ['compiler', 'lineage'],
  ['parser'],
  ['execution', 'docs', 'orchestration', 'codegen'],
  ['api', 'client', 'importers'],
  ['cli'],
];

const forbidden = [];
for (const [i, layer] of LAYERS.entries()) {
  const above = LAYERS.slice(i + 1).flat();
  forbidden.push({
    name: `layer-${layer.join('-')}`,
    comment: `${layer.join(', ')} may not import a higher layer (${above.join(', ')}): see .dependency-cruiser.cjs`,
    severity: 'error',
    from: { path: `^src/(${layer.join('|')})/` },
    // api finds the standard library's folder (src/stdlib/index.ts); nothing else reaches into stdlib.
    to: { path: `^src/(${[...above, 'public', 'stdlib'].join('|')})/`, pathNot: layer.includes('api') ? '^src/stdlib/index\\.ts$' : undefined },
  });
}
forbidden.push(
  {
    name: 'stdlib-contract-only',
    comment: 'the standard library depends only on the UDF authoring contract (src/udfs/define.ts) and npm packages',
    severity: 'error',
    from: { path: '^src/stdlib/' },
    to: { path: '^src/(?!stdlib/|udfs/define\\.ts$)' },
  },
  {
    name: 'engines-only-in-registry',
    comment: 'only src/adapters/registry.ts (and each engine\'s own folder) imports an engine folder',
    severity: 'error',
    from: { path: '^src/', pathNot: ['^src/adapters/registry\\.ts$', '^src/adapters/(duckdb|snowflake|trino)/'] },
    to: { path: '^src/adapters/(duckdb|snowflake|trino)/' },
  },
  {
    name: 'partial-parse-one-interface',
    comment: 'the compile-speed machinery (partial-parse cache, worker pre-parse) is used through src/parser/partial-parse/index.ts only',
    severity: 'error',
    from: { path: '^src/', pathNot: '^src/parser/partial-parse/' },
    to: { path: '^src/parser/partial-parse/(?!index\\.ts$)' },
  },
  {
    name: 'no-folder-cycles',
    comment: 'folders may not import each other in a cycle (e.g. execution/materializations ↔ execution/tests): one direction per pair',
    severity: 'error',
    scope: 'folder',
    from: { path: '^src/' },
    to: { circular: true },
  },
  {
    name: 'no-circular',
    comment: 'modules may not import each other in a cycle',
    severity: 'error',
    from: { path: '^src/' },
    to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    exclude: { path: '^src/docs/app/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js'] },
  },
};
