/**
 * Compares Custos' own legal-form table with the MIT-licensed rigour org-type data in ../shared (read at run time,
 * never copied): how many of rigour's JSC/LLC `display` forms Custos recognises, and whether it agrees on the family.
 * Run: npx tsx bench/quality/screening/legal-form-coverage.ts  -> bench/results/screening-legal-forms.json
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { prepareName } from '../../../src/engines/screening/index.ts';
import { sharedPath } from '../../../test/support/shared.ts';

const doc = YAML.parse(
  fs.readFileSync(sharedPath('data', 'name-matching', 'rigour_org_types.yml'), 'utf8'),
) as {
  types: { display?: string; generic?: string }[];
};
const typed = doc.types.filter((t) => t.display && (t.generic === 'JSC' || t.generic === 'LLC'));
let recognised = 0;
let sameFamily = 0;
const missed: string[] = [];
for (const t of typed) {
  const forms = prepareName(`Example ${t.display}`, 'Company').legalForms;
  if (forms.length === 0) {
    missed.push(`${t.display} (${t.generic})`);
    continue;
  }
  recognised++;
  const family = forms[0]!.family;
  if ((t.generic === 'JSC' && family === 'joint-stock') || (t.generic === 'LLC' && family === 'limited'))
    sameFamily++;
}
const result = {
  benchmark: 'screening-legal-forms',
  date: new Date().toISOString(),
  machine: { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
  rigourJscLlcDisplayForms: typed.length,
  recognisedByCustos: recognised,
  sameFamily,
  missed,
};
fs.writeFileSync(
  path.resolve(import.meta.dirname, '..', '..', 'results', 'screening-legal-forms.json'),
  JSON.stringify(result, null, 2) + '\n',
);
console.log(JSON.stringify({ ...result, missed: missed.length }));
