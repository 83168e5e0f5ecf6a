/** One curve: a value per layer (null where undefined), e.g. one checkpoint's accuracy. */
export interface LineSeries {
  name: string;
  values: (number | null)[];
  /** CSS colour; default from the series palette. */
  color?: string;
  dashed?: boolean;
  /** A vertical marker at layer `index`, labelled, e.g. "minimal depth: layer 4". */
  marker?: { index: number; label: string };
}

export interface LineChartData {
  /** One label per layer (the x axis). */
  xLabels: string[];
  series: LineSeries[];
}

/** Checks a line chart's data: string labels, one value (number or null) per label in every series. */
export function validateLineData(data: LineChartData, where: string): void {
  if (!data || !Array.isArray(data.xLabels) || !Array.isArray(data.series)) {
    throw new Error(`${where}: expected { xLabels: string[], series: { name, values }[] }`);
  }
  const bad = data.xLabels.findIndex((l) => typeof l !== 'string');
  if (bad >= 0)
    throw new Error(`${where}: xLabels[${bad}] is ${typeof data.xLabels[bad]}, expected a string`);
  data.series.forEach((s, i) => {
    if (typeof s?.name !== 'string')
      throw new Error(`${where}: series[${i}].name must be a string`);
    if (!Array.isArray(s.values) || s.values.length !== data.xLabels.length) {
      throw new Error(
        `${where}: series "${s.name}" has ${Array.isArray(s.values) ? s.values.length : 'no'} values, expected ${data.xLabels.length} (one per x label)`,
      );
    }
    const j = s.values.findIndex((v) => v !== null && typeof v !== 'number');
    if (j >= 0) {
      throw new Error(
        `${where}: series "${s.name}" value ${j} is ${JSON.stringify(s.values[j])}, expected a number or null`,
      );
    }
    if (
      s.marker &&
      !(
        Number.isInteger(s.marker.index) &&
        s.marker.index >= 0 &&
        s.marker.index < data.xLabels.length
      )
    ) {
      throw new Error(
        `${where}: series "${s.name}" marker index ${s.marker.index} is outside 0..${data.xLabels.length - 1}`,
      );
    }
  });
}
