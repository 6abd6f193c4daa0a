/**
 * A documented, coarse concordance from 2017 NAICS to UK SIC 2007 divisions, used only to group
 * the EPA's NAICS-6 supply-chain factors by SIC division.
 *
 * There is no official NAICS ↔ UK SIC crosswalk. The path taken is NAICS 2017 → ISIC Rev. 4 (the
 * US Census Bureau's "2017 NAICS to ISIC 4.0" concordance) → NACE Rev. 2 → UK SIC 2007, which are
 * identical at division level (ISIC Rev. 4 and NACE Rev. 2 share their two-digit divisions; UK SIC
 * 2007 is NACE Rev. 2 with a fifth digit). Each entry below maps a NAICS prefix to the ISIC/SIC
 * division that takes most of it; the longest matching prefix wins. Where the Census concordance
 * splits a NAICS industry between divisions, the division of its main product is used (e.g.
 * 333414 heating equipment → 25, "Manufacture of central heating radiators and boilers" is class
 * 25.21). The table is coarse by design: the benchmark is a median over many industries, so moving
 * one industry between neighbouring divisions changes little; the test suite re-derives the
 * published table from this concordance.
 */

/** `[NAICS prefix, SIC 2007 division]`; the longest prefix that matches a NAICS-6 code wins. */
export const NAICS_TO_SIC_DIVISION: readonly (readonly [string, string])[] = [
  // 11 Agriculture, forestry, fishing and hunting → section A
  ['111', '01'], // crop production
  ['112', '01'], // animal production
  ['1125', '03'], // aquaculture
  ['113', '02'], // forestry and logging
  ['114', '03'], // fishing
  ['1142', '01'], // hunting and trapping (01.70)
  ['115', '01'], // support activities for agriculture (01.6)
  ['1153', '02'], // support activities for forestry (02.40)
  // 21 Mining → section B
  ['2111', '06'], // oil and gas extraction
  ['2121', '05'], // coal mining
  ['2122', '07'], // metal ore mining
  ['2123', '08'], // non-metallic mineral mining and quarrying
  ['2131', '09'], // support activities for mining
  // 22 Utilities → sections D and E (NAICS 2211 electric power is not in the EPA file)
  ['2212', '35'], // natural gas distribution (35.22)
  ['221310', '36'], // water supply
  ['221320', '37'], // sewage treatment
  ['221330', '35'], // steam and air-conditioning supply (35.30)
  // 23 Construction → section F
  ['236', '41'], // construction of buildings
  ['237', '42'], // heavy and civil engineering
  ['237210', '41'], // land subdivision (41.10 development of building projects)
  ['238', '43'], // specialty trade contractors
  // 31–33 Manufacturing → section C
  ['311', '10'], // food
  ['3121', '11'], // beverages
  ['312113', '35'], // ice manufacturing (NACE 35.30 includes production of ice)
  ['3122', '12'], // tobacco
  ['313', '13'], // textile mills
  ['314', '13'], // textile product mills
  ['315', '14'], // apparel
  ['316', '15'], // leather
  ['321', '16'], // wood products
  ['322', '17'], // paper
  ['323', '18'], // printing
  ['324', '19'], // petroleum and coal products
  ['325', '20'], // chemicals
  ['3254', '21'], // pharmaceuticals
  ['326', '22'], // plastics and rubber
  ['327', '23'], // non-metallic mineral products
  ['331', '24'], // primary metals
  ['332', '25'], // fabricated metal products
  ['33291', '28'], // valves (28.14 taps and valves)
  ['332991', '28'], // ball and roller bearings (28.15)
  ['333', '28'], // machinery
  ['333314', '26'], // optical instruments (26.70)
  ['333316', '26'], // photographic equipment (26.70)
  ['333414', '25'], // heating equipment: radiators and boilers (25.21)
  ['334', '26'], // computer and electronic products
  ['334614', '18'], // reproduction of recorded media (18.20)
  ['335', '27'], // electrical equipment and appliances
  ['3361', '29'], // motor vehicles
  ['3362', '29'], // bodies and trailers
  ['3363', '29'], // motor vehicle parts
  ['3364', '30'], // aerospace
  ['3365', '30'], // railway rolling stock
  ['3366', '30'], // ships and boats
  ['3369', '30'], // other transport equipment
  ['337', '31'], // furniture
  ['339', '32'], // miscellaneous manufacturing, medical and dental instruments (32.50)
  // 42 Wholesale → section G
  ['42', '46'],
  ['4231', '45'], // motor vehicles and parts wholesale (45.1, 45.3)
  // 44–45 Retail → section G
  ['44', '47'],
  ['45', '47'],
  ['441', '45'], // motor vehicle and parts dealers
  // 48–49 Transportation and warehousing → section H
  ['481', '51'], // air
  ['482', '49'], // rail
  ['483', '50'], // water
  ['484', '49'], // truck
  ['485', '49'], // transit and ground passenger
  ['486', '49'], // pipelines
  ['4871', '49'], // scenic and sightseeing, land
  ['4872', '50'], // scenic and sightseeing, water
  ['4879', '51'], // scenic and sightseeing, other (air)
  ['488', '52'], // support activities for transportation
  ['491', '53'], // postal service
  ['492', '53'], // couriers and messengers
  ['493', '52'], // warehousing and storage
  // 51 Information → section J (and R for libraries)
  ['511', '58'], // publishing, including software publishing (58.2)
  ['512', '59'], // motion picture and sound recording
  ['515', '60'], // broadcasting
  ['517', '61'], // telecommunications
  ['518', '63'], // data processing and hosting (63.11)
  ['519', '63'], // news agencies, internet publishing, other information services
  ['519120', '91'], // libraries and archives
  // 52 Finance and insurance → section K
  ['521', '64'],
  ['522', '64'],
  ['5223', '66'], // activities related to credit intermediation (66.19)
  ['523', '66'], // securities, commodity contracts and other investment activities
  ['5241', '65'], // insurance carriers
  ['5242', '66'], // insurance agencies and brokers (66.2)
  ['5251', '65'], // insurance and pension funds (65.30)
  ['5259', '64'], // trusts, funds and similar financial entities (64.30)
  // 53 Real estate and rental and leasing → sections L and N
  ['531', '68'],
  ['532', '77'],
  ['533', '77'], // leasing of intellectual property (77.40)
  // 54 Professional, scientific and technical services → section M (62 for computer services)
  ['5411', '69'], // legal
  ['5412', '69'], // accounting
  ['5413', '71'], // architecture, engineering, testing
  ['5414', '74'], // specialised design (74.10)
  ['5415', '62'], // computer systems design
  ['5416', '70'], // management consultancy
  ['5417', '72'], // research and development
  ['5418', '73'], // advertising
  ['5419', '74'], // other professional services
  ['541910', '73'], // market research (73.20)
  ['541940', '75'], // veterinary
  // 55 Management of companies → 70 (head offices) and 64 (holding companies, 64.20)
  ['5511', '70'],
  ['551111', '64'],
  ['551112', '64'],
  // 56 Administrative and support and waste management → sections N and E
  ['5611', '82'],
  ['5612', '81'], // facilities support (81.10)
  ['5613', '78'], // employment services
  ['5614', '82'], // business support
  ['5615', '79'], // travel arrangement
  ['5616', '80'], // investigation and security
  ['5617', '81'], // services to buildings and landscaping
  ['5619', '82'], // other support services
  ['562', '38'], // waste collection, treatment and disposal
  ['562910', '39'], // remediation
  ['562991', '37'], // septic tank services (sewerage)
  // 61 Educational services → section P
  ['611', '85'],
  // 62 Health care and social assistance → section Q
  ['621', '86'],
  ['622', '86'],
  ['623', '87'],
  ['624', '88'],
  // 71 Arts, entertainment and recreation → section R (74 for agents)
  ['7111', '90'],
  ['7112', '93'], // spectator sports
  ['7113', '90'], // promoters
  ['7114', '74'], // agents and managers (74.90)
  ['7115', '90'], // independent artists
  ['712', '91'], // museums, historical sites, zoos
  ['7131', '93'], // amusement parks and arcades
  ['7132', '92'], // gambling
  ['7139', '93'], // other recreation
  // 72 Accommodation and food services → section I
  ['721', '55'],
  ['722', '56'],
  // 81 Other services → sections S, G, C
  ['8111', '45'], // automotive repair (45.20)
  ['8112', '95'], // electronic equipment repair
  ['811219', '33'], // other electronic and precision equipment repair (33.13)
  ['8113', '33'], // commercial and industrial machinery repair (33.12)
  ['8114', '95'], // personal and household goods repair
  ['812', '96'], // personal and laundry services
  ['81292', '74'], // photofinishing (74.20)
  ['812930', '52'], // parking lots and garages (52.21)
  ['813', '94'], // membership organisations
];

/**
 * Parts of SIC 2007 with no usable factor in the EPA NAICS-6 file, published as explicit gaps so
 * a company there gets no benchmark (and no points) rather than a neighbour's benchmark.
 */
export const SIC_BENCHMARK_GAPS: readonly {
  readonly sic: string;
  readonly title: string;
  readonly reason: string;
}[] = [
  {
    sic: '351',
    title: 'Electric power generation, transmission and distribution',
    reason:
      'NAICS 2211 (electric power generation, transmission and distribution) is not in the EPA NAICS-6 factor file, so division 35 is represented only by gas distribution, steam and ice; electricity companies are not benchmarked against them.',
  },
];

/** The SIC division of a NAICS-6 code by longest prefix, or `undefined` if no entry matches. */
export function sicDivisionOfNaics(naics: string): string | undefined {
  let best: readonly [string, string] | undefined;
  for (const entry of NAICS_TO_SIC_DIVISION) {
    if (naics.startsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}
