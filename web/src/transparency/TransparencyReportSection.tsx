/**
 * The transparency report on the public page (no sign-in): a choice of periods (half-years by
 * default, quarters, years), the figures of one period per jurisdiction with the totals, two charts
 * over all periods (demands received, and withholding decisions, per jurisdiction) with their tables,
 * the JSON and CSV downloads, and links to the log's checkpoint and to the public notices.
 */
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { formatNumber, regionName } from '../i18n/index.js';
import type { ChartSeries } from './ReportChart.js';
import {
  GRANULARITY_OPTIONS,
  METRICS,
  loadReport,
  periodLabel,
  reportPath,
  type Granularity,
  type PeriodReport,
  type ReportCounts,
  type TransparencyReport,
} from './reportData.js';

// Chart.js is loaded with the charts only, not with every page of the app.
const ReportChart = lazy(() => import('./ReportChart.js').then((m) => ({ default: m.ReportChart })));

function series(report: TransparencyReport, value: (c: ReportCounts) => number): ChartSeries {
  const codes = [
    ...new Set(report.periods.flatMap((p) => p.jurisdictions.map((j) => j.jurisdiction))),
  ].sort();
  return {
    labels: report.periods.map(periodLabel),
    series: codes.map((code) => ({
      code,
      values: report.periods.map((p) => {
        const j = p.jurisdictions.find((x) => x.jurisdiction === code);
        return j ? value(j) : 0;
      }),
    })),
  };
}

function PeriodTable({ period }: { period: PeriodReport }) {
  const { t } = useTranslation();
  if (period.jurisdictions.length === 0) {
    return (
      <p className="empty-state" data-testid="report-empty">
        {t('report.empty')}
      </p>
    );
  }
  const columns = [...period.jurisdictions, { jurisdiction: 'total', ...period.totals }];
  return (
    <div className="report-scroll">
      <table className="console-table report-table" data-testid="report-table" data-period={period.period}>
        <caption>{t('report.tableCaption', { period: periodLabel(period) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('report.metric')}</th>
            {columns.map((c) => (
              <th scope="col" key={c.jurisdiction}>
                {c.jurisdiction === 'total'
                  ? t('report.total')
                  : `${regionName(c.jurisdiction)} (${c.jurisdiction})`}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {METRICS.map((m) => (
            <tr key={m.key}>
              <th scope="row">{t(`report.metrics.${m.key}`)}</th>
              {columns.map((c) => (
                <td
                  key={c.jurisdiction}
                  data-testid="report-cell"
                  data-metric={m.key}
                  data-jurisdiction={c.jurisdiction}
                  data-value={m.value(c)}
                >
                  {formatNumber(m.value(c))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TransparencyReportSection() {
  const { t, i18n } = useTranslation();
  const [granularity, setGranularity] = useState<Granularity>('half-year');
  const [state, setState] = useState<{ report: TransparencyReport | null; error: boolean }>({
    report: null,
    error: false,
  });
  const [chosen, setChosen] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setState({ report: null, error: false });
    setChosen(null);
    loadReport(granularity).then(
      (report) => live && setState({ report, error: false }),
      () => live && setState({ report: null, error: true }),
    );
    return () => {
      live = false;
    };
  }, [granularity]);

  const report = state.report;
  // Labels follow the language: recompute the chart data when it changes.
  const charts = useMemo(
    () =>
      report
        ? {
            requests: series(report, (c) => c.requestsReceived),
            actions: series(report, (c) => c.done.withheld + c.done.partial),
          }
        : null,
    [report, i18n.language],
  );
  const period = report?.periods.find((p) => p.period === chosen) ?? report?.periods.at(-1);

  return (
    <section
      className="card console-section report"
      aria-labelledby="report-title"
      data-testid="transparency-report"
      data-granularity={granularity}
      data-period={period?.period ?? ''}
    >
      <h1 id="report-title">{t('report.title')}</h1>
      {report ? (
        <p className="card-lead">
          {t('report.lead', {
            asOf: new Date(report.asOf).toLocaleString(i18n.language, {
              dateStyle: 'long',
              timeStyle: 'short',
            }),
          })}
        </p>
      ) : null}
      <div className="report-controls">
        <label>
          {t('report.granularity')}{' '}
          <select
            data-testid="report-granularity"
            value={granularity}
            onChange={(e) => setGranularity(e.target.value as Granularity)}
          >
            {GRANULARITY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {t(`report.${o.label}`)}
              </option>
            ))}
          </select>
        </label>
        {report && period ? (
          <label>
            {t('report.period')}{' '}
            <select
              data-testid="report-period"
              value={period.period}
              onChange={(e) => setChosen(e.target.value)}
            >
              {report.periods.map((p) => (
                <option key={p.period} value={p.period}>
                  {periodLabel(p)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {state.error ? (
        <p className="form-error" role="alert" data-testid="report-error">
          {t('report.loadFailed')}
        </p>
      ) : null}
      {!report && !state.error ? <span className="spinner" aria-label={t('common.loading')} /> : null}
      {period ? <PeriodTable period={period} /> : null}
      {report ? <p className="report-note">{t('report.byDesign')}</p> : null}
      {charts ? (
        <div className="report-charts">
          <Suspense fallback={<span className="spinner" aria-label={t('common.loading')} />}>
            <ReportChart id="requests" title={t('report.chartRequests')} data={charts.requests} />
            <ReportChart id="actions" title={t('report.chartActions')} data={charts.actions} />
          </Suspense>
        </div>
      ) : null}
      <p>
        <Trans
          i18nKey="report.downloads"
          values={{ json: 'JSON', csv: 'CSV' }}
          components={[
            <a key="json" href={reportPath(granularity, 'json')} data-testid="report-download-json" />,
            <a key="csv" href={reportPath(granularity, 'csv')} data-testid="report-download-csv" download />,
          ]}
        />
      </p>
      <p>
        <Trans
          i18nKey="report.verify"
          components={[
            <a key="log" href="/log/checkpoint" data-testid="report-log-link" />,
            <a key="notices" href="#public-notices" data-testid="report-notices-link" />,
          ]}
        />
      </p>
    </section>
  );
}
