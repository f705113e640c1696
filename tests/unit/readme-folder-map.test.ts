/**
 * README's folder map (Development section, between the folder-map markers) names exactly the folders of
 * src/: a folder added, moved or removed without updating the map fails here.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function srcFolders(dir = 'src'): string[] {
  const out = [`${dir}/`];
  for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...srcFolders(`${dir}/${e.name}`));
  }
  return out;
}

function mappedFolders(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- folder-map:start -->');
  const end = readme.indexOf('<!-- folder-map:end -->');
  expect(start, 'README has the folder-map markers').toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  const out: string[] = [];
  for (const line of readme.slice(start, end).split('\n')) {
    const head = /^- (.*?) — /.exec(line);
    if (!head) continue;
    for (const m of head[1].matchAll(/`(src\/[^`]*\/)`/g)) out.push(m[1]);
  }
  return out;
}

describe("README's folder map", () => {
  it('names every folder of src/ once, and no folder that does not exist', () => {
    const mapped = mappedFolders();
    const actual = srcFolders().filter((f) => f !== 'src/');
    expect(mapped.length, 'each folder once').toBe(new Set(mapped).size);
    expect([...mapped].sort()).toEqual([...actual].sort());
  });
});
