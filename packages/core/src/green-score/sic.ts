/**
 * UK SIC 2007 (the UK's version of NACE Rev. 2): sections, divisions, and parsing of the codes
 * Companies House records (5-digit subclasses such as `25210`).
 *
 * The section of a code follows from its first two digits through the official division ranges
 * (ONS, UK SIC 2007 structure; identical to NACE Rev. 2 at section and division level), so no
 * lookup table beyond the list of subclasses is needed. Subclass codes are checked against the
 * Companies House condensed list (`sic-codes.generated.ts`).
 */
import { ErrorCode, invariant } from '../errors.js';
import { SIC_2007_SUBCLASSES } from './sic-codes.generated.js';

/** SIC 2007 section letters. */
export type SicSection =
  | 'A'
  | 'B'
  | 'C'
  | 'D'
  | 'E'
  | 'F'
  | 'G'
  | 'H'
  | 'I'
  | 'J'
  | 'K'
  | 'L'
  | 'M'
  | 'N'
  | 'O'
  | 'P'
  | 'Q'
  | 'R'
  | 'S'
  | 'T'
  | 'U';

/** A section with its title and the inclusive range of its two-digit divisions. */
export interface SicSectionInfo {
  readonly section: SicSection;
  readonly title: string;
  readonly firstDivision: number;
  readonly lastDivision: number;
}

/** The 21 sections of UK SIC 2007 with their division ranges (ONS, UK SIC 2007, "Structure"). */
export const SIC_SECTIONS: readonly SicSectionInfo[] = [
  { section: 'A', title: 'Agriculture, forestry and fishing', firstDivision: 1, lastDivision: 3 },
  { section: 'B', title: 'Mining and quarrying', firstDivision: 5, lastDivision: 9 },
  { section: 'C', title: 'Manufacturing', firstDivision: 10, lastDivision: 33 },
  {
    section: 'D',
    title: 'Electricity, gas, steam and air conditioning supply',
    firstDivision: 35,
    lastDivision: 35,
  },
  {
    section: 'E',
    title: 'Water supply; sewerage, waste management and remediation activities',
    firstDivision: 36,
    lastDivision: 39,
  },
  { section: 'F', title: 'Construction', firstDivision: 41, lastDivision: 43 },
  {
    section: 'G',
    title: 'Wholesale and retail trade; repair of motor vehicles and motorcycles',
    firstDivision: 45,
    lastDivision: 47,
  },
  { section: 'H', title: 'Transportation and storage', firstDivision: 49, lastDivision: 53 },
  { section: 'I', title: 'Accommodation and food service activities', firstDivision: 55, lastDivision: 56 },
  { section: 'J', title: 'Information and communication', firstDivision: 58, lastDivision: 63 },
  { section: 'K', title: 'Financial and insurance activities', firstDivision: 64, lastDivision: 66 },
  { section: 'L', title: 'Real estate activities', firstDivision: 68, lastDivision: 68 },
  {
    section: 'M',
    title: 'Professional, scientific and technical activities',
    firstDivision: 69,
    lastDivision: 75,
  },
  {
    section: 'N',
    title: 'Administrative and support service activities',
    firstDivision: 77,
    lastDivision: 82,
  },
  {
    section: 'O',
    title: 'Public administration and defence; compulsory social security',
    firstDivision: 84,
    lastDivision: 84,
  },
  { section: 'P', title: 'Education', firstDivision: 85, lastDivision: 85 },
  { section: 'Q', title: 'Human health and social work activities', firstDivision: 86, lastDivision: 88 },
  { section: 'R', title: 'Arts, entertainment and recreation', firstDivision: 90, lastDivision: 93 },
  { section: 'S', title: 'Other service activities', firstDivision: 94, lastDivision: 96 },
  {
    section: 'T',
    title:
      'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use',
    firstDivision: 97,
    lastDivision: 98,
  },
  {
    section: 'U',
    title: 'Activities of extraterritorial organisations and bodies',
    firstDivision: 99,
    lastDivision: 99,
  },
];

/** Division titles (UK SIC 2007 = NACE Rev. 2 at division level). */
export const SIC_DIVISION_TITLES: Readonly<Record<string, string>> = {
  '01': 'Crop and animal production, hunting and related service activities',
  '02': 'Forestry and logging',
  '03': 'Fishing and aquaculture',
  '05': 'Mining of coal and lignite',
  '06': 'Extraction of crude petroleum and natural gas',
  '07': 'Mining of metal ores',
  '08': 'Other mining and quarrying',
  '09': 'Mining support service activities',
  '10': 'Manufacture of food products',
  '11': 'Manufacture of beverages',
  '12': 'Manufacture of tobacco products',
  '13': 'Manufacture of textiles',
  '14': 'Manufacture of wearing apparel',
  '15': 'Manufacture of leather and related products',
  '16': 'Manufacture of wood and of products of wood and cork, except furniture; manufacture of articles of straw and plaiting materials',
  '17': 'Manufacture of paper and paper products',
  '18': 'Printing and reproduction of recorded media',
  '19': 'Manufacture of coke and refined petroleum products',
  '20': 'Manufacture of chemicals and chemical products',
  '21': 'Manufacture of basic pharmaceutical products and pharmaceutical preparations',
  '22': 'Manufacture of rubber and plastic products',
  '23': 'Manufacture of other non-metallic mineral products',
  '24': 'Manufacture of basic metals',
  '25': 'Manufacture of fabricated metal products, except machinery and equipment',
  '26': 'Manufacture of computer, electronic and optical products',
  '27': 'Manufacture of electrical equipment',
  '28': 'Manufacture of machinery and equipment n.e.c.',
  '29': 'Manufacture of motor vehicles, trailers and semi-trailers',
  '30': 'Manufacture of other transport equipment',
  '31': 'Manufacture of furniture',
  '32': 'Other manufacturing',
  '33': 'Repair and installation of machinery and equipment',
  '35': 'Electricity, gas, steam and air conditioning supply',
  '36': 'Water collection, treatment and supply',
  '37': 'Sewerage',
  '38': 'Waste collection, treatment and disposal activities; materials recovery',
  '39': 'Remediation activities and other waste management services',
  '41': 'Construction of buildings',
  '42': 'Civil engineering',
  '43': 'Specialised construction activities',
  '45': 'Wholesale and retail trade and repair of motor vehicles and motorcycles',
  '46': 'Wholesale trade, except of motor vehicles and motorcycles',
  '47': 'Retail trade, except of motor vehicles and motorcycles',
  '49': 'Land transport and transport via pipelines',
  '50': 'Water transport',
  '51': 'Air transport',
  '52': 'Warehousing and support activities for transportation',
  '53': 'Postal and courier activities',
  '55': 'Accommodation',
  '56': 'Food and beverage service activities',
  '58': 'Publishing activities',
  '59': 'Motion picture, video and television programme production, sound recording and music publishing activities',
  '60': 'Programming and broadcasting activities',
  '61': 'Telecommunications',
  '62': 'Computer programming, consultancy and related activities',
  '63': 'Information service activities',
  '64': 'Financial service activities, except insurance and pension funding',
  '65': 'Insurance, reinsurance and pension funding, except compulsory social security',
  '66': 'Activities auxiliary to financial services and insurance activities',
  '68': 'Real estate activities',
  '69': 'Legal and accounting activities',
  '70': 'Activities of head offices; management consultancy activities',
  '71': 'Architectural and engineering activities; technical testing and analysis',
  '72': 'Scientific research and development',
  '73': 'Advertising and market research',
  '74': 'Other professional, scientific and technical activities',
  '75': 'Veterinary activities',
  '77': 'Rental and leasing activities',
  '78': 'Employment activities',
  '79': 'Travel agency, tour operator and other reservation service and related activities',
  '80': 'Security and investigation activities',
  '81': 'Services to buildings and landscape activities',
  '82': 'Office administrative, office support and other business support activities',
  '84': 'Public administration and defence; compulsory social security',
  '85': 'Education',
  '86': 'Human health activities',
  '87': 'Residential care activities',
  '88': 'Social work activities without accommodation',
  '90': 'Creative, arts and entertainment activities',
  '91': 'Libraries, archives, museums and other cultural activities',
  '92': 'Gambling and betting activities',
  '93': 'Sports activities and amusement and recreation activities',
  '94': 'Activities of membership organisations',
  '95': 'Repair of computers and personal and household goods',
  '96': 'Other personal service activities',
  '97': 'Activities of households as employers of domestic personnel',
  '98': 'Undifferentiated goods- and services-producing activities of private households for own use',
  '99': 'Activities of extraterritorial organisations and bodies',
};

// Division number → section, precomputed once (the hot path does one array read).
const SECTION_OF_DIVISION: readonly (SicSection | undefined)[] = (() => {
  const table: (SicSection | undefined)[] = new Array<SicSection | undefined>(100).fill(undefined);
  for (const s of SIC_SECTIONS) for (let d = s.firstDivision; d <= s.lastDivision; d++) table[d] = s.section;
  return table;
})();

const SECTION_TITLES: ReadonlyMap<string, string> = new Map(SIC_SECTIONS.map((s) => [s.section, s.title]));
const SUBCLASSES: ReadonlySet<string> = new Set(SIC_2007_SUBCLASSES.split(' '));

/**
 * The section of a two-digit SIC 2007 division, or `undefined` when the number is not a division
 * (04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89 and 00 do not exist).
 *
 * @example sectionOfDivision(25) // 'C'
 */
export function sectionOfDivision(division: number): SicSection | undefined {
  return Number.isInteger(division) ? SECTION_OF_DIVISION[division] : undefined;
}

/** A validated SIC 2007 code and where it sits in the hierarchy. */
export interface SicCode {
  /** The code as given, digits only: 2 (division) to 5 (subclass) digits. */
  readonly code: string;
  /** Two-digit division, e.g. `'25'`. */
  readonly division: string;
  readonly section: SicSection;
}

function isAllDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Parses a SIC 2007 code: a division (`'25'`), group (`'252'`), class (`'2521'`) or Companies House
 * subclass (`'25210'`). Subclasses must be on the Companies House list; shorter codes must start
 * with a real division. Throws `GreenfinError` (`invalid_type` / `invalid_option`) naming `path`.
 *
 * @example parseSicCode('25210') // { code: '25210', division: '25', section: 'C' }
 */
export function parseSicCode(code: unknown, path = 'sicCode'): SicCode {
  invariant(
    typeof code === 'string' && code.length >= 2 && code.length <= 5 && isAllDigits(code),
    ErrorCode.InvalidType,
    path,
    `must be a SIC 2007 code of 2–5 digits such as "25210", got ${JSON.stringify(code)}`,
  );
  const division = code.slice(0, 2);
  const section = SECTION_OF_DIVISION[Number(division)];
  invariant(
    section !== undefined,
    ErrorCode.InvalidOption,
    path,
    `"${code}": ${division} is not a SIC 2007 division`,
  );
  invariant(
    code.length < 5 || SUBCLASSES.has(code),
    ErrorCode.InvalidOption,
    path,
    `"${code}" is not on the Companies House SIC 2007 list`,
  );
  return { code, division, section };
}

/**
 * The title of a section letter or a two-digit division; `undefined` for anything else.
 *
 * @example sicTitle('C') // 'Manufacturing'
 */
export function sicTitle(key: string): string | undefined {
  return key.length === 1 ? SECTION_TITLES.get(key) : SIC_DIVISION_TITLES[key];
}
