import { useEffect, useState } from 'react';
import {
  createStreamingChart,
  type StreamingChart,
  type StreamingChartOptions,
  type StreamingData,
} from '../../../charts/streamingChart';
import { trainingFeed } from '../../effects/streamFeed';
import { ChartView } from '../../charts/ChartView';
import { useStrata } from '../../store';

/**
 * The training loss, streaming: points go from the training events straight to the chart's
 * `append` through the feed, without a React render per point.
 */
export function LossCurve() {
  const [chart, setChart] = useState<StreamingChart | null>(null);
  const base = useStrata((s) => s.run.training.baseModelId);
  const loss = useStrata((s) => s.run.training.loss);
  useEffect(() => {
    if (!chart) return;
    chart.update({ series: [] });
    chart.append(trainingFeed.points());
    return trainingFeed.subscribe((e) => {
      if (e.type === 'reset') chart.update({ series: [] });
      else chart.append(e.points);
    });
  }, [chart]);
  const caption = base
    ? `Training loss · ${loss} fine-tune of ${base} · per step`
    : 'Training loss (start a fine-tune)';
  return (
    <ChartView<StreamingData, StreamingChartOptions, StreamingChart>
      create={createStreamingChart}
      options={{ yScale: 'log', xTitle: 'step', yTitle: 'loss', caption }}
      data={null}
      placeholder={false}
      className="chart-host live-chart"
      onChart={setChart}
    />
  );
}
