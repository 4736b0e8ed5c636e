import { addDays } from '../../../libs/domain/calendar/dates.js';
import { norwegianWorkingDays } from '../../../libs/domain/calendar/working-days.js';
import { DEFAULT_CATALOG } from '../../../libs/domain/catalog/default-catalog.js';
import {
  MAX_COMPLETED_BEFORE,
  resolveCompletedBefore,
} from '../../../libs/domain/package/decide/placement.js';
import { osloDateOf } from '../../../libs/domain/package/clock.js';
import { planPackage } from '../../../libs/domain/planner/plan-package.js';
import { FINNMARK_DEMO } from '../../../libs/security/local-issuer.js';
import { DEMO_SEED_SERVICES, demoPlan, FINNMARK_DEMO_COUNT, finnmarkDemoPlan } from './demo-plan.js';

// Today (Oslo) as the anchor: the plan must hold on whatever day `npm start` runs.
const anchor = osloDateOf(Date.now());
const plan = demoPlan({ anchor });

describe('the demo plan', () => {
  it('is the same for the same anchor (deterministic) and has 300 placements over two years', () => {
    expect(demoPlan({ anchor })).toEqual(plan);
    expect(plan).toHaveLength(300);
    const dates = plan.map((p) => p.register.body.facts.placementDate).sort();
    expect(dates[0] <= addDays(anchor, -700)).toBe(true);
    expect(dates.at(-1)! <= addDays(anchor, -7)).toBe(true);
    for (const s of DEMO_SEED_SERVICES) expect(plan.filter((p) => p.service === s.key)).toHaveLength(75);
  });

  it('has stable, valid and unique idempotency keys and case numbers like D-2025/0123', () => {
    const keys = plan
      .flatMap((p) => [p.register.key, ...p.waivers.map((w) => w.key), p.end?.key ?? []])
      .flat();
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{8,100}$/);
    expect(new Set(keys).size).toBe(keys.length);
    for (const p of plan) expect(p.caseNumber).toMatch(/^D-\d{4}\/\d{4}$/);
    const perService = plan.map((p) => `${p.service}|${p.caseNumber}`);
    expect(new Set(perService).size).toBe(perService.length);
  });

  it('records work done before registration that the registration accepts', () => {
    const calendar = norwegianWorkingDays();
    for (const p of plan) {
      const { facts, completedBefore } = p.register.body;
      expect(completedBefore.length).toBeLessThanOrEqual(MAX_COMPLETED_BEFORE);
      const tasks = planPackage(DEFAULT_CATALOG, { facts, reductions: [] }, calendar);
      // The same check the API and the workflow make, on the anchor day (late evening, Oslo).
      expect(() =>
        resolveCompletedBefore(completedBefore, tasks, facts, `${anchor}T20:00:00.000Z`),
      ).not.toThrow();
      const due = new Map(tasks.map((t) => [t.taskId, t]));
      for (const w of p.waivers) expect(due.get(w.taskId)!.dueOn < anchor).toBe(true);
      // An end needs a package still running: something left open (else it completed at registration).
      if (p.end) expect(p.end.body.endedOn < anchor).toBe(true);
      if (p.end) expect(completedBefore.length + p.waivers.length).toBeLessThan(tasks.length);
      // A package that has run out (over a year and its grace back) is all done: nothing to waive or end.
      if (facts.placementDate < addDays(anchor, -500)) {
        expect(completedBefore).toHaveLength(tasks.length);
        expect(p.waivers).toEqual([]);
        expect(p.end).toBeUndefined();
      }
    }
  });

  it('mixes on-time, late, waived and overdue work, and ended placements, differently per service', () => {
    const sum = (f: (p: (typeof plan)[number]) => number, of = plan) => of.reduce((n, p) => n + f(p), 0);
    const onTime = sum((p) => p.counts.onTime);
    const late = sum((p) => p.counts.late);
    const waived = sum((p) => p.waivers.length);
    expect(late).toBeGreaterThan(onTime * 0.1);
    expect(onTime).toBeGreaterThan(late * 2);
    expect(waived).toBeGreaterThan(50);
    expect(sum((p) => p.counts.overdue)).toBeGreaterThan(20);
    expect(sum((p) => (p.end ? 1 : 0))).toBeGreaterThan(5);
    const rate = (key: string) => {
      const of = plan.filter((p) => p.service === key);
      return sum((p) => p.counts.onTime, of) / sum((p) => p.counts.onTime + p.counts.late, of);
    };
    expect(rate('vestby')).toBeGreaterThan(rate('elvdal') + 0.1);
  });

  it('gives Finnmark a plan of its own: Alta, as Finnmark’s demo users, with keys no other plan has', () => {
    const alta = finnmarkDemoPlan(anchor);
    expect(finnmarkDemoPlan(anchor)).toEqual(alta);
    expect(alta).toHaveLength(FINNMARK_DEMO_COUNT);
    const calendar = norwegianWorkingDays();
    for (const p of alta) {
      expect(p.register).toMatchObject({
        userId: 'demo-finnmark-kontaktperson',
        body: { municipalityId: FINNMARK_DEMO.altaMunicipality },
      });
      expect(p.register.key).toMatch(/^demo-v1-finnmark-\d+-register$/);
      for (const w of p.waivers) expect(w.userId).toBe('demo-finnmark-leder');
      const { facts, completedBefore } = p.register.body;
      const tasks = planPackage(DEFAULT_CATALOG, { facts, reductions: [] }, calendar);
      expect(() =>
        resolveCompletedBefore(completedBefore, tasks, facts, `${anchor}T20:00:00.000Z`),
      ).not.toThrow();
    }
    const keys = (of: typeof plan) =>
      of.flatMap((p) => [p.register.key, ...p.waivers.map((w) => w.key), p.end?.key ?? []]).flat();
    const all = [...keys(plan), ...keys(alta)];
    expect(new Set(all).size).toBe(all.length);
    expect(alta.filter((p) => p.counts.onTime > 0 && p.counts.late > 0).length).toBeGreaterThan(5);
  });
});
