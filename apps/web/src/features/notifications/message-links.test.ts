import { describe, expect, it } from 'vitest';
import { linkOf } from './message-links.ts';

describe('where a message leads', () => {
  it('opens what the message is about for its owner, and nothing for staff messages about others', () => {
    const id = '0190f2a0-0000-7000-8000-000000000001';
    expect(linkOf({ topic: 'cases.replied', subjectType: 'case', subjectId: id })).toBe(`/cases/${id}`);
    expect(linkOf({ topic: 'notices.notice', subjectType: 'notice', subjectId: id })).toBe('/m/notices');
    // A newcomer tapped 农技员…回复了您的提问 and nothing happened.
    expect(linkOf({ topic: 'agri.answer', subjectType: 'question', subjectId: id })).toBe(`/m/agri/questions/${id}`);
    expect(linkOf({ topic: 'services.application', subjectType: 'serviceApplication', subjectId: id })).toBe(
      `/m/services/applications/${id}`,
    );
    expect(linkOf({ topic: 'points.claim', subjectType: 'pointsClaim', subjectId: id })).toBe('/m/points');
    // The extension worker's new question and the handler's overdue application are desk matters.
    expect(linkOf({ topic: 'agri.question', subjectType: 'question', subjectId: id })).toBeUndefined();
    expect(linkOf({ topic: 'services.overdue', subjectType: 'serviceApplication', subjectId: id })).toBeUndefined();
  });
});
