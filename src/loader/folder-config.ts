/**
 * Folder-level config from project.yaml (`models:`, `seeds:`, `tests:` trees), resolved for a file path
 * the way dbt does: keys starting with `+` (or plain scalar keys) are config, mapping-valued keys are
 * subfolders; deeper folders override shallower ones, and `tags` accumulate.
 * See https://docs.getdbt.com/reference/model-configs#configuring-directories-of-models-in-dbt_projectyml
 */

/** Config keys whose values are mappings (so they are config, not folders, even without `+`). */
const MAPPING_CONFIG_KEYS = new Set(['column_types', 'meta', 'docs', 'contract', 'grants', 'persist_docs', 'vars']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits one level of a folder-config tree into its own config (`+` removed) and its subfolders. */
export function splitLevel(level: Obj): { config: Obj; folders: Record<string, Obj> } {
  const config: Obj = {};
  const folders: Record<string, Obj> = {};
  for (const [k, v] of Object.entries(level)) {
    if (k.startsWith('+')) config[k.slice(1)] = v;
    else if (isObj(v) && !MAPPING_CONFIG_KEYS.has(k)) folders[k] = v;
    else config[k] = v;
  }
  return { config, folders };
}

/** Hook keys: their values accumulate across layers, as dbt's hooks do (`pre-hook` is `pre_hook`). */
const HOOK_KEYS: Readonly<Record<string, string>> = { pre_hook: 'pre_hook', 'pre-hook': 'pre_hook', post_hook: 'post_hook', 'post-hook': 'post_hook' };

/**
 * Merges config layers: later wins, except `tags` which accumulate (deduplicated, order kept) and hooks
 * (`pre_hook`/`pre-hook`, `post_hook`/`post-hook`) which accumulate into one list under the underscore key.
 */
export function mergeConfig(...layers: readonly Obj[]): Obj {
  const out: Obj = {};
  const tags: string[] = [];
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      const hook = HOOK_KEYS[k];
      if (hook) {
        const prev = out[hook] === undefined ? [] : Array.isArray(out[hook]) ? (out[hook] as unknown[]) : [out[hook]];
        out[hook] = [...prev, ...(Array.isArray(v) ? v : [v])];
      } else if (k === 'tags') {
        for (const t of Array.isArray(v) ? v : String(v).split(/[,\s]+/)) if (t && !tags.includes(String(t))) tags.push(String(t));
      } else if (isObj(v) && isObj(out[k])) out[k] = { ...(out[k] as Obj), ...v };
      else out[k] = v;
    }
  }
  if (tags.length) out.tags = tags;
  return out;
}

/**
 * Resolves the folder config that applies to a file.
 * @param tree the `models:` (or `seeds:`/`tests:`) mapping from project.yaml
 * @param projectName a first-level key equal to the project name is descended into, as in dbt
 * @param folders the file's folders below its resource path, e.g. `['staging', 'crm']`
 * @returns merged config (general to specific)
 */
export function resolveFolderConfig(tree: Obj, projectName: string, folders: readonly string[]): Obj {
  let { config, folders: sub } = splitLevel(tree);
  const layers: Obj[] = [config];
  if (sub[projectName]) {
    const lvl = splitLevel(sub[projectName]);
    layers.push(lvl.config);
    sub = { ...sub, ...lvl.folders };
  }
  for (const f of folders) {
    const next = sub[f];
    if (!next) break;
    const lvl = splitLevel(next);
    layers.push(lvl.config);
    sub = lvl.folders;
  }
  return mergeConfig(...layers);
}

/**
 * Where each key of {@link resolveFolderConfig}'s result was set: the key path inside `tree` of the level
 * that wins (the deepest that sets it), e.g. `{ materialized: ['weir_demo', 'marts', '+materialized'] }`, so
 * an error about a folder-config value can name its line of project.yaml.
 * @param tree the `models:` (or `seeds:`/`snapshots:`) mapping from project.yaml
 * @param projectName a first-level key equal to the project name is descended into, as in dbt
 * @param folders the file's folders below its resource path
 * @returns config key (without `+`) → key path in `tree` (with the key as written)
 */
export function folderConfigSites(tree: Obj, projectName: string, folders: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const record = (level: Obj, at: readonly string[]) => {
    for (const [k, v] of Object.entries(level)) {
      if (k.startsWith('+')) out[k.slice(1)] = [...at, k];
      else if (!(isObj(v) && !MAPPING_CONFIG_KEYS.has(k))) out[k] = [...at, k];
    }
  };
  record(tree, []);
  let sub = splitLevel(tree).folders;
  let subAt: Record<string, string[]> = Object.fromEntries(Object.keys(sub).map((k) => [k, [k]]));
  if (sub[projectName]) {
    record(sub[projectName], [projectName]);
    const inner = splitLevel(sub[projectName]).folders;
    sub = { ...sub, ...inner };
    subAt = { ...subAt, ...Object.fromEntries(Object.keys(inner).map((k) => [k, [projectName, k]])) };
  }
  for (const f of folders) {
    const next = sub[f];
    if (!next) break;
    const at = subAt[f];
    record(next, at);
    sub = splitLevel(next).folders;
    subAt = Object.fromEntries(Object.keys(sub).map((k) => [k, [...at, k]]));
  }
  return out;
}

/** Lists folder paths named in a config tree that match no folder on disk (dbt warns about these). */
export function unusedFolderPaths(tree: Obj, projectName: string, existing: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const walk = (level: Obj, prefix: string[]) => {
    for (const [name, child] of Object.entries(splitLevel(level).folders)) {
      if (prefix.length === 0 && name === projectName) {
        walk(child, prefix);
        continue;
      }
      const p = [...prefix, name];
      if (!existing.has(p.join('/'))) out.push(p.join('.'));
      else walk(child, p);
    }
  };
  walk(tree, []);
  return out;
}
