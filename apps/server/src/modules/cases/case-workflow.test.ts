import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STATES, checkTransition, escalate, nextState } from './case-workflow.ts';

describe('the case workflow', () => {
  it('walks the main road: received → assigned → accepted → handled → replied → closed', () => {
    let state = nextState('assign', 'received');
    expect(state).toBe('assigned');
    for (const action of ['accept', 'handle', 'reply', 'rate'] as const) {
      const by = action === 'rate' ? 'reporter' : 'handler';
      expect(checkTransition(action, state, [by])).toBeNull();
      state = nextState(action, state, 4);
    }
    expect(state).toBe('closed');
  });

  it('answers on the spot straight from received', () => {
    expect(checkTransition('answerOnSpot', 'received', ['supervisor'])).toBeNull();
    expect(nextState('answerOnSpot', 'received')).toBe('answeredOnSpot');
  });

  it('refuses actions from the wrong state or by the wrong person', () => {
    expect(checkTransition('handle', 'assigned', ['handler'])).toBe('invalid_transition');
    expect(checkTransition('accept', 'assigned', ['reporter'])).toBe('not_allowed');
    expect(checkTransition('returnForRework', 'handled', ['handler'])).toBe('not_allowed');
    expect(checkTransition('rate', 'closed', ['reporter'])).toBe('invalid_transition');
    expect(checkTransition('rate', 'replied', ['handler'])).toBe('not_allowed');
  });

  it('reopens on a rating of 1 or 2 and closes on 3 to 5', () => {
    expect(nextState('rate', 'replied', 1)).toBe('assigned');
    expect(nextState('rate', 'replied', 2)).toBe('assigned');
    expect(nextState('rate', 'replied', 3)).toBe('closed');
  });

  it('escalates grid → village → township → county and stays at the county', () => {
    expect(escalate('grid')).toBe('village');
    expect(escalate('township')).toBe('county');
    expect(escalate('county')).toBe('county');
  });

  it('names only real states', () => {
    for (const rule of Object.values(CASE_ACTIONS)) {
      for (const state of rule.from) expect(CASE_STATES).toContain(state);
      if (rule.to !== 'same') expect(CASE_STATES).toContain(rule.to);
    }
  });
});

import { CASE_ACTIONS as CONTRACT_ACTIONS } from '@cunzhi/contracts/cases';

describe('the API contract', () => {
  it('offers exactly the actions the workflow knows', () => {
    expect([...CONTRACT_ACTIONS].sort()).toEqual(Object.keys(CASE_ACTIONS).sort());
  });
});
