/**
 * Compares Custos' own legal-form table with the MIT-licensed rigour org-type data in ../shared (read at test time,
 * never copied): how many of rigour's `display` forms Custos recognises, and whether it agrees on their family.
 */
import fs from 'node:fs';
import { expect, it } from 'vitest';
import YAML from 'yaml';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import { prepareName } from './name-normaliser.ts';

const FILE = ['data', 'name-matching', 'rigour_org_types.yml'];

describeWithShared('legal forms compared with rigour_org_types.yml', [FILE], () => {
  it('recognises the common legal forms and puts JSC and LLC kinds in the right families', () => {
    const doc = YAML.parse(fs.readFileSync(sharedPath(...FILE), 'utf8')) as {
      types: { display?: string; generic?: string }[];
    };
    const typed = doc.types.filter((t) => t.display && (t.generic === 'JSC' || t.generic === 'LLC'));
    let recognised = 0;
    let sameFamily = 0;
    for (const t of typed) {
      const forms = prepareName(`Example ${t.display}`, 'Company').legalForms;
      if (forms.length === 0) continue;
      recognised++;
      const family = forms[0]!.family;
      if ((t.generic === 'JSC' && family === 'joint-stock') || (t.generic === 'LLC' && family === 'limited'))
        sameFamily++;
    }
    console.info(
      `[legal forms] rigour JSC/LLC display forms: ${typed.length}; recognised by Custos: ${recognised}; same family: ${sameFamily}`,
    );
    expect(typed.length).toBeGreaterThan(20);
    // a floor below the measured coverage, so that a regression in the table fails the test
    expect(recognised / typed.length).toBeGreaterThan(0.4); // measured 64 of 139 (0.46) on 2026-11-29
    expect(sameFamily / recognised).toBeGreaterThan(0.8);
  });
});
