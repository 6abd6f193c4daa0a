/**
 * The EcoTech Manufacturing Ltd example from the product's lender journey: a Birmingham maker of
 * energy-efficient heating systems using 500 MWh a year, its emissions down about 15 % a year,
 * applying for a £500,000, 5-year loan to expand its factory. Figures are illustrative (a fictional
 * company); they are used by the README demo, the API's seed data and the end-to-end tests.
 */
export const ecotechExample = {
  company: {
    name: 'EcoTech Manufacturing Ltd',
    jurisdiction: 'gb',
    companyNumber: '09876543',
    /** SIC 2007 25210: Manufacture of central heating radiators and boilers (section C). */
    sicCodes: ['25210'],
    region: 'West Midlands',
    locality: 'Birmingham',
  },
  /** Three reporting years, tCO2e and MWh; revenue in GBP minor units. */
  metrics: [
    {
      year: 2022,
      energyMwh: 690,
      scope1Tco2e: 58.1,
      scope2Tco2e: 69.0,
      scope3Tco2e: 1180,
      revenue: { amount: 410_000_000, currency: 'GBP' },
      renewableShare: 0.18,
      verified: false,
      /** PCAF option 1b: reported, unverified emissions → score 2. */
      pcafDataQuality: 2,
    },
    {
      year: 2023,
      energyMwh: 590,
      scope1Tco2e: 49.4,
      scope2Tco2e: 58.6,
      scope3Tco2e: 1090,
      revenue: { amount: 445_000_000, currency: 'GBP' },
      renewableShare: 0.31,
      verified: true,
      /** PCAF option 1a: reported, verified emissions → score 1. */
      pcafDataQuality: 1,
    },
    {
      year: 2024,
      energyMwh: 500,
      scope1Tco2e: 42.0,
      scope2Tco2e: 49.8,
      scope3Tco2e: 1010,
      revenue: { amount: 480_000_000, currency: 'GBP' },
      renewableShare: 0.42,
      verified: true,
      /** PCAF option 1a: reported, verified emissions → score 1. */
      pcafDataQuality: 1,
    },
  ],
  /** A near-term target: −42 % scope 1+2 from 2022 by 2030 (the SBTi 1.5 °C near-term minimum). */
  target: { baseYear: 2022, targetYear: 2030, reduction: 0.42, scopes: 'scope1+2', validated: true },
  /** Balance-sheet figures for PCAF attribution (unlisted company: equity + debt). */
  balanceSheet: {
    equity: { amount: 210_000_000, currency: 'GBP' },
    debt: { amount: 90_000_000, currency: 'GBP' },
  },
  loan: {
    principal: { amount: 50_000_000, currency: 'GBP' },
    termMonths: 60,
    startDate: '2025-01-15',
    /** Bank of England Bank Rate from 6 February 2025. */
    baseRate: 0.045,
    creditSpread: 0.025,
    arrangementFee: { amount: 250_000, currency: 'GBP' },
  },
  /** The financed project: new heat-pump line and insulation saving grid electricity and gas. */
  project: {
    energySaved: [
      { source: 'electricity', mwhPerYear: 120 },
      { source: 'natural-gas', mwhPerYear: 260 },
    ],
    lifetimeYears: 10,
  },
} as const;
