import { describe, expect, it } from 'vitest';
import { Router } from '../../src/cases/routing.js';
import { DEFAULT_ROUTING } from '../../src/cases/routing-defaults.js';

const router = (code: string, score: number) => new Router(DEFAULT_ROUTING, () => ({ code, score }), 0.35);

describe('routing', () => {
  it('sends a confident category to its department', () => {
    const r = router('labour_social_security', 0.9).route({ issue: '工厂拖欠工资' });
    expect(r).toMatchObject({ category: 'labour_social_security', department: 'human_resources_social_security', needsTriage: false });
  });

  it('sends a low-confidence case to general intake for triage, keeping the best guess as category', () => {
    const r = router('transport', 0.2).route({ issue: '有件事' });
    expect(r).toMatchObject({ category: 'transport', department: 'general_intake', needsTriage: true });
  });

  it('never routes a complaint to the department it is about', () => {
    const r = router('labour_social_security', 0.95).route({ issue: '我去人社局投诉欠薪,窗口工作人员态度恶劣还不受理', parties: '区人社局窗口工作人员' });
    expect(r.department).toBe('general_intake');
    expect(r.needsTriage).toBe(true);
    expect(router('x', 1).complainedAbout({ parties: 'the Housing Bureau inspector' })).toEqual(['housing_construction']);
    expect(router('x', 1).complainedAbout({ issue: '楼下饭店油烟大' })).toEqual([]);
  });

  it('treats an unknown category code as other', () => {
    expect(router('no_such_code', 0.99).route({ issue: 'x' }).category).toBe('other');
  });
});
