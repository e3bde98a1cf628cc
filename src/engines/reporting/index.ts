/** Public API of the reporting engine: what services, the CLI and the HTTP routes call. */
export {
  parsePeriod,
  previousPeriods,
  stepPeriod,
  isInPeriod,
  type ReportPeriod,
  type PeriodGranularity,
} from './period.ts';
export {
  parseRedactionPolicy,
  CONFIDENTIAL_FIELDS,
  PUBLISHABLE_FIELDS,
  type RedactionPolicy,
} from './redaction-policy.ts';
export { parseDescriptionVocabulary, type DescriptionVocabulary } from './description-vocabulary.ts';
export { parseRegisterSourceRecords } from './register-source.ts';
export {
  buildPublicRegister,
  checkEligibility,
  computeCutoffs,
  type EligibilityCutoffs,
  toPublicRow,
  type PublicRegister,
  type RegisterNotice,
} from './public-register.ts';
export {
  assembleTransparencyReport,
  buildTransparencyReport,
  mergePartials,
  reportPartialOf,
  trendGroupsOf,
  mergeTrendGroups,
  withRegister,
  type TrendGroup,
  type ReportAuthority,
  type ReportOptions,
  type ReportBuild,
  type ReportFacts,
  type PartialTrendGroup,
  type ReportPartial,
} from './transparency-report.ts';
export {
  REPORT_SCHEMA_VERSION,
  TABLE_IDS,
  buildReportJsonSchema,
  transparencyReportSchema,
  type TransparencyReport,
  type ReportShell,
  type PublicRegisterRow,
  type AggregateTable,
  type TrendPoint,
} from './report-model.ts';
export { buildPublishedTables, type PublishedTable } from './published-tables.ts';
export { renderCsv, renderReportJson } from './render-csv.ts';
export {
  buildDataPackage,
  type DataPackageDescriptor,
  type FileFacts,
  type PublicationContext,
} from './data-package.ts';
export { renderXlsx } from './render-xlsx.ts';
export { renderHtml } from './render-html.ts';
export { renderPdf } from './render-pdf.ts';
export { renderAtomFeed, type FeedOptions } from './render-atom.ts';
export {
  registerBlockOf,
  registerSourceOf,
  registerSourceOfBlocks,
  renderRegisterBlock,
  splitIntoBlocks,
  type RegisterBlock,
  type RegisterSource,
} from './register-blocks.ts';
export type { OutputWriter, SizedChunk, TextChunk } from './byte-builder.ts';
export {
  renderReportFiles,
  renderReportFilesFrom,
  renderReportFilesTo,
  REPORT_FORMATS,
  type ReportFileTarget,
  type ReportFormat,
  type RenderOptions,
} from './render-report.ts';
export { renderWorldMapSvg, renderBarChartSvg, renderTrendChartSvg } from './svg-charts.ts';
export { buildReportUrls, buildFeedUrl } from './stable-urls.ts';
export {
  planPublication,
  digestReportContent,
  type PublicationRevision,
  type PublicationPlan,
} from './report-revision.ts';
export { mergeDataPackages, type PublishedDataPackage, type EuAggregate } from './merge-data-packages.ts';
