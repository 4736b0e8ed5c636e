import type { PlacementFacts } from '../../vocabulary.js';
import { fold } from '../state.js';
import { caseworker, facts, leader, packageWith, rejection, task } from '../test-support.js';
import {
  changedFacts,
  decideAnnul,
  decideEnd,
  decidePause,
  validateChange,
  validateReduction,
  validateResume,
} from './placement.js';

describe('placement commands', () => {
  const statutory = task('oppfolgingsbesok', '2026-06-01', {
    requiresCoSignToWaive: true,
    statutory: 'oppfolgingsbesok',
  });
  const s = packageWith([task('kontakt-dag1', '2026-03-03'), statutory]);
  const now = '2026-03-10T12:00:00.000Z';

  it('ends a placement by cancelling what is left', () => {
    const events = decideEnd(
      s,
      { commandId: 'c', actor: caseworker, endedOn: '2026-03-09', reason: 'brudd' },
      now,
    );
    expect(events.map((e) => e.type)).toEqual(['TaskCancelled', 'TaskCancelled', 'PlacementEnded']);
    const ended = fold(events, s)!;
    expect(ended.status).toBe('ended');
    expect(
      rejection(() =>
        decideEnd(ended, { commandId: 'c', actor: caseworker, endedOn: '2026-03-09', reason: 'brudd' }, now),
      ).code,
    ).toBe('conflict');
  });

  it('annuls a placement registered by mistake: leader only, its own reason, paused or not', () => {
    expect(rejection(() => decideAnnul(s, { commandId: 'a', actor: caseworker }, now))).toMatchObject({
      code: 'not-allowed',
      field: 'actor',
    });
    const paused = fold(
      decidePause(s, { commandId: 'p', actor: caseworker, reason: 'annet', from: '2026-03-04' }, now),
      s,
    )!;
    for (const before of [s, paused]) {
      const events = decideAnnul(before, { commandId: 'a', actor: leader }, now);
      expect(events).toEqual([
        ...['kontakt-dag1#1', 'oppfolgingsbesok#1'].map((taskId) => ({
          type: 'TaskCancelled',
          data: { taskId, at: now, reason: 'placement-annulled' },
        })),
        {
          type: 'PlacementEnded',
          data: { endedOn: '2026-03-10', reason: 'registrert-ved-feil', by: leader, at: now },
        },
      ]);
      const annulled = fold(events, before)!;
      expect(annulled.status).toBe('ended');
      expect(rejection(() => decideAnnul(annulled, { commandId: 'a2', actor: leader }, now)).code).toBe(
        'conflict',
      );
    }
  });

  it('pauses and resumes with the length of the pause', () => {
    const paused = fold(
      decidePause(
        s,
        { commandId: 'c', actor: caseworker, reason: 'sykehusopphold', from: '2026-03-04' },
        now,
      ),
      s,
    )!;
    expect(validateResume(paused, { commandId: 'r', actor: caseworker, on: '2026-03-09' }, now)).toBe(5);
    expect(
      rejection(() => validateResume(s, { commandId: 'r', actor: caseworker, on: '2026-03-09' }, now)).code,
    ).toBe('conflict');
    expect(
      rejection(() => validateResume(paused, { commandId: 'r', actor: caseworker, on: '2026-03-01' }, now))
        .field,
    ).toBe('on');
  });

  it('checks a change against the version it was previewed on', () => {
    expect(
      rejection(() =>
        validateChange(s, {
          commandId: 'c',
          actor: caseworker,
          placementDate: '2026-03-09',
          expectedVersion: 1,
        }),
      ).code,
    ).toBe('conflict');
    expect(() =>
      validateChange(s, {
        commandId: 'c',
        actor: caseworker,
        placementDate: '2026-03-09',
        expectedVersion: s.version,
      }),
    ).not.toThrow();
    expect(rejection(() => validateChange(s, { commandId: 'c', actor: caseworker })).code).toBe('invalid');
  });

  it('keeps the legal basis consistent with a new placement type', () => {
    const change = (over: Partial<Parameters<typeof validateChange>[1]>) => ({
      commandId: 'c',
      actor: caseworker,
      ...over,
    });
    const emergency: PlacementFacts = { ...facts, placementType: 'akutt', legalBasis: 'frivillig' };
    // A care-order type brings its basis along; an emergency type keeps the current one unless given.
    expect(changedFacts(emergency, change({ placementType: 'omsorgsovertakelse' })).legalBasis).toBe(
      'omsorgsovertakelse',
    );
    expect(changedFacts(facts, change({ placementType: 'akutt' })).legalBasis).toBe('omsorgsovertakelse');
    expect(
      changedFacts(facts, change({ placementType: 'slekt-nettverk', legalBasis: 'frivillig' })),
    ).toMatchObject({
      placementType: 'slekt-nettverk',
      legalBasis: 'frivillig',
      placementDate: '2026-03-02',
    });
    expect(changedFacts(emergency, change({ placementDate: '2026-03-05' }))).toEqual({
      ...emergency,
      placementDate: '2026-03-05',
    });

    const refused = (over: Partial<Parameters<typeof validateChange>[1]>) =>
      rejection(() => validateChange(s, change(over)));
    expect(refused({ placementType: 'omsorgsovertakelse', legalBasis: 'frivillig' })).toMatchObject({
      code: 'invalid',
      field: 'legalBasis',
    });
    expect(refused({ placementDate: '2026-03-09', legalBasis: 'frivillig' })).toMatchObject({
      code: 'invalid',
      field: 'legalBasis',
    });
    expect(refused({ placementType: 'akutt', legalBasis: 'x' as never })).toMatchObject({
      field: 'legalBasis',
    });
    expect(refused({ placementType: 'x' as never })).toMatchObject({ field: 'placementType' });
    expect(() =>
      validateChange(s, change({ placementType: 'akutt', legalBasis: 'frivillig' })),
    ).not.toThrow();

    // The fold applies a basis that changed with the type.
    const changed = packageWith(
      [],
      [
        {
          type: 'PlacementTypeChanged',
          data: {
            from: 'omsorgsovertakelse',
            to: 'akutt',
            legalBasis: { from: 'omsorgsovertakelse', to: 'frivillig' },
            by: caseworker,
            at: now,
          },
        },
      ],
    );
    expect(changed.facts).toMatchObject({ placementType: 'akutt', legalBasis: 'frivillig' });
  });

  it('lets only a leader record a reduction, within bounds', () => {
    const decision = { kind: 'oppfolgingsbesok' as const, minimumPerYear: 2, effectiveFrom: '2026-09-01' };
    expect(rejection(() => validateReduction(s, { commandId: 'c', actor: caseworker, decision })).code).toBe(
      'not-allowed',
    );
    expect(() => validateReduction(s, { commandId: 'c', actor: leader, decision })).not.toThrow();
    expect(
      rejection(() =>
        validateReduction(s, { commandId: 'c', actor: leader, decision: { ...decision, minimumPerYear: 0 } }),
      ).field,
    ).toBe('decision.minimumPerYear');
  });
});
