export interface Bar {
  readonly label: string;
  /** null: no value (suppressed or nothing due); shown as text, not as a bar. */
  readonly value: number | null;
  readonly note?: string;
}

/**
 * A horizontal bar chart (SVG) with its data as a table right under it: the table is the accessible
 * alternative (screen readers, keyboard, high contrast), the SVG is hidden from assistive technology.
 */
export function BarChart({
  id,
  title,
  bars,
  max,
  format,
  valueHeading,
}: {
  id: string;
  title: string;
  bars: readonly Bar[];
  max: number;
  format: (v: number | null) => string;
  valueHeading: string;
}) {
  const rowH = 28;
  const labelW = 300;
  const width = 720;
  const barW = width - labelW - 80;
  const height = Math.max(rowH * bars.length, rowH);
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {bars.length === 0 ? (
        <p>Ingen data i perioden.</p>
      ) : (
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width="100%"
          role="presentation"
          aria-hidden="true"
          focusable="false"
        >
          {bars.map((b, i) => {
            const y = i * rowH;
            const w = b.value === null || max <= 0 ? 0 : Math.max(1, (b.value / max) * barW);
            return (
              <g key={b.label}>
                <text x={labelW - 8} y={y + rowH / 2 + 5} text-anchor="end" class="chart-label">
                  {b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label}
                </text>
                <rect x={labelW} y={y + 5} width={w} height={rowH - 10} class="chart-bar" />
                <text x={labelW + w + 6} y={y + rowH / 2 + 5} class="chart-value">
                  {format(b.value)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      <table class="ds-table">
        <caption class="ds-sr-only">{title} (tabell)</caption>
        <thead>
          <tr>
            <th scope="col">Gruppe</th>
            <th scope="col">{valueHeading}</th>
            <th scope="col">Merknad</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{format(b.value)}</td>
              <td>{b.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
