/**
 * The compile record (`<target-path>/.weir/compile-record.json`): what the last successful `weir compile`
 * was computed from and what it left on disk, so that a compile whose every input is unchanged skips parsing,
 * rendering and writing (the outputs would be byte-identical), like `make` with content hashes.
 *
 * The record holds:
 * - a fingerprint (SHA-256) of every input of the compile's output ({@link compileFingerprint}): this Weir
 *   build (version, Node version, size and mtime of every file of the installed package's code, versions of
 *   its dependencies), the environment variables the compile read (by name: {@link EnvReads}), the compile's
 *   options (selection, `--format`), and the loader's view of the project — project.yaml as resolved (target,
 *   vars, paths, folder config), the text of every model, singular test, snapshot and macro, the parsed
 *   schema YAML, the bytes of every seed file, selectors.yml; with UDF modules, the manifest's `functions` as
 *   the modules loaded now describe them (definitions, module text, versions: api/udf-facts.ts; the renderer
 *   does not use UDFs, so that is all they contribute);
 * - the size, mtime and ctime of manifest.json and of every compiled SQL file the compile wrote, so an
 *   output changed or removed since (by hand, or by another command: `weir run` rewrites manifest.json) is
 *   noticed and the compile runs;
 * - the number of compiled nodes and the load's warnings (redacted), replayed by a skipped compile.
 *
 * A compile is never skipped (and no record is written) for projects with TypeScript helper macros (the
 * renderer calls them, and their code may read anything: files, the clock), with `--no-partial-parse` (which
 * reuses nothing and records nothing, as for the partial-parse cache), `--print`, `--defer` or `--state`,
 * after a compile with errors, when a UDF module fails to load, or when any loaded value cannot be
 * fingerprinted.
 * A skipped compile refreshes manifest.json's `metadata.generated_at` and `metadata.invocation_id` in place
 * (same length), so the manifest names this invocation as a rewritten one would.
 */
import { createHash, scryptSync, type Hash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileChecksum } from '../artifacts/checksums.js';
import type { ParseInput } from '../parser/load-files.js';
import { SELECTORS_FILE } from '../loader/selectors-yaml.js';
import type { FileStamp } from '../utils/background-writer.js';
import { packageInfo } from '../utils/package-info.js';
import { PRIVATE_FILE_MODE, writeFileAtomic } from '../utils/write-file.js';
import type { CompileOptions } from './compile.js';

/** The record's path inside the target directory. */
export const COMPILE_RECORD_FILE = path.join('.weir', 'compile-record.json');

/** Bumped whenever what the record holds or how the fingerprint is computed changes. */
const RECORD_FORMAT = 1;

/** A warning of the load, as the compile that wrote the record reported it (already redacted). */
export interface RecordedWarning {
  readonly message: string;
  readonly error_code: string;
  readonly file?: string;
}

/** What a skipped compile reports instead of compiling. */
export interface UnchangedCompile {
  readonly unchanged: true;
  /** Nodes the recorded compile compiled (what `compiled.size` was). */
  readonly compiledCount: number;
  /** The load's warnings of the recorded compile (redacted). */
  readonly warnings: readonly RecordedWarning[];
  /** manifest.json, absolute. */
  readonly manifestFile: string;
  /** The target directory as configured (`target-path`, e.g. `target`). */
  readonly targetPath: string;
}


interface RecordHead {
  readonly format: number;
  readonly fingerprint: string;
  /** The environment variables the compile read (their values are in the fingerprint); `*`: it listed them all. */
  readonly envKeys: readonly string[] | '*';
  readonly manifest: FileStamp;
  readonly compiledCount: number;
  readonly warnings: readonly RecordedWarning[];
}

const stampOf = (st: Stats): FileStamp => [st.size, st.mtimeMs, st.ctimeMs];
const sameStamp = (a: FileStamp, b: FileStamp) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/**
 * How each field of the loader's output enters the fingerprint. Typed over every key of {@link ParseInput},
 * so a field added to the loader's output fails to compile until it is classified here.
 * - `hash`: serialized into the fingerprint;
 * - `separately`: fingerprinted by its own rule in {@link compileFingerprint};
 * - `derived`: a function of hashed inputs (warnings), or the partial-parse machinery (same results either way).
 */
const FIELDS: Readonly<Record<keyof ParseInput, 'hash' | 'separately' | 'derived'>> = {
  root: 'hash', configFile: 'hash', config: 'hash', targetName: 'hash', target: 'hash', targetSource: 'separately', secrets: 'hash',
  vars: 'hash', env: 'separately', models: 'hash', seeds: 'separately', singularTests: 'hash', snapshots: 'hash', macros: 'separately',
  udfModules: 'separately', schemaFiles: 'hash', warnings: 'derived', parseCache: 'derived', preparsed: 'derived',
};

/** A value the fingerprint cannot represent faithfully (a function, Map, Set, BigInt, symbol): no skip. */
class Unhashable extends Error {}

const replacer = function (this: unknown, _k: string, v: unknown): unknown {
  if (typeof v === 'function' || typeof v === 'bigint' || typeof v === 'symbol' || v instanceof Map || v instanceof Set) throw new Unhashable();
  if (typeof v === 'number' && !Number.isFinite(v)) return `\u0000number:${v}`; // JSON would write null
  return v;
};

function update(h: Hash, label: string, value: string): void {
  h.update(label).update('\u0000').update(String(value.length)).update('\u0000').update(value);
}

let buildKeyCache: string | undefined;

/**
 * This Weir build: version, Node version, the size and mtime of every file of the running package's code
 * folder (dist/ or src/), and the versions of the package's dependencies.
 */
function buildKey(): string {
  if (buildKeyCache) return buildKeyCache;
  const self = fileURLToPath(import.meta.url);
  const codeDir = path.dirname(path.dirname(self)); // dist/ (or src/)
  const pkgDir = path.dirname(codeDir);
  const parts: string[] = [packageInfo().version, process.version];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const st = statSync(p);
        parts.push(`${path.relative(codeDir, p)}:${st.size}:${st.mtimeMs}`);
      }
    }
  };
  walk(codeDir);
  const deps = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {};
  for (const dep of Object.keys(deps).sort()) parts.push(`${dep}@${dependencyVersion(pkgDir, dep)}`);
  buildKeyCache = parts.join('\n');
  return buildKeyCache;
}

/** The installed version of `dep` as Node would resolve it from `pkgDir` (nearest node_modules up), or '?'. */
function dependencyVersion(pkgDir: string, dep: string): string {
  for (let dir = pkgDir; ; dir = path.dirname(dir)) {
    const f = path.join(dir, 'node_modules', dep, 'package.json');
    if (existsSync(f)) {
      try {
        return String((JSON.parse(readFileSync(f, 'utf8')) as { version?: unknown }).version);
      } catch {
        return '?';
      }
    }
    if (path.dirname(dir) === dir) return '?';
  }
}

/**
 * The compile options that decide its output, or undefined when a compile with them is never skipped
 * (`--defer`'s relation overrides, `--state`: they read another run's artifacts).
 */
function optionsKey(args: CompileOptions): string | undefined {
  if (args.relationOverrides || args.state !== undefined) return undefined;
  return JSON.stringify({ select: args.select ?? null, exclude: args.exclude ?? null, selector: args.selector ?? null, indirect: args.indirectSelection ?? null, format: args.format !== false });
}

/**
 * The process environment as a compile sees it, recording which variables it reads. A compile is a
 * deterministic function of its inputs, so when every other input is unchanged and the variables it read
 * have the same values, it reads the same variables again and produces the same output: the fingerprint
 * needs only those. Listing the variables (`Object.keys(env)`, a spread) counts as reading them all.
 */
export class EnvReads {
  /** What to hand the loader and renderer in place of the environment. */
  readonly env: NodeJS.ProcessEnv;
  private readonly keys = new Set<string>();
  private all = false;

  constructor(readonly inner: NodeJS.ProcessEnv) {
    const keys = this.keys;
    this.env = new Proxy(inner, {
      get: (t, k) => {
        if (typeof k === 'string') keys.add(k);
        return Reflect.get(t, k);
      },
      has: (t, k) => {
        if (typeof k === 'string') keys.add(k);
        return Reflect.has(t, k);
      },
      getOwnPropertyDescriptor: (t, k) => {
        if (typeof k === 'string') keys.add(k);
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
      ownKeys: (t) => {
        this.all = true;
        return Reflect.ownKeys(t);
      },
    });
  }

  /** The names read so far, sorted, or `*` when the whole environment was listed. */
  read(): readonly string[] | '*' {
    return this.all ? '*' : [...this.keys].sort();
  }
}

/**
 * The fingerprint of a compile: its inputs but the environment ({@link compileInputs}), and the values of
 * `keys` in `env`. When those hold secrets (the project's, or any environment variable) the digest goes
 * through scrypt (https://nodejs.org/docs/latest-v20.x/api/crypto.html#cryptoscryptsyncpassword-salt-keylen-options),
 * so that the record is no fast oracle for guessing them.
 */
function withEnv(inputs: Inputs, env: NodeJS.ProcessEnv, keys: readonly string[] | '*'): string {
  const names = keys === '*' ? Object.keys(env).sort() : keys;
  const digest = createHash('sha256').update(inputs.digest).update('\u0000').update(JSON.stringify([keys === '*', names.map((k) => [k, env[k] ?? null])])).digest();
  return inputs.secret || names.length > 0 ? scryptSync(digest, 'weir-compile-record', 32, { N: 1 << 14 }).toString('hex') : digest.toString('hex');
}

/** What {@link compileInputs} returns: the digest, and whether the inputs hold secret values. */
export interface Inputs {
  readonly digest: string;
  readonly secret: boolean;
}

/**
 * The fingerprint of everything a compile's output depends on but the environment (see the module comment),
 * or undefined when such a compile is never skipped: TypeScript helper macros, UDF modules without their
 * `functions`, options that read other artifacts, a value that cannot be fingerprinted.
 * @param files the loader's output for this invocation
 * @param functions the manifest's `functions` as this load's UDF modules give them (JSON of api/udf-facts.ts;
 *   required when the project has UDF modules)
 * @throws nothing (an unreadable seed or selectors file makes it undefined)
 */
export function compileInputs(files: ParseInput, args: CompileOptions, functions?: string): Inputs | undefined {
  const opts = optionsKey(args);
  if (opts === undefined) return undefined;
  if ((files.udfModules.length > 0 && functions === undefined) || files.macros.some((m) => m.kind === 'helper')) return undefined;
  try {
    const h = createHash('sha256');
    update(h, 'format', String(RECORD_FORMAT));
    update(h, 'build', buildKey());
    update(h, 'options', opts);
    update(h, 'functions', functions ?? '[]');
    const hashed: Record<string, unknown> = {};
    // The templates' text is hashed as is (not escaped into JSON: most of the bytes); the rest as JSON.
    const texts: string[] = [];
    const withoutRaw = (fs: readonly { readonly raw: string }[]) => fs.map(({ raw, ...f }) => {
      texts.push(raw);
      return f;
    });
    for (const [k, how] of Object.entries(FIELDS)) {
      if (how !== 'hash') continue;
      const v = files[k as keyof ParseInput];
      hashed[k] = k === 'models' || k === 'singularTests' || k === 'snapshots' ? withoutRaw(v as readonly { raw: string }[]) : v;
    }
    update(h, 'files', JSON.stringify(hashed, replacer));
    for (const t of texts) update(h, 'raw', t);
    update(h, 'targetSource', files.targetSource.file);
    update(h, 'macros', JSON.stringify(files.macros.map((m) => [m.name, m.path, m.kind, m.origin ?? null])));
    for (const m of files.macros) update(h, 'raw', m.raw);
    for (const s of files.seeds) {
      const sum = fileChecksum(s.absolutePath);
      if (sum === undefined) return undefined;
      update(h, 'seed', JSON.stringify([s, sum], replacer));
    }
    const selectors = path.join(files.root, SELECTORS_FILE);
    update(h, 'selectors', existsSync(selectors) ? readFileSync(selectors, 'utf8') : '\u0000none');
    return { digest: h.digest('hex'), secret: files.secrets.length > 0 };
  } catch (e) {
    if (e instanceof Unhashable) return undefined;
    if ((e as NodeJS.ErrnoException).code) return undefined; // a file vanished while reading: compile normally
    throw e;
  }
}

const recordPath = (targetDir: string) => path.join(targetDir, COMPILE_RECORD_FILE);

/**
 * Whether the recorded compile had these `inputs` ({@link compileInputs} of `files`) and the same values of
 * the environment variables it read in `env`, and its outputs are on disk unchanged; if so, refreshes
 * manifest.json's `generated_at` and `invocation_id` and returns what the compile reported.
 * @returns undefined when the compile has to run (no record, another fingerprint, an output changed)
 * @throws nothing: any problem with the record or the outputs means "compile"
 */
export function reuseCompile(files: ParseInput, inputs: Inputs, env: NodeJS.ProcessEnv, metadata: { readonly generated_at: string; readonly invocation_id: string }): UnchangedCompile | undefined {
  const targetPath = files.config['target-path'];
  const targetDir = path.resolve(files.root, targetPath);
  const file = recordPath(targetDir);
  try {
    const text = readFileSync(file, 'utf8');
    const nl = text.indexOf('\n');
    const head = JSON.parse(text.slice(0, nl)) as RecordHead;
    if (head.format !== RECORD_FORMAT || head.fingerprint !== withEnv(inputs, env, head.envKeys)) return undefined;
    const manifestFile = path.join(targetDir, 'manifest.json');
    if (!sameStamp(stampOf(statSync(manifestFile)), head.manifest)) return undefined;
    const outputs = JSON.parse(text.slice(nl + 1)) as [string, number, number, number][];
    for (const [rel, ...stamp] of outputs) {
      if (!sameStamp(stampOf(statSync(path.join(targetDir, rel))), stamp)) return undefined;
    }
    if (!refreshManifestHeader(manifestFile, metadata)) return undefined;
    const fresh: RecordHead = { ...head, manifest: stampOf(statSync(manifestFile)) };
    writeFileAtomic(file, `${JSON.stringify(fresh)}\n${text.slice(nl + 1)}`, PRIVATE_FILE_MODE);
    return { unchanged: true, compiledCount: head.compiledCount, warnings: head.warnings, manifestFile, targetPath };
  } catch {
    return undefined;
  }
}

/**
 * Writes `generated_at` and `invocation_id` into manifest.json's metadata in place, when the new values have
 * the old ones' lengths (ISO timestamps and UUIDs do).
 * @returns whether it was done (false: the header is not as Weir writes it)
 */
function refreshManifestHeader(file: string, metadata: { readonly generated_at: string; readonly invocation_id: string }): boolean {
  const fd = openSync(file, 'r+');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n).toString('latin1'); // ASCII up to the values: byte offsets = char offsets
    const edits: [number, string][] = [];
    for (const [key, value] of [['generated_at', metadata.generated_at], ['invocation_id', metadata.invocation_id]] as const) {
      const m = new RegExp(`\\n    "${key}": "([^"\\\\]*)",?\\n`).exec(head);
      if (!m || m[1].length !== value.length || !/^[\x20-\x7e]*$/.test(value)) return false;
      edits.push([m.index + key.length + 10, value]); // after `\n    "<key>": "`
    }
    for (const [at, value] of edits) writeSync(fd, Buffer.from(value, 'latin1'), 0, value.length, at);
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Records a successful compile: its fingerprint (`inputs` and the variables read through `env`), the stamps
 * of manifest.json and of the compiled files (paths relative to the target directory; `stamps[i]` is that of
 * `compiledPaths[i]` as written, else it is read here), the number of compiled nodes and the load's warnings. Best effort: a
 * failure leaves no record (the next compile then runs).
 */
export function recordCompile(targetDir: string, inputs: Inputs, env: EnvReads, compiledPaths: readonly string[], stamps: readonly (FileStamp | undefined)[], compiledCount: number, warnings: readonly RecordedWarning[]): void {
  const file = recordPath(targetDir);
  try {
    const outputs = compiledPaths.map((rel, i) => [rel, ...(stamps[i] ?? stampOf(statSync(path.join(targetDir, rel))))]);
    const envKeys = env.read();
    const head: RecordHead = { format: RECORD_FORMAT, fingerprint: withEnv(inputs, env.inner, envKeys), envKeys, manifest: stampOf(statSync(path.join(targetDir, 'manifest.json'))), compiledCount, warnings };
    writeFileAtomic(file, `${JSON.stringify(head)}\n${JSON.stringify(outputs)}`, PRIVATE_FILE_MODE);
  } catch {
    forgetCompile(targetDir);
  }
}

/** Removes the record (a compile that did not record itself must not leave an older one to be reused). */
export function forgetCompile(targetDir: string): void {
  try {
    rmSync(recordPath(targetDir), { force: true });
  } catch {
    /* a record whose outputs differ from the files on disk is never reused */
  }
}
