/** Loads the classification policy (rules.yaml, profiles/*.yaml, search vocabulary) from a directory and validates it. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { invalid } from '../../domain/errors.ts';
import { compileClassificationPolicy } from '../../engines/classification/rule-set.ts';
import type { ClassificationPolicy, PolicyDocument } from '../../engines/classification/rule-set.ts';
import { parseSearchVocabulary } from '../../engines/classification/control-list-search.ts';
import type { SearchVocabulary } from '../../engines/classification/control-list-search.ts';

/** The policy/classification folder of this repository. */
export const DEFAULT_CLASSIFICATION_POLICY_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'policy',
  'classification',
);

function readYaml(file: string): PolicyDocument {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return { file: path.basename(file), content: parseYaml(text) as unknown };
  } catch (e) {
    throw invalid(`${path.basename(file)}: not valid YAML: ${(e as Error).message}`, [
      { path: path.basename(file), message: 'YAML syntax' },
    ]);
  }
}

function profileFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

/**
 * Loads rules.yaml and every profile in `<dir>/profiles` plus each extra profile directory (an authority's own
 * profiles). A bad file fails with DomainError INVALID naming the file and the rule.
 */
export function loadClassificationPolicy(
  dir = DEFAULT_CLASSIFICATION_POLICY_DIR,
  extraProfileDirs: string[] = [],
): ClassificationPolicy {
  const rulesFile = path.join(dir, 'rules.yaml');
  if (!fs.existsSync(rulesFile))
    throw invalid(`No rules.yaml in ${dir}`, [{ path: 'rules.yaml', message: 'missing' }]);
  const profiles = [path.join(dir, 'profiles'), ...extraProfileDirs].flatMap(profileFiles).map(readYaml);
  return compileClassificationPolicy(readYaml(rulesFile), profiles);
}

/** Loads the free-text search vocabulary (synonyms such as "IMSI catcher" -> 5A001.f.2). */
export function loadSearchVocabulary(dir = DEFAULT_CLASSIFICATION_POLICY_DIR): SearchVocabulary {
  const doc = readYaml(path.join(dir, 'search-vocabulary.yaml'));
  return parseSearchVocabulary(doc.content, doc.file);
}
