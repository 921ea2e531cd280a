import { APPLICATION_ACTIONS as CONTRACT_ACTIONS } from '@cunzhi/contracts/services';
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_ACTIONS,
  APPLICATION_STATES,
  checkInput,
  checkTransition,
  materialsToAsk,
  stillMissing,
  transitionWrites,
} from './application-workflow.ts';

const NOW = 1_764_000_000_000;
const facts = { now: NOW, acceptedAt: null, delivery: 'collect' as const, note: null, trackingNumber: null };

describe('the application workflow', () => {
  it('walks the main road: submitted → accepted → approved → delivered', () => {
    expect(checkTransition('accept', 'submitted', ['department'])).toBeNull();
    const accepted = transitionWrites('accept', { ...facts, dueAt: NOW + 1000 });
    expect(accepted).toEqual({ to: 'accepted', changes: { acceptedAt: NOW, dueAt: NOW + 1000 }, note: null });
    expect(checkTransition('approve', accepted.to, ['department'])).toBeNull();
    const approved = transitionWrites('approve', facts);
    expect(approved).toMatchObject({ to: 'approved', changes: { decidedAt: NOW } });
    expect(checkTransition('deliver', approved.to, ['hall'])).toBeNull();
    expect(transitionWrites('deliver', { ...facts, note: '窗口领取' })).toEqual({
      to: 'delivered',
      changes: { deliveredAt: NOW, trackingNumber: null },
      note: '窗口领取',
    });
  });

  it('lets the department decide, the applicant’s side resubmit, and the department or the hall deliver', () => {
    for (const action of ['accept', 'askMaterials', 'approve', 'refuse'] as const) {
      expect(checkTransition(action, 'submitted', ['applicant', 'hall'])).toBe('forbidden');
    }
    expect(checkTransition('resubmit', 'moreMaterials', ['department'])).toBe('forbidden');
    expect(checkTransition('resubmit', 'moreMaterials', ['applicant'])).toBeNull();
    expect(checkTransition('deliver', 'approved', ['applicant'])).toBe('forbidden');
    expect(checkTransition('deliver', 'approved', ['department'])).toBeNull();
  });

  it('asks who acts before which state it is in, so a stranger learns nothing of the state', () => {
    expect(checkTransition('approve', 'delivered', [])).toBe('forbidden');
    expect(checkTransition('approve', 'submitted', ['department'])).toBe('invalid_transition');
    expect(checkTransition('deliver', 'accepted', ['department'])).toBe('invalid_transition');
    expect(checkTransition('refuse', 'approved', ['department'])).toBe('invalid_transition');
  });

  it('returns a resubmitted application to where it was before the department asked', () => {
    expect(transitionWrites('resubmit', facts).to).toBe('submitted');
    expect(transitionWrites('resubmit', { ...facts, acceptedAt: NOW - 1 }).to).toBe('accepted');
  });

  it('writes what was asked for into the history note, and the refusal’s reason', () => {
    expect(transitionWrites('askMaterials', { ...facts, note: '请补充', missing: ['租赁合同', '身份证'] })).toEqual({
      to: 'moreMaterials',
      changes: { missing: ['租赁合同', '身份证'] },
      note: '租赁合同、身份证（请补充）',
    });
    expect(transitionWrites('refuse', { ...facts, note: '不符合条件' })).toEqual({
      to: 'refused',
      changes: { decidedAt: NOW, reason: '不符合条件' },
      note: '不符合条件',
    });
    expect(transitionWrites('deliver', { ...facts, delivery: 'mail', trackingNumber: 'EMS1' }).note).toBe('邮寄单号 EMS1');
  });

  it('wants a reason to refuse and a tracking number to mail', () => {
    expect(checkInput('refuse', { note: null, trackingNumber: null }, 'collect')).toBe('reason_required');
    expect(checkInput('refuse', { note: '理由', trackingNumber: null }, 'collect')).toBeNull();
    expect(checkInput('deliver', { note: null, trackingNumber: null }, 'mail')).toBe('tracking_number_required');
    expect(checkInput('deliver', { note: null, trackingNumber: null }, 'collect')).toBeNull();
  });

  it('counts the materials still owed: required ones before asking, the asked ones uploaded since after', () => {
    const uploads = [
      { material: '申请书', createdAt: 10 },
      { material: '租赁合同', createdAt: 10 },
    ];
    expect(stillMissing(uploads, ['申请书', '身份证'], undefined)).toEqual(['身份证']);
    // An upload from before the department asked does not answer the question.
    expect(stillMissing(uploads, ['申请书'], { names: ['租赁合同', '身份证'], at: 20 })).toEqual(['租赁合同', '身份证']);
    expect(stillMissing([...uploads, { material: '身份证', createdAt: 30 }], [], { names: ['身份证'], at: 20 })).toEqual([]);
    expect(materialsToAsk(['身份证'], [' 租赁合同 ', '', '身份证'])).toEqual(['身份证', '租赁合同']);
  });

  it('names only real states', () => {
    for (const rule of Object.values(APPLICATION_ACTIONS)) {
      for (const state of rule.from) expect(APPLICATION_STATES).toContain(state);
      if (rule.to !== 'back') expect(APPLICATION_STATES).toContain(rule.to);
    }
  });
});

describe('the API contract', () => {
  it('offers exactly the actions the workflow knows', () => {
    expect([...CONTRACT_ACTIONS].sort()).toEqual(Object.keys(APPLICATION_ACTIONS).sort());
  });
});
