/**
 * Korean names as they are customarily written in Latin letters. The transliterator writes Hangul in the Revised
 * Romanization ("김정은" -> "gim jeong eun"), but names on lists, passports and in the press mostly keep older or
 * customary spellings: surnames by convention (Kim, Lee, Park, Choi), given names with the vowels of
 * McCune-Reischauer without its breves ("Jong Un", "Ji Sung", "Myung Bak"). This gives those readings, syllable by
 * syllable (also with the Revised vowels, and with a given name's first consonant unvoiced: "Ki-moon"), for the
 * scorer to try beside the transliteration; the scorer's spelling tolerance covers the rest ("song" and
 * "sung", "yong" and "young").
 *
 * Written for Custos from the published romanization systems (Revised Romanization of Korean, Ministry of Culture
 * 2000; McCune-Reischauer, 1939) and the customary spellings of common surnames; no table was copied.
 */

const HANGUL_SYLLABLE = /[\uac00-\ud7a3]/;
const HANGUL_WORD = /[\uac00-\ud7a3]+/g;

/** Initial consonants in Unicode order (ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ). */
const INITIALS = 'g kk n d tt r m b pp s ss - j jj ch k t p h'.split(' ').map((c) => (c === '-' ? '' : c));
/** Vowels in Unicode order in the Revised Romanization. */
const VOWELS_RR = 'a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i'.split(' ');
/** The same in McCune-Reischauer without breves: ㅓ (eo) is o, ㅡ (eu) is u. */
const VOWELS_MR = VOWELS_RR.map((v) => v.replace('eo', 'o').replace('eu', 'u'));
/** ㄱ ㄷ ㅂ ㅈ at the start of a given name, unvoiced as McCune-Reischauer writes them ("Ki-moon", "Chong-il"). */
const UNVOICED: Readonly<Record<string, string>> = { g: 'k', d: 't', b: 'p', j: 'ch' };

/** Final consonants in Unicode order (none, ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ). */
const FINALS = '- k k k n n n t l k m l l l p l m p p t t ng t t k t p t'
  .split(' ')
  .map((c) => (c === '-' ? '' : c));

/** Customary spellings of common surnames (the first syllable of a person's name). */
const SURNAMES: Readonly<Record<string, string>> = {
  김: 'kim',
  이: 'lee',
  박: 'park',
  최: 'choi',
  정: 'jung',
  강: 'kang',
  조: 'cho',
  윤: 'yoon',
  장: 'jang',
  임: 'lim',
  한: 'han',
  오: 'oh',
  서: 'seo',
  신: 'shin',
  권: 'kwon',
  황: 'hwang',
  안: 'ahn',
  송: 'song',
  전: 'jeon',
  홍: 'hong',
  유: 'yoo',
  고: 'ko',
  문: 'moon',
  양: 'yang',
  손: 'son',
  배: 'bae',
  백: 'baek',
  허: 'heo',
  노: 'roh',
  남: 'nam',
  심: 'shim',
  하: 'ha',
  곽: 'kwak',
  성: 'sung',
  차: 'cha',
  주: 'joo',
  우: 'woo',
  구: 'koo',
  민: 'min',
  류: 'ryu',
  나: 'na',
  진: 'jin',
  지: 'ji',
  엄: 'um',
  채: 'chae',
  원: 'won',
  천: 'chun',
  방: 'bang',
  공: 'kong',
  현: 'hyun',
  함: 'ham',
  변: 'byun',
  염: 'yeom',
  여: 'yeo',
  추: 'choo',
  도: 'do',
  석: 'seok',
  선: 'sun',
  설: 'seol',
  마: 'ma',
  길: 'gil',
  연: 'yeon',
  표: 'pyo',
  명: 'myung',
  기: 'ki',
  반: 'ban',
  왕: 'wang',
  금: 'keum',
  옥: 'ok',
  육: 'yook',
  맹: 'maeng',
  탁: 'tak',
  국: 'kook',
  봉: 'bong',
  경: 'kyung',
  태: 'tae',
  두: 'doo',
  감: 'kam',
  동: 'dong',
  황보: 'hwangbo',
  남궁: 'namgung',
  제갈: 'jegal',
  선우: 'sunwoo',
  독고: 'dokgo',
};

interface Reading {
  vowels: readonly string[];
  /** The given name's first consonant unvoiced. */
  unvoiced: boolean;
}

/** The readings tried beside the transliteration: customary vowels; Revised vowels; customary, unvoiced. */
const READINGS: readonly Reading[] = [
  { vowels: VOWELS_MR, unvoiced: false },
  { vowels: VOWELS_RR, unvoiced: false },
  { vowels: VOWELS_MR, unvoiced: true },
];

/** One syllable (ㅅ before i is shi). */
function syllable(code: number, reading: Reading, givenStart: boolean): string {
  const index = code - 0xac00;
  const vowel = reading.vowels[Math.floor((index % 588) / 28)]!;
  let onset = INITIALS[Math.floor(index / 588)]!;
  if (onset === 's' && vowel.startsWith('i')) onset = 'sh';
  if (givenStart && reading.unvoiced) onset = UNVOICED[onset] ?? onset;
  return onset + vowel + FINALS[index % 28]!;
}

/** The syllables of one Hangul word; a person's name's first word begins with its surname (one or two syllables). */
function readWord(word: string, surnameFirst: boolean, reading: Reading): string[] {
  const chars = [...word];
  const out: string[] = [];
  let i = 0;
  if (surnameFirst) {
    const double = chars.length >= 3 ? SURNAMES[chars[0]! + chars[1]!] : undefined;
    const single = SURNAMES[chars[0]!];
    if (double !== undefined) {
      out.push(double);
      i = 2;
    } else if (single !== undefined) {
      out.push(single);
      i = 1;
    }
  }
  const givenStart = i;
  for (; i < chars.length; i += 1)
    out.push(syllable(chars[i]!.codePointAt(0)!, reading, surnameFirst && i === givenStart));
  return out;
}

/**
 * The customary Latin readings of a name written (partly) in Hangul, distinct, none when it has no Hangul. Other
 * words are kept as they are; each Hangul syllable becomes a word, a person's surname its customary spelling.
 * @example customaryKoreanReadings('김정은', true) // ['kim jong un', 'kim jeong eun', 'kim chong un']
 * @example customaryKoreanReadings('삼성전자', false)[0] // 'sam song jon ja'
 */
export function customaryKoreanReadings(name: string, person: boolean): string[] {
  if (!HANGUL_SYLLABLE.test(name)) return [];
  const readings = READINGS.map((reading) => {
    let firstWord = true;
    return name
      .replace(HANGUL_WORD, (word) => {
        const read = readWord(word, person && firstWord, reading).join(' ');
        firstWord = false;
        return ` ${read} `;
      })
      .replace(/\s+/g, ' ')
      .trim();
  });
  return [...new Set(readings)];
}
