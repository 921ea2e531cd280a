import type { Region } from '@cunzhi/contracts/org';
import { Card, Col, Descriptions, List, Row, Tag, Tree, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchRegionChildren, useGrids } from '../../../lib/regions.ts';

type TreeNode = { key: string; title: string; isLeaf: boolean; region: Region; children?: TreeNode[] };

const toNode = (r: Region): TreeNode => ({ key: r.id, title: `${r.name} ${r.code}`, isLeaf: r.childCount === 0, region: r });

function attach(nodes: TreeNode[], key: string, children: TreeNode[]): TreeNode[] {
  return nodes.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: attach(n.children, key, children) } : n));
}

export default function RegionsPage() {
  const { t } = useTranslation();
  const [tree, setTree] = useState<TreeNode[]>([]);
  const [selected, setSelected] = useState<Region>();
  const grids = useGrids(selected?.level === 'village' ? selected.id : undefined);

  useEffect(() => {
    void fetchRegionChildren().then((roots) => setTree(roots.map(toNode)));
  }, []);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={10}>
        <Card title={t('nav.regions')}>
          <Tree
            treeData={tree}
            loadData={async (node) => {
              const children = await fetchRegionChildren(String(node.key));
              setTree((current) => attach(current, String(node.key), children.map(toNode)));
            }}
            onSelect={(_, info) => setSelected((info.node as unknown as TreeNode).region)}
          />
        </Card>
      </Col>
      <Col xs={24} md={14}>
        {selected && (
          <Card title={selected.name}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('region.code')}>{selected.code}</Descriptions.Item>
              <Descriptions.Item label={t('household.region')}>{t(`region.${selected.level}`)}</Descriptions.Item>
            </Descriptions>
            {selected.level === 'village' && (
              <>
                <Typography.Title level={5}>{t('region.grids')}</Typography.Title>
                <List
                  loading={grids.isLoading}
                  dataSource={grids.data ?? []}
                  renderItem={(g) => (
                    <List.Item key={g.id}>
                      <List.Item.Meta
                        title={g.name}
                        description={`${t('region.gridWorkers')}: ${g.workers.map((w) => `${w.displayName} ${w.phone}`).join('、') || '—'} · ${t('region.groups')}: ${g.regionIds.length}`}
                      />
                    </List.Item>
                  )}
                />
              </>
            )}
            {selected.level !== 'village' && <Tag>{t(`region.${selected.level}`)}</Tag>}
          </Card>
        )}
      </Col>
    </Row>
  );
}
