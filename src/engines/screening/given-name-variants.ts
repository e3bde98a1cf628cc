/**
 * Hypocorisms (nicknames, diminutives) of common given names, for person names only: "Bill" may be William.
 *
 * Source: written for Custos from the everyday English, German, Russian, Spanish and Italian short forms of given
 * names as given in general dictionaries of first names (e.g. the "Diminutives" sections of Wiktionary entries);
 * no third-party list was copied. Each group is one given name with its short forms; a short form that belongs to
 * several names ("Alex", "Sasha", "Chris") is in each of their groups, so it matches any of them. Kept small on
 * purpose: names a reviewer can check, not a scraped list (which would add false alerts). Cross-language
 * equivalents ("Friedrich" / "Frederick") are NOT here: they are different names on identity documents.
 */

const GROUPS: readonly (readonly string[])[] = [
  ['william', 'bill', 'billy', 'will', 'willy', 'liam'],
  ['robert', 'bob', 'bobby', 'rob', 'robbie', 'bert'],
  ['richard', 'rick', 'ricky', 'dick', 'rich'],
  ['edward', 'ed', 'eddie', 'ted', 'teddy', 'ned'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'jack', 'johnny'],
  ['joseph', 'joe', 'joey'],
  ['michael', 'mike', 'mick', 'mickey'],
  ['thomas', 'tom', 'tommy'],
  ['charles', 'charlie', 'chuck'],
  ['christopher', 'chris', 'kit'],
  ['christian', 'chris'],
  ['daniel', 'dan', 'danny'],
  ['david', 'dave', 'davy'],
  ['anthony', 'tony'],
  ['antonio', 'toni', 'tonio'],
  ['benjamin', 'ben', 'benny'],
  ['alexander', 'alex', 'sasha', 'sacha', 'sandro'],
  ['aleksandr', 'alex', 'sasha', 'sanya', 'shura'],
  ['alexandra', 'alex', 'sasha', 'sandra'],
  ['andrew', 'andy', 'drew'],
  ['nicholas', 'nick', 'nicky'],
  ['nikolai', 'kolya'],
  ['matthew', 'matt'],
  ['stephen', 'steve'],
  ['steven', 'steve'],
  ['timothy', 'tim'],
  ['samuel', 'sam', 'sammy'],
  ['patrick', 'pat', 'paddy'],
  ['peter', 'pete'],
  ['gregory', 'greg'],
  ['jonathan', 'jon', 'jonny'],
  ['lawrence', 'larry'],
  ['leonard', 'leo', 'len', 'lenny'],
  ['raymond', 'ray'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donnie'],
  ['gerald', 'gerry', 'jerry'],
  ['kenneth', 'ken', 'kenny'],
  ['frederick', 'fred', 'freddie'],
  ['friedrich', 'fritz'],
  ['margaret', 'maggie', 'meg', 'peggy'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'eliza'],
  ['catherine', 'kate', 'cathy', 'katie'],
  ['katherine', 'kate', 'kathy', 'katie'],
  ['jennifer', 'jen', 'jenny'],
  ['patricia', 'pat', 'patty', 'trish'],
  ['susan', 'sue', 'susie'],
  ['deborah', 'deb', 'debbie'],
  ['rebecca', 'becky'],
  ['victoria', 'vicky'],
  ['johann', 'hans'],
  ['johannes', 'hans'],
  ['wolfgang', 'wolf'],
  ['francisco', 'paco', 'pancho', 'curro'],
  ['jose', 'pepe'],
  ['ignacio', 'nacho'],
  ['enrique', 'quique'],
  ['giuseppe', 'beppe', 'peppe', 'pino'],
  ['giovanni', 'gianni', 'nanni'],
  ['francesco', 'franco', 'cecco'],
  ['vladimir', 'volodya', 'vova'],
  ['dmitry', 'dima', 'mitya'],
  ['dmitri', 'dima', 'mitya'],
  ['sergey', 'seryozha'],
  ['sergei', 'seryozha'],
  ['mikhail', 'misha'],
  ['yevgeny', 'zhenya'],
  ['evgeny', 'zhenya'],
  ['ivan', 'vanya'],
  ['pavel', 'pasha'],
  ['yekaterina', 'katya'],
  ['ekaterina', 'katya'],
  ['tatiana', 'tanya'],
  ['tatyana', 'tanya'],
  ['natalia', 'natasha'],
  ['natalya', 'natasha'],
  ['maria', 'masha'],
  ['anastasia', 'nastya'],
];

const VARIANTS: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const m = new Map<string, Set<string>>();
  for (const g of GROUPS)
    for (const a of g) {
      const s = m.get(a) ?? new Set<string>();
      for (const b of g) if (b !== a) s.add(b);
      m.set(a, s);
    }
  return m;
})();

/**
 * True when one given name is a hypocorism of the other (or both of the same name), in lower-case ASCII.
 * @example areGivenNameVariants('bill', 'william') // true
 */
export function areGivenNameVariants(a: string, b: string): boolean {
  return a !== b && (VARIANTS.get(a)?.has(b) ?? false);
}
