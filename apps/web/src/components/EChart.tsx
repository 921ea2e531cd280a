// The one ECharts wrapper: loads the library only on pages that draw a chart.
import { useEffect, useRef } from 'react';

type Option = Record<string, unknown>;

export function EChart({ option, height = 280 }: { option: Option; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: Option): void; resize(): void; dispose(): void } | undefined;
    const onResize = () => chart?.resize();
    void (async () => {
      const { echarts } = await import('./echarts-setup.ts');
      if (disposed || !ref.current) return;
      chart = echarts.init(ref.current);
      chart.setOption(option);
      window.addEventListener('resize', onResize);
    })();
    return () => {
      disposed = true;
      window.removeEventListener('resize', onResize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={ref} style={{ width: '100%', height }} />;
}
