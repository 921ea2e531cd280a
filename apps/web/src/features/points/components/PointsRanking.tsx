// 本月排行 on the villager's points page: the top five and the household's own line, the rest on
// 查看前 10 名; the household chooses here whether its head's name shows in public rankings.
import '../words.ts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ItemList } from '../../../components/ItemList.tsx';
import { CheckLine, Chip } from '../../../components/Light.tsx';
import { MoreButton } from '../../../components/MoreButton.tsx';
import { Panel } from '../../../components/Panel.tsx';
import { pointsApi, useRanking } from '../api/points.ts';

/** How many of the ranking show before 查看全部. */
const FIRST_RANKS = 5;

export function Ranking({ villageId, householdId, publicName }: { villageId: string; householdId: string; publicName: boolean }) {
  const { t } = useTranslation();
  const ranking = useRanking(villageId, 'month');
  const [shown, setShown] = useState(publicName);
  const [all, setAll] = useState(false);
  const top = (ranking.data?.items ?? []).slice(0, 10);
  // The top five, and my household's own line when it is further down (it is what a villager looks for).
  const listed = all ? top : top.filter((r, i) => i < FIRST_RANKS || r.householdId === householdId);
  return (
    <Panel title={t('points.ranking')}>
      <ItemList
        empty={t('common.noData')}
        loading={ranking.isLoading}
        read={ranking}
        items={listed.map((r) => ({
          key: r.householdId ?? `${r.rank}-${r.name}`,
          title: `${r.rank}. ${r.name}`,
          extra: <Chip colour={r.householdId === householdId ? 'green' : undefined}>{r.points}</Chip>,
        }))}
      />
      {top.length > FIRST_RANKS && (
        <MoreButton expanded={all} onClick={() => setAll(!all)} testId="ranking-all">
          {all ? t('points.rankingFewer', { count: FIRST_RANKS }) : t('points.rankingAll', { count: top.length })}
        </MoreButton>
      )}
      <CheckLine
        checked={shown}
        onChange={(value) => {
          setShown(value);
          void pointsApi.setPublicName(householdId, value);
        }}
      >
        {t('points.publicName')}
      </CheckLine>
    </Panel>
  );
}
