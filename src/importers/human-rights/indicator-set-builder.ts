/** Accumulates indicators per country with skip reasons, and finishes them into an IndicatorSet with provenance. */
import type { CountryIndicator, IndicatorSet } from '../../domain/assessment.ts';
import type { SourceFile } from './source-file.ts';

export class IndicatorSetBuilder {
  private readonly byCountry: Record<string, CountryIndicator[]> = {};
  private readonly skipped: Record<string, number> = {};
  rowsRead = 0;
  rowsUsed = 0;

  constructor(
    private readonly dataset: string,
    private readonly sourceLabel: string,
    private readonly file: SourceFile,
    private readonly publisherDate: string,
  ) {}

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  set(code: string, indicator: Omit<CountryIndicator, 'dataset' | 'source'>): void {
    const list = (this.byCountry[code] ??= []);
    const full: CountryIndicator = { ...indicator, dataset: this.dataset, source: this.sourceLabel };
    const i = list.findIndex((x) => x.key === indicator.key);
    if (i >= 0) list[i] = full;
    else list.push(full);
  }

  get(code: string, key: CountryIndicator['key']): CountryIndicator | undefined {
    return this.byCountry[code]?.find((x) => x.key === key);
  }

  build(): IndicatorSet {
    const byCountry: Record<string, CountryIndicator[]> = {};
    for (const code of Object.keys(this.byCountry).sort()) {
      byCountry[code] = [...(this.byCountry[code] ?? [])].sort((a, b) => a.key.localeCompare(b.key));
    }
    const rowsSkipped = Object.values(this.skipped).reduce((a, b) => a + b, 0);
    return {
      provenance: {
        dataset: this.dataset,
        source: this.sourceLabel,
        file: this.file.file,
        sha256: this.file.sha256,
        publisherDate: this.publisherDate,
        rowsRead: this.rowsRead,
        rowsUsed: this.rowsUsed,
        rowsSkipped,
        skippedReasons: Object.fromEntries(
          Object.entries(this.skipped).sort(([a], [b]) => a.localeCompare(b)),
        ),
        countries: Object.keys(byCountry).length,
      },
      byCountry,
    };
  }
}
