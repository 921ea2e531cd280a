// The identification procedure and the removal path as pure rules: seven steps in order, each by
// its office; the notice's window and objections hold the township back; removal needs a stretch
// of income above the line, labour and the causes resolved.
import { PROCEDURE_STEPS, type ProcedureStep } from '@cunzhi/contracts/poverty';
import { describe, expect, it } from 'vitest';
import { categoryOf, maskName, reasonsOf } from './poverty-rules.ts';
import {
  afterStep,
  checkStep,
  nextStep,
  noticeRunning,
  type OfficeKind,
  type Procedure,
  removalProblem,
  STEP_ROLES,
  stepsFor,
} from './poverty-workflow.ts';

const NOW = Date.parse('2026-12-02T10:00:00+08:00');
const DAY = 24 * 3_600_000;
const facts = { now: NOW, noticeEndsAt: null, openObjections: 0, evidenceCount: 1 };
const officeFor = (step: ProcedureStep): OfficeKind => STEP_ROLES[step][0] as OfficeKind;

/** Walks a procedure through every step, each by the first office allowed to take it. */
function walk(start: Procedure): Procedure[] {
  const seen = [start];
  let at = start;
  for (const step of PROCEDURE_STEPS) {
    expect(checkStep(at, step, 'approve', [officeFor(step)], facts)).toBeNull();
    at = afterStep(at, 'approve');
    seen.push(at);
  }
  return seen;
}

describe('the identification procedure', () => {
  it('runs the seven steps in order, each by its office, and ends in monitoring', () => {
    const path = walk({ status: 'identifying', doneSteps: 0 });
    expect(path.map(nextStep)).toEqual([...PROCEDURE_STEPS, null]);
    expect(path.at(-1)).toEqual({ status: 'monitored', doneSteps: 0 });
  });

  it('refuses a step out of order, before or after its turn', () => {
    const fresh: Procedure = { status: 'identifying', doneSteps: 0 };
    expect(checkStep(fresh, 'villageReview', 'approve', ['village'], facts)).toBe('poverty_step_out_of_order');
    expect(checkStep(fresh, 'countyApproval', 'approve', ['county'], facts)).toBe('poverty_step_out_of_order');
    const compared: Procedure = { status: 'identifying', doneSteps: 3 };
    expect(checkStep(compared, 'homeVisit', 'approve', ['grid'], facts)).toBe('poverty_step_out_of_order');
  });

  it('refuses a step by the wrong office: the grid worker does not review, the village does not approve', () => {
    expect(checkStep({ status: 'identifying', doneSteps: 2 }, 'dataComparison', 'approve', ['grid', 'village'], facts)).toBe('forbidden');
    expect(checkStep({ status: 'identifying', doneSteps: 3 }, 'villageReview', 'approve', ['grid'], facts)).toBe('forbidden');
    expect(checkStep({ status: 'identifying', doneSteps: 5 }, 'townshipReview', 'approve', ['village', 'county'], facts)).toBe('forbidden');
    expect(checkStep({ status: 'identifying', doneSteps: 6 }, 'countyApproval', 'approve', ['township'], facts)).toBe('forbidden');
    expect(checkStep({ status: 'identifying', doneSteps: 0 }, 'homeVisit', 'approve', ['township'], facts)).toBe('forbidden');
  });

  it('needs the signed authorisation uploaded before the authorisation step', () => {
    const visited: Procedure = { status: 'identifying', doneSteps: 1 };
    expect(checkStep(visited, 'authorisation', 'approve', ['grid'], { ...facts, evidenceCount: 0 })).toBe('poverty_evidence_required');
    expect(checkStep(visited, 'authorisation', 'approve', ['grid'], facts)).toBeNull();
  });

  it('lets only the reviews and the approval reject; a rejection ends the identification', () => {
    expect(checkStep({ status: 'identifying', doneSteps: 0 }, 'homeVisit', 'reject', ['grid'], facts)).toBe('poverty_cannot_reject');
    const reviewed: Procedure = { status: 'identifying', doneSteps: 3 };
    expect(checkStep(reviewed, 'villageReview', 'reject', ['village'], facts)).toBeNull();
    expect(afterStep(reviewed, 'reject')).toEqual({ status: 'dismissed', doneSteps: 0 });
  });

  it('holds the township review until the notice has ended and every objection is answered', () => {
    const noticed: Procedure = { status: 'identifying', doneSteps: 5 };
    const running = { ...facts, noticeEndsAt: NOW + DAY };
    expect(checkStep(noticed, 'townshipReview', 'approve', ['township'], running)).toBe('poverty_notice_running');
    expect(noticeRunning(noticed, NOW + DAY, NOW)).toBe(true);
    const ended = { ...facts, noticeEndsAt: NOW - 1 };
    expect(noticeRunning(noticed, NOW - 1, NOW)).toBe(false);
    expect(checkStep(noticed, 'townshipReview', 'approve', ['township'], { ...ended, openObjections: 1 })).toBe('poverty_objections_open');
    expect(checkStep(noticed, 'townshipReview', 'approve', ['township'], ended)).toBeNull();
  });

  it('offers each office only its own next step', () => {
    const compared: Procedure = { status: 'identifying', doneSteps: 3 };
    expect(stepsFor(compared, ['village'])).toEqual(['villageReview']);
    expect(stepsFor(compared, ['grid'])).toEqual([]);
    expect(stepsFor({ status: 'monitored', doneSteps: 0 }, ['county'])).toEqual([]);
    expect(checkStep({ status: 'monitored', doneSteps: 0 }, 'homeVisit', 'approve', ['grid'], facts)).toBe('poverty_no_procedure');
  });
});

describe('removing the risk', () => {
  const above = (monthsAgo: number, perCapita = 9000, labour = 2) => ({
    recordedAt: NOW - monthsAgo * 30 * DAY,
    perCapitaLast12: perCapita,
    labour,
    causesResolved: true,
  });

  it('takes the same seven steps and ends with the risk removed; a rejection sends it back to monitoring', () => {
    const path = walk({ status: 'removing', doneSteps: 0 });
    expect(path.at(-1)).toEqual({ status: 'removed', doneSteps: 0 });
    expect(afterStep({ status: 'removing', doneSteps: 6 }, 'reject')).toEqual({ status: 'monitored', doneSteps: 0 });
    expect(checkStep({ status: 'removing', doneSteps: 0 }, 'countyApproval', 'approve', ['county'], facts)).toBe(
      'poverty_step_out_of_order',
    );
  });

  it('starts only when income has stayed above the line for the configured months with the causes resolved', () => {
    const stable = [above(7), above(4), above(1)];
    expect(removalProblem('monitored', stable, 7600, 6, NOW, 0)).toBeNull();
    // Too short a stretch: nothing as old as the window.
    expect(removalProblem('monitored', [above(4), above(1)], 7600, 6, NOW, 0)).toBe('poverty_not_stable');
    // One dip inside the window.
    expect(removalProblem('monitored', [above(7), above(3, 7000), above(1)], 7600, 6, NOW, 0)).toBe('poverty_not_stable');
    expect(removalProblem('monitored', [above(7), above(4), { ...above(1), causesResolved: false }], 7600, 6, NOW, 0)).toBe(
      'poverty_causes_open',
    );
    expect(removalProblem('monitored', stable, 7600, 6, NOW, 2)).toBe('poverty_causes_open');
    expect(removalProblem('identifying', stable, 7600, 6, NOW, 0)).toBe('poverty_not_monitored');
  });

  it('keeps a household without labour monitored whatever its income', () => {
    expect(removalProblem('monitored', [above(13, 9000, 0), above(1, 9000, 0)], 7600, 6, NOW, 0)).toBe('poverty_no_labour');
  });
});

describe('the rules on a household’s figures', () => {
  const assured = { food: true, clothing: true, education: true, medical: true, housing: true, water: true };
  const base = {
    members: 4,
    labour: 2,
    formerlyPoor: false,
    income: { wage: 30_000, business: 10_000 },
    incomeLast12: 40_000,
    expenses: [],
    assurances: assured,
    seriousIllness: false,
    disaster: false,
  };
  const thresholds = { incomeLine: 7600, expenseRatio: 0.5, expenseMinimum: 10_000 };

  it('gives no reason for a household above the line with every assurance', () => {
    expect(reasonsOf(base, thresholds)).toEqual([]);
    expect(categoryOf([], false)).toBeNull();
  });

  it('flags income under the line: unstable for a household that left poverty, marginal otherwise', () => {
    const poor = { ...base, income: { wage: 20_000 }, incomeLast12: 20_000 };
    expect(reasonsOf(poor, thresholds)).toEqual(['incomeBelowLine']);
    expect(categoryOf(['incomeBelowLine'], true)).toBe('unstable');
    expect(categoryOf(['incomeBelowLine'], false)).toBe('marginal');
    // The last twelve months count too: last year's harvest does not hide this year's loss.
    expect(reasonsOf({ ...base, incomeLast12: 24_000 }, thresholds)).toContain('incomeBelowLine');
  });

  it('flags a large expense over the threshold, a serious illness or a disaster as sudden hardship', () => {
    const flood = { ...base, disaster: true, expenses: [{ kind: 'disaster', amount: 30_000 }] };
    expect(reasonsOf(flood, thresholds)).toEqual(['expenseOverThreshold', 'disaster']);
    expect(categoryOf(reasonsOf(flood, thresholds), false)).toBe('hardship');
    // Under the minimum amount nothing is flagged, however large a share of a small income.
    expect(reasonsOf({ ...base, expenses: [{ kind: 'illness', amount: 9000 }] }, thresholds)).toEqual([]);
    expect(reasonsOf({ ...base, seriousIllness: true }, thresholds)).toEqual(['seriousIllness']);
  });

  it('flags a missing assurance (两不愁三保障)', () => {
    expect(reasonsOf({ ...base, assurances: { ...assured, housing: false } }, thresholds)).toEqual(['assuranceMissing']);
  });

  it('masks a name on the public notice', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('李四')).toBe('李*');
    expect(maskName('欧阳小兰')).toBe('欧**兰');
  });
});
