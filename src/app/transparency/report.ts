/**
 * The transparency report's public interface (one import for the server, `convene audit verify` and
 * tests): the schema and query (reportSchema.ts), the two computations (from the public log entries,
 * and from the case tables) and the CSV. docs/transparency.md "Transparency report" and docs/api.md.
 */
export {
  REPORT_SCHEMA,
  REPORT_VERSION,
  parseReportQuery,
  type Granularity,
  type JurisdictionReport,
  type PeriodReport,
  type ReportCounts,
  type ReportQuery,
  type TransparencyReport,
} from './reportSchema.js';
export { reportFromEntries } from './reportFromEntries.js';
export { reportFromTables } from './reportFromTables.js';
export { CSV_HEADER, reportToCsv } from './reportCsv.js';
