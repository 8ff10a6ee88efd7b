import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/**
 * One uPlot chart: x are Unix seconds, each series a list of numbers (null
 * for no value). Rebuilt when the data change; sized to its container.
 */
export function TimeChart({ title, x, series, testId }: { title: string; x: number[]; series: Array<{ label: string; values: Array<number | null>; colour: string }>; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const plot = new uPlot(
      {
        title,
        width: Math.max(320, element.clientWidth),
        height: 220,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, spanGaps: false, points: { show: true } }))],
        axes: [{}, { size: 60 }],
      },
      [x, ...series.map((s) => s.values)] as uPlot.AlignedData,
      element,
    );
    return () => plot.destroy();
  }, [title, JSON.stringify(x), JSON.stringify(series)]);
  return <div ref={box} className="chart" data-testid={testId} />;
}
