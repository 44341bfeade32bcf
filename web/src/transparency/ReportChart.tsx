/**
 * One bar chart of the report (Chart.js on a canvas), with its text alternative: the canvas is an
 * image named by a summary, and the same figures follow as a table. Chart.js sets canvas sizes through
 * the CSSOM only (no style element, no style attribute in markup), which the strict CSP allows.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, formatNumber, regionName } from '../i18n/index.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Distinct on light and dark backgrounds (Okabe–Ito, colour-blind safe). */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'];

export interface ChartSeries {
  /** Period labels, oldest first. */
  labels: string[];
  /** One series per jurisdiction: its code and one value per period. */
  series: Array<{ code: string; values: number[] }>;
}

export function ReportChart({ id, title, data }: { id: string; title: string; data: ChartSeries }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (!canvas.current) return undefined;
    const text = getComputedStyle(document.documentElement).getPropertyValue('--text-dim').trim() || '#555';
    const grid = getComputedStyle(document.documentElement).getPropertyValue('--border').trim() || '#ddd';
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: data.labels,
        datasets: data.series.map((s, i) => ({
          label: `${regionName(s.code)} (${s.code})`,
          data: s.values,
          backgroundColor: PALETTE[i % PALETTE.length],
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        locale: currentLanguage(),
        color: text,
        scales: {
          x: { stacked: true, ticks: { color: text }, grid: { color: grid } },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { color: text, precision: 0 },
            grid: { color: grid },
          },
        },
        plugins: { legend: { labels: { color: text } } },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [data]);

  return (
    <figure className="report-chart" data-testid={`report-chart-${id}`}>
      <figcaption>{title}</figcaption>
      <div className="report-chart-canvas">
        <canvas
          ref={canvas}
          role="img"
          aria-label={t('report.chartSummary', { title, count: data.labels.length })}
        />
      </div>
      <details>
        <summary>{t('report.chartData')}</summary>
        <div className="report-scroll">
          <table className="console-table" data-testid={`report-chart-${id}-data`}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('report.period')}</th>
                {data.series.map((s) => (
                  <th scope="col" key={s.code}>
                    {regionName(s.code)} ({s.code})
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.labels.map((label, row) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {data.series.map((s) => (
                    <td key={s.code} data-jurisdiction={s.code} data-value={s.values[row] ?? 0}>
                      {formatNumber(s.values[row] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
