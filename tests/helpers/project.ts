/**
 * Test helpers: inline projects in fresh temp directories, and the CLI run in-process with collected output.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { WeirProject } from '../../src/api/project.js';
import { WeirErrors, type WeirError } from '../../src/errors/weir-error.js';

/** A default project.yaml: project `t`, one DuckDB target `dev` whose file lives inside the project dir. */
export const DEFAULT_PROJECT_YAML = `name: t
target: dev
targets:
  dev:
    type: duckdb
    path: target/t.duckdb
    threads: 2
`;

const created: string[] = [];

/**
 * Writes an inline project into a fresh temp dir (under os.tmpdir()) and returns its path.
 * @param files project-relative path → contents; `project.yaml` defaults to {@link DEFAULT_PROJECT_YAML}
 */
export async function makeProject(files: Record<string, string | Buffer>): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'weir-test-'));
  created.push(dir);
  const all: Record<string, string | Buffer> = { 'project.yaml': DEFAULT_PROJECT_YAML, ...files };
  for (const [rel, text] of Object.entries(all)) writeFiles(dir, { [rel]: text });
  return dir;
}

/** Writes (or overwrites) files in an existing project directory. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

/** Removes every project made by {@link makeProject} in this test file. */
export function cleanupProjects(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A writable stream that collects what is written to it. */
export class StringSink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** Output of an in-process CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `weir <args>` in-process (main() from src/cli/main.ts) in `cwd`, collecting stdout and stderr.
 * @param env environment for `{{env}}` (default: process.env)
 */
export async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  const stdout = new StringSink();
  const stderr = new StringSink();
  const code = await main(args, { stdout, stderr, cwd, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Parses JSON-lines output (every non-empty line must be a JSON object). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * The errors `WeirProject.load` reports for an inline project (no partial-parse cache).
 * @throws Error when the project loads without errors (the test expected some)
 */
export async function loadErrors(files: Record<string, string | Buffer>): Promise<WeirError[]> {
  const dir = await makeProject(files);
  try {
    await WeirProject.load({ projectDir: dir, partialParse: false });
  } catch (e) {
    return e instanceof WeirErrors ? [...e.errors] : [e as WeirError];
  }
  throw new Error('expected errors');
}
