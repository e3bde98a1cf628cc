/** Public surface of the workflow engines (issue 6): lifecycles, calendars, licences, denials, catch-all, due diligence. */
export * from './policy-parser.ts';
export * from './lifecycle.ts';
export * from './working-days.ts';
export * from './licence-types.ts';
export * from './denials.ts';
export * from './denial-exchange.ts';
export * from './catch-all.ts';
export * from './due-diligence.ts';
export * from './retention.ts';
export * from './decision-document.ts';
export * from './licence-usage.ts';
