// Which items count as "of the entity's region" (listed under ineligible with ?ineligible=true):
// a region that may lie in the item's scope does — 东昌府区 for a 高新区 item, since the entity
// may be in one of the zone's towns (docs/decisions/0024) — a region beside it does not.
import { parseExpr, type PolicyItem } from '@kx/engine';
import { liaochengDictionary } from '@kx/data';
import { describe, expect, it } from 'vitest';
import { Catalogue } from './catalogue.ts';

const item = (id: string, region_scope: string[]): PolicyItem => ({
  id, version: 1, title: id, document_id: 'd', department: 'gxq-kjj', region_scope, audience: 'enterprise', mode: 'auto',
  valid_from: '2025-01-01', eligibility: parseExpr('employees >= 10'), params: [], materials: [], review_steps: [], statutory_days: 1, cases: [],
});

describe('Catalogue.inScope', () => {
  const cat = new Catalogue(liaochengDictionary(), [{ item: item('gxq', ['LC-GXQ']), department: 'gxq-kjj' }, { item: item('county', ['371502']), department: 'x' }], 'e');

  it('counts a region that overlaps the scope as in it, and one beside it as not', () => {
    const gxq = (region: string) => cat.inScope(0, region);
    expect(['371502110', '371502', '371500', 'LC-GXQ', '371502100', '371522', 'LC-JKQ'].map(gxq)).toEqual([true, true, true, true, false, false, false]);
    const county = (region: string) => cat.inScope(1, region);
    expect(['371502100', 'LC-GXQ', '371500', '371522'].map(county)).toEqual([true, true, true, false]);
  });
});
