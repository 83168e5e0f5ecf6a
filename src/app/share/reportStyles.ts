/** The report's only styles (inline: its Content Security Policy allows nothing else). */
export const reportStyles = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2330;
  margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; line-height: 1.4; }
h1 { margin: 0.5rem 0; font-size: 1.5rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #d9dee7; padding-bottom: 0.2rem; font-size: 1.15rem; }
.meta, figcaption, caption, footer { color: #5b6474; font-size: 0.85rem; }
figure { margin: 1rem 0 1.5rem; break-inside: avoid; min-width: 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(24rem, 1fr)); gap: 0 2rem; }
.charts h2 { grid-column: 1 / -1; }
figure svg { max-width: 100%; height: auto; display: block; }
table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; margin: 0.5rem 0; }
caption { text-align: left; padding-bottom: 0.3rem; }
th, td { padding: 0.15rem 0.6rem; border-bottom: 1px solid #d9dee7; text-align: right; }
th[scope="row"], thead th:first-child { text-align: left; }
.marker { color: #2f5fd0; font-size: 0.75rem; }
pre { background: #f4f6fa; padding: 0.6rem; overflow: auto; font-size: 0.8rem; }
summary { cursor: pointer; color: #2f5fd0; }
@media print { summary { display: none; } details { display: block; } }
`;
