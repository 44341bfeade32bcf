/**
 * The public transparency report (no sign-in), computed from the case tables: JSON and CSV with one
 * schema (docs/api.md "Transparency report"). The query is checked by parseReportQuery, so a bad one
 * gets `report_query_invalid` rather than a generic schema error.
 */
import type { FastifyInstance } from 'fastify';
import type { CaseService } from '../../app/cases/CaseService.js';
import { parseReportQuery, reportToCsv } from '../../app/transparency/report.js';

export function transparencyRoutes(app: FastifyInstance, deps: { cases: CaseService }): void {
  const report = (query: unknown) =>
    deps.cases.public.report(parseReportQuery((query ?? {}) as Record<string, unknown>));

  app.get('/api/transparency/report', async (req, reply) => {
    const r = await report(req.query);
    return reply.header('cache-control', 'no-cache').send(r);
  });
  app.get('/api/transparency/report.csv', async (req, reply) => {
    const r = await report(req.query);
    return reply
      .header('cache-control', 'no-cache')
      .header('content-disposition', 'attachment; filename="convene-transparency-report.csv"')
      .type('text/csv; charset=utf-8')
      .send(reportToCsv(r));
  });
}
