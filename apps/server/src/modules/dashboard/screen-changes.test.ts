import { describe, expect, it } from 'vitest';
import { sectionsMovedBy } from './screen-changes.ts';

describe('which sections a write moves', () => {
  it('a case transition moves the overview map, ecology and governance', () => {
    expect(sectionsMovedBy('case.close').sort()).toEqual(['ecology', 'governance', 'overview']);
  });
  it('points, farms, poverty and services move their own sections', () => {
    expect(sectionsMovedBy('points.redeem')).toEqual(['civility']);
    expect(sectionsMovedBy('agri.observation.create')).toEqual(['industry']);
    expect(sectionsMovedBy('poverty.measure.create')).toEqual(['prosperity']);
    expect(sectionsMovedBy('services.application.approve')).toEqual(['prosperity']);
  });
  it('consent withdrawal, erasure and purges move the sections that name people', () => {
    for (const action of ['privacy.consent.withdraw', 'privacy.consent.grant', 'privacy.request.complete', 'privacy.purge']) {
      expect(sectionsMovedBy(action), action).toEqual(expect.arrayContaining(['civility', 'governance']));
    }
    expect(sectionsMovedBy('privacy.export')).toEqual([]);
  });
  it('reads, including the screen’s own figure reads, move nothing', () => {
    for (const action of ['agri.figures.read', 'poverty.figures.read', 'care.elder.read', 'monitoring.finding.view', 'auth.login']) {
      expect(sectionsMovedBy(action)).toEqual([]);
    }
  });
});
