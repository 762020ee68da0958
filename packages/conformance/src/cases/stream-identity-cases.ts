import { assertEqual } from '../assertions.js';
import { defineCases } from '../conformance-case.js';
import { appendOk, contents } from '../store-calls.js';

/** Ways of changing a name that some backend ignores when it compares names, each with the backend that does. */
const variations: [label: string, change: (name: string) => string][] = [
  ['upper case (case-insensitive collations: MySQL, SQL Server, SQLite NOCASE, macOS and Windows file names)', (n) => n.toUpperCase()],
  ['title case', (n) => n.charAt(0).toUpperCase() + n.slice(1)],
  ['a trailing space (PAD SPACE comparison of CHAR and of MySQL VARCHAR)', (n) => `${n} `],
  ['a trailing tab', (n) => `${n}\t`],
  ['a leading space (trimming)', (n) => ` ${n}`],
  ['NFD instead of NFC (normalising file systems, ICU collations)', (n) => n.normalize('NFD')],
  ['NFKC compatibility forms (ligatures, the Kelvin sign)', (n) => n.normalize('NFKC')],
  ['full-width letters (width-insensitive collations)', (n) => n.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
  ['ß spelled ss (German collations)', (n) => n.replaceAll('ß', 'ss')],
  ['dotted İ for i (Turkish case folding)', (n) => n.replaceAll('i', 'İ')],
  ['dotless ı for i (Turkish case folding)', (n) => n.replaceAll('i', 'ı')],
  ['a zero-width space (ignorable characters in ICU collations)', (n) => `${n.slice(0, 2)}\u200b${n.slice(2)}`],
  ['a zero-width joiner', (n) => `${n.slice(0, 3)}\u200d${n.slice(3)}`],
  ['a byte order mark', (n) => `\ufeff${n}`],
  ['accents dropped (accent-insensitive collations)', (n) => n.normalize('NFD').replace(/\p{M}/gu, '')],
  ['_ for another character (LIKE wildcards)', (n) => `${n.slice(0, 1)}_${n.slice(2)}`],
];

/** Names with letters every variation changes: accents, ß, i, a ligature, the Kelvin sign. */
const bases = ['order-1', 'Straße-Café-ﬁle', 'kelvin-\u212a-ingrid', 'ÅNGSTRÖM-é'];

/** Pairs of names that differ code unit for code unit, generated from the bases. */
function namePairs(): [string, string, string][] {
  const pairs: [string, string, string][] = [];
  const seen = new Set<string>();
  for (const base of bases) {
    for (const [label, change] of variations) {
      const other = change(base);
      const key = `${base}\u0000${other}`;
      if (other === base || seen.has(key)) continue;
      seen.add(key);
      pairs.push([label, base, other]);
    }
  }
  return pairs;
}

/** C1.6: stream identity is exact. */
export const streamIdentityCases = defineCases([
  {
    id: 'C1.6-names-that-differ-in-any-code-unit-are-different-streams',
    level: 'MUST',
    title:
      'pairs of names that backends are known to merge (case, trailing and leading spaces, NFC and NFD, full width, ß and ss, dotted and dotless i, zero-width characters, accents, LIKE wildcards) are independent streams',
    hint: 'check the collation of the stream column (binary, not case- or accent-insensitive, no PAD SPACE), that names are not trimmed or normalised, and that lookups use = rather than LIKE; otherwise encode names so that comparison is exact',
    async run({ store, stream }) {
      for (const [index, [label, base, other]] of namePairs().entries()) {
        const prefix = stream(`pair${index}`);
        const a = `${prefix}-${base}`;
        const b = `${prefix}-${other}`;
        assertEqual(await appendOk(store, a, 'a', 0), 1, `seq of the first event of ${JSON.stringify(a)}`);
        // expect 0: if the store merged the names, the second stream is not empty and this conflicts.
        assertEqual(await appendOk(store, b, 'b', 0), 1, `seq of the first event of ${JSON.stringify(b)}, which differs by ${label}`);
        assertEqual(await contents(store, a), [[1, 'a']], `events of ${JSON.stringify(a)} (its pair differs by ${label})`);
        assertEqual(await contents(store, b), [[1, 'b']], `events of ${JSON.stringify(b)} (it differs by ${label})`);
      }
    },
  },
]);
