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

/**
 * The config key an entry of a folder-config level sets (`+` removed), or undefined when the entry is a
 * subfolder (a mapping-valued key without `+` that is not a mapping-valued config key).
 */
function configKeyOf(k: string, v: unknown): string | undefined {
  if (k.startsWith('+')) return k.slice(1);
  return isObj(v) && !MAPPING_CONFIG_KEYS.has(k) ? undefined : k;
}

/** Splits one level of a folder-config tree into its own config (`+` removed) and its subfolders. */
export function splitLevel(level: Obj): { config: Obj; folders: Record<string, Obj> } {
  const config: Obj = {};
  const folders: Record<string, Obj> = {};
  for (const [k, v] of Object.entries(level)) {
    const key = configKeyOf(k, v);
    if (key === undefined) folders[k] = v as Obj;
    else config[key] = v;
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
 * The levels of a folder-config tree that apply to a file, general to specific, each with its key path
 * inside `tree`: the root, the project-name level when present (its subfolders joining the root's), then
 * one level per folder of the file as far as the tree names them.
 */
function folderLevels(tree: Obj, projectName: string, folders: readonly string[]): { level: Obj; at: readonly string[] }[] {
  const out: { level: Obj; at: readonly string[] }[] = [{ level: tree, at: [] }];
  const below = (level: Obj, at: readonly string[]) =>
    Object.fromEntries(Object.entries(splitLevel(level).folders).map(([k, v]) => [k, { level: v, at: [...at, k] }]));
  let sub = below(tree, []);
  if (sub[projectName]) {
    out.push(sub[projectName]);
    sub = { ...sub, ...below(sub[projectName].level, [projectName]) };
  }
  for (const f of folders) {
    const next = sub[f];
    if (!next) break;
    out.push(next);
    sub = below(next.level, next.at);
  }
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
  return mergeConfig(...folderLevels(tree, projectName, folders).map((l) => splitLevel(l.level).config));
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
  for (const { level, at } of folderLevels(tree, projectName, folders)) {
    for (const [k, v] of Object.entries(level)) {
      const key = configKeyOf(k, v);
      if (key !== undefined) out[key] = [...at, k];
    }
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
