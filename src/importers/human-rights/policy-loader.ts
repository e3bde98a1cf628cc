/** Loads and validates the assessment policy files (YAML) from policy/: model, restrictive measures, country names. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { invalid } from '../../domain/errors.ts';
import {
  parseAssessmentModel,
  parseCountryNameTable,
  parseRestrictiveMeasures,
  type AssessmentModel,
  type CountryNameTable,
  type RestrictiveMeasuresFile,
} from '../../engines/assessment/assessment-model.ts';

/** The repository's policy folder. */
export const POLICY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'policy',
);

export const DEFAULT_MODEL_FILE = path.join(POLICY_DIR, 'assessment', 'model.yaml');
export const DEFAULT_MEASURES_FILE = path.join(POLICY_DIR, 'countries', 'restrictive-measures.yaml');
export const DEFAULT_COUNTRY_NAMES_FILE = path.join(POLICY_DIR, 'countries', 'country-names.yaml');

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw invalid(`Cannot read policy file ${file}: ${(e as Error).message}`, [
      { path: file, message: 'unreadable' },
    ]);
  }
  try {
    return parseYaml(text);
  } catch (e) {
    throw invalid(`Policy file ${file} is not valid YAML: ${(e as Error).message}`, [
      { path: file, message: 'invalid YAML' },
    ]);
  }
}

const label = (file: string): string => {
  const rel = path.relative(path.dirname(POLICY_DIR), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
};

/** The assessment model; a bad file fails naming the file and the path of the rule. */
export function loadAssessmentModel(file: string = DEFAULT_MODEL_FILE): AssessmentModel {
  return parseAssessmentModel(readYaml(file), label(file));
}

/** The restrictive measures written from the law. */
export function loadRestrictiveMeasures(file: string = DEFAULT_MEASURES_FILE): RestrictiveMeasuresFile {
  return parseRestrictiveMeasures(readYaml(file), label(file));
}

/** The country-name mapping table used by the importers. */
export function loadCountryNameTable(file: string = DEFAULT_COUNTRY_NAMES_FILE): CountryNameTable {
  return parseCountryNameTable(readYaml(file), label(file));
}
