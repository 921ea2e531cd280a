import type { Region } from '@cunzhi/contracts/org';
import { TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchRegionChildren } from '../lib/regions.ts';

type Node = { id: string; pId?: string; value: string; title: string; isLeaf: boolean; selectable: boolean };

/** Lazily walks the region tree; `selectableLevels` limits what can be picked (e.g. households need a village or group). */
export function RegionPicker(props: {
  /** Given by Form.Item, so the field's label points at the picker. */
  id?: string;
  value?: string;
  onChange?: (id: string | undefined) => void;
  selectableLevels?: Region['level'][];
  placeholder?: string;
  allowClear?: boolean;
}) {
  const { i18n } = useTranslation();
  const [nodes, setNodes] = useState<Node[]>([]);
  const toNode = (r: Region): Node => ({
    id: r.id,
    pId: r.parentId ?? undefined,
    value: r.id,
    title: i18n.language === 'en' && r.nameEn ? r.nameEn : r.name,
    isLeaf: r.childCount === 0,
    selectable: !props.selectableLevels || props.selectableLevels.includes(r.level),
  });
  const add = (regions: Region[]) =>
    setNodes((current) => [...current, ...regions.filter((r) => !current.some((n) => n.id === r.id)).map(toNode)]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: load the roots once
  useEffect(() => {
    void fetchRegionChildren().then(async (roots) => {
      add(roots);
      // Open the county straight away: one level down is where everyone starts.
      if (roots.length === 1 && roots[0]) add(await fetchRegionChildren(roots[0].id));
    });
  }, []);

  return (
    <TreeSelect
      id={props.id}
      treeDataSimpleMode
      treeData={nodes}
      value={props.value}
      onChange={(value) => props.onChange?.(value as string | undefined)}
      loadData={async (node) => add(await fetchRegionChildren(node.value as string))}
      placeholder={props.placeholder}
      allowClear={props.allowClear}
      style={{ width: '100%', minWidth: 180 }}
      popupMatchSelectWidth={false}
    />
  );
}
