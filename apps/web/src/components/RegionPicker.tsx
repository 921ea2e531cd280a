import { DownOutlined } from '@ant-design/icons';
import type { Region } from '@cunzhi/contracts/org';
import { TreeSelect } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchRegionChildren } from '../lib/regions.ts';

type Node = {
  id: string;
  pId?: string;
  value: string;
  title: string;
  isLeaf: boolean;
  selectable: boolean;
  level: Region['level'];
};

/**
 * Lazily walks the region tree, and can be typed into: opening it loads every township's villages
 * (one request per township), so a village is found by its name without opening the tree; its
 * groups load when it is opened. `selectableLevels` limits what can be
 * picked (e.g. households need a village or group).
 */
export function RegionPicker(props: {
  /** Given by Form.Item, so the field's label points at the picker. */
  id?: string;
  value?: string;
  onChange?: (id: string | undefined) => void;
  selectableLevels?: Region['level'][];
  /** Only these places and those under them can be picked (the caller's own scope). */
  within?: readonly string[];
  placeholder?: string;
  allowClear?: boolean;
}) {
  const { i18n } = useTranslation();
  const [nodes, setNodes] = useState<Node[]>([]);
  /** Parents whose children are loaded or loading: each is asked for once. */
  const asked = useRef(new Set<string>());
  const toNode = (r: Region): Node => ({
    id: r.id,
    pId: r.parentId ?? undefined,
    value: r.id,
    title: i18n.language === 'en' && r.nameEn ? r.nameEn : r.name,
    isLeaf: r.childCount === 0,
    selectable: !props.selectableLevels || props.selectableLevels.includes(r.level),
    level: r.level,
  });
  const add = (regions: Region[]) =>
    setNodes((current) => [...current, ...regions.filter((r) => !current.some((n) => n.id === r.id)).map(toNode)]);
  const loadChildren = async (parentId: string) => {
    if (asked.current.has(parentId)) return;
    asked.current.add(parentId);
    add(await fetchRegionChildren(parentId));
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: load the roots once
  useEffect(() => {
    void fetchRegionChildren().then(async (roots) => {
      add(roots);
      // Open the county straight away: one level down is where everyone starts.
      if (roots.length === 1 && roots[0]) await loadChildren(roots[0].id);
    });
  }, []);

  // When the picker is opened, every township's villages are loaded (townships that arrive later
  // too), so that a name typed next finds its village, opened to it.
  const [searching, setSearching] = useState(false);
  // The words typed. While there are some, every loaded branch is open, including branches that
  // load after the words were typed: antd opens only those loaded when the words change, so a
  // village whose township's list came a moment late stayed hidden in its closed township.
  const [words, setWords] = useState('');
  const opened = [...new Set(nodes.flatMap((n) => (n.pId ? [n.pId] : [])))];
  // biome-ignore lint/correctness/useExhaustiveDependencies: loadChildren asks each parent once
  useEffect(() => {
    if (!searching) return;
    for (const node of nodes) if (node.level === 'township' && !node.isLeaf) void loadChildren(node.id);
  }, [searching, nodes]);

  // A place is within when it or a place above it is one of `within` (parents load before children).
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const inside = (node: Node | undefined): boolean =>
    !props.within || (node !== undefined && (props.within.includes(node.id) || inside(node.pId ? byId.get(node.pId) : undefined)));
  const treeData = props.within ? nodes.map((n) => ({ ...n, selectable: n.selectable && inside(n) })) : nodes;

  return (
    <TreeSelect
      id={props.id}
      treeDataSimpleMode
      treeData={treeData}
      value={props.value}
      onChange={(value) => {
        setWords('');
        props.onChange?.(value as string | undefined);
      }}
      loadData={(node) => loadChildren(node.value as string)}
      showSearch
      treeNodeFilterProp="title"
      searchValue={words}
      treeExpandedKeys={words ? opened : undefined}
      onFocus={() => setSearching(true)}
      onSearch={(typed) => {
        setWords(typed);
        if (typed.trim() !== '') setSearching(true);
      }}
      placeholder={props.placeholder}
      allowClear={props.allowClear}
      style={{ width: '100%', minWidth: 180 }}
      popupMatchSelectWidth={false}
      // A picture only: without aria-hidden antd's icon is named "down", in English, for screen readers.
      suffixIcon={<DownOutlined aria-hidden="true" />}
    />
  );
}
