import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithShared, sharedPath } from '../../../test/support/shared.ts';
import type { ControlListImport } from './control-list.importer.ts';
import { crossCheckAnnexIFile, importControlListFile } from './control-list.importer.ts';
import { parseAnnexI } from './annex-i-parser.ts';
import { crossCheckAnnexI } from './annex-i-cross-check.ts';

const OFFICIAL = ['data', 'control-list', 'reg_2021_821_consolidated.md'];
const THIRD_PARTY = ['data', 'control-list', 'annex_i_en_2025-11.json'];

describeWithShared('Annex I parsed from the official consolidated text', [OFFICIAL], () => {
  let list: ControlListImport;
  const entry = (code: string) => {
    const e = list.entries.find((x) => x.code === code);
    if (!e) throw new Error(`no entry ${code}`);
    return e;
  };
  beforeAll(() => {
    list = importControlListFile(sharedPath(...OFFICIAL));
  });

  it('records the list version from the front matter and provenance of the file', () => {
    expect(list.listVersion).toMatch(/^reg-2021-821@\d{4}-\d{2}-\d{2}$/);
    expect(list.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(list.entries.every((e) => e.listVersion === list.listVersion)).toBe(true);
  });

  it('has 382 top-level entries, with unique codes forming a tree', () => {
    expect(list.entries.filter((e) => e.parent === null)).toHaveLength(382);
    const codes = new Set(list.entries.map((e) => e.code));
    expect(codes.size).toBe(list.entries.length);
    for (const e of list.entries) {
      if (e.parent !== null) {
        expect(codes.has(e.parent)).toBe(true);
        expect(e.code.startsWith(`${e.parent}.`)).toBe(true);
      }
      expect(e.category).toBe(e.code[0]);
    }
  });

  it('reads 5A001.f with f.1 to f.4, the IMSI text of f.2 and the Note excluding PMR/WLAN, operator and development equipment', () => {
    expect(entry('5A001.f.2').parent).toBe('5A001.f');
    expect(entry('5A001.f.2').text).toContain('IMSI, TIMSI or IMEI');
    expect(entry('5A001.f.1').text).toMatch(/extraction of voice or data/);
    expect(entry('5A001.f.3.a').text).toMatch(/Radio Access Network/);
    expect(entry('5A001.f.4').text).toMatch(/RF monitoring equipment/);
    const note = entry('5A001.f').notes[0]!;
    expect(note).toMatch(/^5A001\.f\.1\. and 5A001\.f\.2\. do not control/);
    expect(note).toMatch(/Private Mobile Radio/);
    expect(note).toMatch(/mobile telecommunications network operators/);
  });

  it('reads 5A001.j with its conjunctive criteria and its Note on marketing, QoS and QoE', () => {
    expect(entry('5A001.j').text).toMatch(/having all of the following/);
    expect(entry('5A001.j.1.c').text).toMatch(/Indexing of extracted data/);
    expect(entry('5A001.j.2.a').text).toMatch(/"hard selectors"/);
    expect(entry('5A001.j.2.a').definitionsUsed).toContain('Hard selectors');
    expect(entry('5A001.j').notes).toHaveLength(1);
    expect(entry('5A001.j').notes[0]).toMatch(/Marketing purpose.*Quality of Service.*Quality of Experience/);
  });

  it('reads 5D001.e, 4A005, 4D004 with its update Note, 4E001.c with its notes, and 5A004.b with both Notes', () => {
    expect(entry('5D001.e').technicalNotes.join(' ')).toMatch(/handover interface/);
    expect(entry('5D001.e').notes[0]).toMatch(/Mediation devices/);
    expect(entry('4A005').definitionsUsed).toContain('Intrusion software');
    expect(entry('4D004').notes[0]).toMatch(/updates or upgrades/);
    expect(entry('4E001.c').notes).toHaveLength(2);
    expect(entry('4E001.c').notes[0]).toMatch(/"vulnerability disclosure" or "cyber incident response"/);
    expect(entry('5A004.b').notes.join(' ')).toMatch(/logical data extraction.*chip-off or JTAG/);
    expect(entry('5A004.b.2').technicalNotes[0]).toMatch(/extract raw data/);
    expect(entry('5E002.a').notes[0]).toMatch(/5A004\.b/);
  });

  it('reads the Definitions of terms with their categories and notes', () => {
    const def = (t: string) => list.definitions.find((d) => d.term === t);
    expect(list.definitions.length).toBeGreaterThan(150);
    expect(def('Intrusion software')?.categories).toEqual(['4', '5']);
    expect(def('Intrusion software')?.notes[0]).toMatch(/Hypervisors, debuggers/);
    expect(def('Hard selectors')?.text).toMatch(/family name/);
    expect(def('Vulnerability disclosure')?.text).toMatch(/remediation/);
    expect(def('Cyber incident response')).toBeDefined();
  });
});

describeWithShared('Cross-check against the third-party JSON parse', [OFFICIAL, THIRD_PARTY], () => {
  it('folds the split-off notes back and reports the lost 5A001.e/f text, and no disagreement on 5A001.j or 4A005', () => {
    const list = parseAnnexI(fs.readFileSync(sharedPath(...OFFICIAL), 'utf8'), 'test');
    const report = crossCheckAnnexI(
      list.entries,
      JSON.parse(fs.readFileSync(sharedPath(...THIRD_PARTY), 'utf8')),
    );
    expect(report.foldedNoteRecords).toBe(170);
    const codes = new Set(report.findings.map((f) => f.code));
    for (const c of ['5A001.e', '5A001.f', '5A001.f.1', '5A001.f.2', '5A001.f.3', '5A001.f.4'])
      expect(codes.has(c)).toBe(true);
    for (const c of ['5A001.j', '5A001.j.1.a', '5A001.j.2.b', '4A005', '4D004', '5D001.e', '5A004.b.1'])
      expect(codes.has(c)).toBe(false);
    // 5A004.b sits in a note record of 5A004.a ("text one record late") and must still be found.
    expect(codes.has('5A004.b')).toBe(false);
    expect(crossCheckAnnexIFile(list.entries, sharedPath(...THIRD_PARTY)).findings).toEqual(report.findings);
  });
});

describe('parseAnnexI on a synthetic text', () => {
  const md = [
    '## ANNEX I',
    '#### DEFINITIONS OF TERMS USED IN THIS ANNEX',
    '"Widget" (5) means a small thing.',
    '### PART II',
    '#### **CATEGORY 5 - TEST**',
    '5A999Things as follows:',
    '',
    'a. First "widget";',
    '   1. Sub one;',
    '   *Note:*',
    '',
    '    *5A999.a.1. does not control toys.*',
    'b. Second.',
    '## ANNEX II',
  ].join('\n');
  it('builds the tree, attaches notes to the right node and links definitions', () => {
    const l = parseAnnexI(md, 'v1');
    expect(l.entries.map((e) => e.code)).toEqual(['5A999', '5A999.a', '5A999.a.1', '5A999.b']);
    expect(l.entries[1]!.notes).toEqual(['5A999.a.1. does not control toys.']);
    expect(l.entries[1]!.definitionsUsed).toEqual(['Widget']);
  });
  it('refuses a text without Annex I', () => {
    expect(() => parseAnnexI('# nothing', 'v')).toThrow(/ANNEX I/);
  });
});
