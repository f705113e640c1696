/**
 * Groups and access (private models refable only inside their group) and exposures (in manifest.json,
 * and `exposure:` selectors), after dbt's model governance and exposures.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupProjects, loadErrors, makeProject, runCli } from '../helpers/project.js';
import { dbtSchemaErrors } from '../helpers/dbt-schemas.js';
import { buildSiteData } from '../../src/docs/site-data.js';

afterAll(cleanupProjects);
const out = (r: { stdout: string; stderr: string }) => r.stdout + r.stderr;

const GROUPS = 'groups:\n  - name: finance\n    owner: {name: Finance team, email: fin@example.com}\n  - name: marketing\n    owner: {name: Marketing}\n';

describe('groups and access', () => {
  it('a private model is refable inside its group, refused outside it at the ref line', async () => {
    const errs = await loadErrors({
      'models/ledger.sql': '{{config group="finance" access="private"}}\nselect 1 as id\n',
      'models/revenue.sql': '{{config group="finance"}}\nselect * from {{ref "ledger"}}\n',
      'models/campaigns.sql': '-- marketing\n{{config group="marketing"}}\nselect * from {{ref "ledger"}}\n',
      'models/loose.sql': 'select * from {{ref "ledger"}}\n',
      'models/schema.yml': `version: 2\n${GROUPS}models:\n  - name: ledger\n    columns:\n      - name: id\n        tests: [not_null]\n`,
    });
    expect(errs.map((e) => e.message).sort()).toEqual([
      "model 'campaigns' refers to 'ledger', which is private to group 'finance'",
      "model 'loose' refers to 'ledger', which is private to group 'finance'",
    ]);
    const e = errs.find((x) => x.message.startsWith("model 'campaigns'"))!;
    expect(e.location).toMatchObject({ file: 'models/campaigns.sql', line: 3 });
    expect(e.hint).toContain("move it into group 'finance', or make 'ledger' protected or public");
  });

  it('unknown groups, private models without a group and bad access values are errors', async () => {
    const errs = await loadErrors({
      'models/a.sql': '{{config group="financ"}}\nselect 1 as id\n',
      'models/b.sql': '{{config access="private"}}\nselect 1 as id\n',
      'models/c.sql': 'select 1 as id\n',
      'models/schema.yml': `version: 2\n${GROUPS}models:\n  - name: c\n    access: secret\n`,
    });
    const msgs = errs.map((x) => x.message);
    expect(msgs).toContain("model 'a' belongs to group 'financ', which is not defined");
    expect(errs.find((x) => x.message.startsWith("model 'a'"))?.hint).toContain("Did you mean 'finance'?");
    expect(msgs).toContain("model 'b' is private but belongs to no group");
    expect(msgs).toContain(`model 'c': access must be private, protected or public, got "secret"`);
  });
});

describe('exposures', () => {
  const files = {
    'seeds/customers.csv': 'id,name\n1,Kim\n',
    'models/stg.sql': 'select * from {{ref "customers"}}\n',
    'models/ledger.sql': '{{config group="finance" access="private"}}\nselect * from {{ref "stg"}}\n',
    'models/kpis.sql': '{{config group="finance"}}\nselect count(*) as n from {{ref "ledger"}}\n',
    'models/other.sql': 'select 1 as x\n',
    'models/schema.yml': `version: 2\n${GROUPS}exposures:\n  - name: weekly_kpis\n    label: Weekly KPIs\n    type: dashboard\n    maturity: high\n    url: https://bi.example.com/d/1\n    owner: {name: Finance team, email: fin@example.com}\n    depends_on: [ref('kpis'), ref('customers')]\n`,
  };

  it('are written to manifest.json (dbt schema v12) with groups, access and the parent/child maps', async () => {
    const dir = await makeProject(files);
    const r = await runCli(['compile'], dir);
    expect(r.code, out(r)).toBe(0);
    const m = JSON.parse(readFileSync(`${dir}/target/manifest.json`, 'utf8'));
    expect(dbtSchemaErrors('manifest', m)).toEqual([]);
    expect(m.exposures['exposure.t.weekly_kpis']).toMatchObject({
      name: 'weekly_kpis', type: 'dashboard', label: 'Weekly KPIs', maturity: 'high', url: 'https://bi.example.com/d/1',
      owner: { name: 'Finance team', email: 'fin@example.com' }, depends_on: { nodes: ['model.t.kpis', 'seed.t.customers'] },
    });
    expect(m.parent_map['exposure.t.weekly_kpis']).toEqual(['model.t.kpis', 'seed.t.customers']);
    expect(m.child_map['model.t.kpis']).toContain('exposure.t.weekly_kpis');
    expect(m.groups['group.t.finance']).toMatchObject({ name: 'finance', owner: { name: 'Finance team' } });
    expect(m.group_map.finance.sort()).toEqual(['model.t.kpis', 'model.t.ledger']);
    expect(m.nodes['model.t.ledger']).toMatchObject({ access: 'private', group: 'finance' });
    expect(m.nodes['model.t.other']).toMatchObject({ access: 'protected', group: null });
    // The docs site gives the exposure a page (from manifest.json only).
    const site = buildSiteData(m, { nodes: {}, sources: {}, errors: [], metadata: { generated_at: 'now' } } as never, { nodes: {} } as never);
    expect(site.nodes.find((n) => n.unique_id === 'exposure.t.weekly_kpis')).toMatchObject({
      resource_type: 'exposure', name: 'Weekly KPIs', owners: ['Finance team fin@example.com'], depends_on: ['model.t.kpis', 'seed.t.customers'],
      exposure: { type: 'dashboard', maturity: 'high', url: 'https://bi.example.com/d/1' },
    });
  });

  it('exposure: selects what an exposure uses; +exposure: everything upstream; an unknown one exits 2', async () => {
    const dir = await makeProject(files);
    const ls = async (sel: string) => (await runCli(['ls', '--select', sel, '--output', 'name'], dir)).stdout.trim().split('\n').sort();
    expect(await ls('exposure:weekly_kpis')).toEqual(['customers', 'kpis']);
    expect(await ls('+exposure:weekly_kpis')).toEqual(['customers', 'kpis', 'ledger', 'stg']);
    const b = await runCli(['build', '--select', '+exposure:weekly_kpis'], dir);
    expect(b.code, out(b)).toBe(0);
    expect(out(b)).not.toContain('other');
    const bad = await runCli(['ls', '--select', 'exposure:weekly'], dir);
    expect(bad.code).toBe(2);
    expect(out(bad)).toContain("no exposure named 'weekly' (exposures: weekly_kpis)");
  });

  it('an exposure depending on an unknown model, or with a bad type, is an error at its line', async () => {
    const errs = await loadErrors({
      'models/kpis.sql': 'select 1 as n\n',
      'models/schema.yml': "version: 2\nexposures:\n  - name: e1\n    type: dashboard\n    owner: {name: x}\n    depends_on: [ref('kpi')]\n  - name: e2\n    type: report\n    owner: {name: x}\n",
    });
    expect(errs.some((e) => e.message.includes('exposure type must be one of dashboard, notebook, analysis, ml, application'))).toBe(true);
  });

  it('an unknown depends_on is reported with the closest name', async () => {
    const errs = await loadErrors({
      'models/kpis.sql': 'select 1 as n\n',
      'models/schema.yml': "version: 2\nexposures:\n  - name: e1\n    type: dashboard\n    owner: {name: x}\n    depends_on: [ref('kpi')]\n",
    });
    const e = errs.find((x) => x.message === "exposure 'e1' depends on unknown model 'kpi'");
    expect(e?.hint).toBe("Did you mean 'kpis'?");
    expect(e?.location).toMatchObject({ file: 'models/schema.yml', line: 3 });
  });
});
