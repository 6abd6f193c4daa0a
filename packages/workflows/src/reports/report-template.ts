/**
 * The loan-simulation report's Handlebars sources and print stylesheet. Kept as strings in a
 * module (not .hbs files read at run time) so the worker bundle carries them and nothing is read
 * from disk while rendering. `{{…}}` escapes; the only `{{{…}}}` are the SVG charts, which
 * charts.ts builds and escapes itself.
 */

/** Print stylesheet: A4, the page margins come from `page.pdf()` so the footer fits in them. */
export const REPORT_STYLES = `
@page { size: A4; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; color: #1f2a24; font-size: 9pt; line-height: 1.4;
  font-family: "Liberation Sans", Arial, Helvetica, "DejaVu Sans", sans-serif;
  font-variant-numeric: tabular-nums;
}
h1 { font-size: 19pt; line-height: 1.15; margin: 1mm 0 1.5mm; color: #123a24; overflow-wrap: anywhere; }
h2 {
  font-size: 12.5pt; color: #123a24; margin: 7mm 0 2.5mm; padding-bottom: 1mm;
  border-bottom: 1.2pt solid #2f7d4f; break-after: avoid;
}
h2 .num { color: #2f7d4f; margin-right: 2mm; }
h3 { font-size: 10pt; margin: 4mm 0 1.5mm; color: #123a24; break-after: avoid; }
p { margin: 0 0 2mm; }
.muted { color: #5b6660; }
.small { font-size: 7.8pt; }
.break-before { break-before: page; }
.keep { break-inside: avoid; }

.masthead { border-bottom: 2pt solid #123a24; padding-bottom: 3mm; margin-bottom: 4mm; }
.masthead-top { display: flex; justify-content: space-between; align-items: baseline; font-size: 8pt;
  text-transform: uppercase; letter-spacing: 0.06em; color: #2f7d4f; font-weight: 700; }
.masthead-top .doc-type { color: #5b6660; font-weight: 400; }
.purpose { font-size: 10pt; color: #33403a; margin-bottom: 3mm; }
.facts { display: grid; grid-template-columns: 1fr 1.6fr 1fr 1.3fr; gap: 2mm 5mm; margin: 0; }
.facts dt { font-size: 7pt; text-transform: uppercase; letter-spacing: 0.05em; color: #5b6660; }
.facts dd { margin: 0; font-size: 8.5pt; overflow-wrap: anywhere; }

.summary { display: grid; grid-template-columns: repeat(4, 1fr); border: 1pt solid #2f7d4f;
  border-radius: 2mm; background: #f2f8f3; break-inside: avoid; }
.kpi { padding: 2.6mm 3mm; border-right: 0.5pt solid #c9dccf; border-bottom: 0.5pt solid #c9dccf; }
.kpi:nth-child(4n) { border-right: none; }
.kpi:nth-last-child(-n+4) { border-bottom: none; }
.kpi .label { font-size: 7pt; text-transform: uppercase; letter-spacing: 0.05em; color: #4c5a52; }
.kpi .value { font-size: 13pt; font-weight: 700; color: #123a24; white-space: nowrap; }
.kpi .sub { font-size: 7.5pt; color: #5b6660; }
.narrative { margin: 3.5mm 0 0; font-size: 9.5pt; }

.notes { margin-top: 3.5mm; padding: 2mm 3mm; border-left: 2.5pt solid #d19a2e; background: #fcf6e8;
  break-inside: avoid; }
.notes.ok { border-left-color: #2f7d4f; background: #f2f8f3; }
.notes h3 { margin: 0 0 1mm; font-size: 8.5pt; }
.notes ul { margin: 0; padding-left: 4mm; }
.notes li { margin: 0.5mm 0; font-size: 8.2pt; }

.score-head { display: flex; align-items: center; gap: 5mm; margin-bottom: 2.5mm; break-after: avoid; }
.score-big { font-size: 26pt; font-weight: 700; color: #123a24; line-height: 1; }
.score-big .of { font-size: 12pt; color: #5b6660; font-weight: 400; }
.band { display: inline-block; min-width: 13mm; text-align: center; padding: 1.2mm 2.5mm; border-radius: 1.5mm;
  color: #fff; font-weight: 700; font-size: 12pt; }
.band-A { background: #1a7f37; } .band-B { background: #5a9a32; } .band-C { background: #b8941c; }
.band-D { background: #cf7a26; } .band-E { background: #b23a2e; }
.score-meta { font-size: 8.5pt; color: #33403a; }
.band-scale { display: flex; gap: 1mm; margin-top: 1mm; }
.band-scale span { font-size: 7pt; padding: 0.3mm 1.5mm; border-radius: 1mm; background: #e6ebe8; color: #33403a; }
.band-scale span.current { background: #123a24; color: #fff; }

table { width: 100%; border-collapse: collapse; font-size: 8.3pt; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr { break-inside: avoid; }
th { text-align: left; font-weight: 700; font-size: 7.6pt; color: #33403a; background: #e9f1eb;
  border-bottom: 0.9pt solid #7e8c84; padding: 1.3mm 1.6mm; vertical-align: bottom; }
td { padding: 1.1mm 1.6mm; border-bottom: 0.4pt solid #dde3df; vertical-align: top; }
.num { text-align: right; white-space: nowrap; }
tr.subtotal td { font-weight: 700; background: #f2f8f3; border-bottom: 0.9pt solid #b4c5ba; }
tr.total td { font-weight: 700; background: #e1eee4; border-top: 1pt solid #2f7d4f; border-bottom: 1pt solid #2f7d4f; }
table.schedule td { padding-top: 0.7mm; padding-bottom: 0.7mm; }

.components td.label { width: 24%; font-weight: 700; }
.components td.points { width: 13%; }
.components .pts { font-weight: 700; font-size: 9pt; }
.meter { height: 1.6mm; background: #e6ebe8; border-radius: 0.8mm; margin-top: 1mm; overflow: hidden; }
.meter > span { display: block; height: 100%; background: #2f7d4f; }
.components .bench { margin-top: 1mm; font-size: 7.6pt; color: #4c5a52; }
.components .bench b { color: #33403a; }

.two-col { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
.two-col > * { min-width: 0; }
.stacked figure { width: 60%; margin-top: 3mm; }
.rate-build td { padding: 1.2mm 1.6mm; }
.rate-build td.op { width: 6mm; color: #5b6660; text-align: center; }
.rate-build tr.result td { font-weight: 700; font-size: 10pt; border-top: 1pt solid #123a24; border-bottom: none; }
.callout { margin-top: 2.5mm; padding: 2mm 3mm; background: #f4f6f5; border-radius: 1.5mm; font-size: 8.2pt; }
.callout b { color: #123a24; }

figure { margin: 2mm 0 0; break-inside: avoid; }
figcaption { font-size: 8pt; font-weight: 700; color: #33403a; margin-bottom: 1mm; }
.chart { display: block; font-family: inherit; }
.chart text { fill: #27312c; font-size: 9px; }
.chart text.tick { font-size: 8.5px; fill: #5b6660; }
.chart text.tick-muted { font-size: 7.5px; fill: #7b8680; }
.chart text.legend { font-size: 8.5px; fill: #33403a; }
.chart text.label { font-size: 10px; fill: #27312c; }
.chart text.value { font-size: 10px; font-weight: 700; fill: #123a24; }
.chart text.value-small { font-size: 8px; font-weight: 700; fill: #33403a; }

.figures-inline { display: flex; gap: 8mm; margin: 1mm 0 2mm; }
.figures-inline div .big { font-size: 13pt; font-weight: 700; color: #123a24; }
.figures-inline div .cap { font-size: 7.5pt; color: #5b6660; text-transform: uppercase; letter-spacing: 0.05em; }
.citation { font-size: 7.5pt; color: #4c5a52; overflow-wrap: anywhere; }
ul.assumptions { margin: 1mm 0 0; padding-left: 4mm; font-size: 8pt; color: #33403a; break-inside: avoid; }
.empty { padding: 3mm; background: #f4f6f5; border-radius: 1.5mm; color: #4c5a52; }
.appendix h3 { font-size: 9pt; margin-top: 3mm; }
.appendix p, .appendix li { font-size: 8.2pt; }
.appendix ul { padding-left: 4mm; margin: 0 0 2mm; }
.signoff { margin-top: 6mm; padding-top: 2mm; border-top: 0.5pt solid #b4c5ba; font-size: 7.8pt; color: #5b6660; }
`;

/** The report body. Every data value goes through `{{…}}` (escaped) or a formatting helper. */
export const REPORT_TEMPLATE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<title>{{doc.title}}</title>
<style>{{{styles}}}</style>
</head>
<body>
<header class="masthead">
  <div class="masthead-top"><span class="org">{{doc.organizationName}}</span><span class="doc-type">Green loan simulation · credit committee report</span></div>
  <h1>{{company.name}}</h1>
  {{#if doc.purpose}}<p class="purpose">{{doc.purpose}}</p>{{/if}}
  <dl class="facts">
    <div><dt>Company number</dt><dd>{{company.companyNumber}} · {{company.jurisdiction}}</dd></div>
    <div><dt>Sector</dt><dd>{{#if company.sector}}{{company.sector}}<br>{{/if}}SIC {{company.sic}}</dd></div>
    <div><dt>Location</dt><dd>{{#if company.location}}{{company.location}}{{else}}not given{{/if}}</dd></div>
    <div><dt>Simulation</dt><dd>{{doc.simulationId}}<br>created {{datetime doc.createdAt}}</dd></div>
  </dl>
</header>

<section class="summary" aria-label="Summary">
  <div class="kpi"><div class="label">Loan amount</div><div class="value">{{money pricing.principal}}</div><div class="sub">{{schedule.methodLabel}}</div></div>
  <div class="kpi"><div class="label">Term</div><div class="value">{{pricing.termMonths}} months</div><div class="sub">{{schedule.count}} {{schedule.frequencyLabel}} instalments</div></div>
  <div class="kpi"><div class="label">Final rate</div><div class="value">{{percent pricing.finalRate}}</div><div class="sub">{{percent pricing.rateBeforeDiscount}} before discount</div></div>
  <div class="kpi"><div class="label">Green discount</div><div class="value">{{pp pricing.greenDiscount.applied}}</div><div class="sub">score {{number score.score 1}}, band {{score.band}}</div></div>
  <div class="kpi"><div class="label">APR</div><div class="value">{{percent pricing.apr}}</div><div class="sub">{{pricing.aprShort}}</div></div>
  <div class="kpi"><div class="label">{{schedule.paymentLabel}}</div><div class="value">{{money pricing.regularPayment}}</div><div class="sub">{{money pricing.withoutDiscount.regularPayment}} without discount</div></div>
  <div class="kpi"><div class="label">Interest saved</div><div class="value">{{money pricing.interestSaved}}</div><div class="sub">over the term, by the green discount</div></div>
  <div class="kpi"><div class="label">CO2 saved</div>{{#if co2}}<div class="value">{{number co2.tco2ePerYear 1}} t/yr</div><div class="sub">{{tonnes co2.totalTco2e}} over {{co2.lifetimeYears}} years</div>{{else}}<div class="value">—</div><div class="sub">not estimated</div>{{/if}}</div>
</section>
<p class="narrative">{{narrative}}</p>

{{#if notes.length}}
<div class="notes"><h3>Points to note</h3><ul>{{#each notes}}<li>{{this}}</li>{{/each}}</ul></div>
{{else}}
<div class="notes ok"><h3>Points to note</h3><ul><li>No data warnings: every input the methodology uses was present.</li></ul></div>
{{/if}}

<section>
  <h2><span class="num">1</span>Green score</h2>
  <div class="score-head">
    <div class="score-big">{{number score.score 1}}<span class="of"> / 100</span></div>
    <div class="band band-{{score.band}}">Band {{score.band}}</div>
    <div class="score-meta">
      Confidence {{number score.confidence 2}} · methodology {{score.methodologyVersion}}
      <div class="band-scale">{{#each score.bandScale}}<span class="{{#if current}}current{{/if}}">{{band}} {{range}}</span>{{/each}}</div>
    </div>
  </div>
  <figure><figcaption>Points earned by component (bar length = component weight)</figcaption>{{{charts.scoreComponents}}}</figure>
  <h3>Each component's justification</h3>
  <table class="components">
    <thead><tr><th>Component</th><th class="num">Points</th><th>Justification and benchmark</th></tr></thead>
    <tbody>
    {{#each score.components}}
      <tr>
        <td class="label">{{label}}</td>
        <td class="points num"><span class="pts">{{number points 1}}</span> / {{number maxPoints 0}}<div class="meter"><span style="width: {{sharePct}}%"></span></div></td>
        <td>{{explanation}}{{#if benchmark}}<div class="bench"><b>Benchmark:</b> {{benchmark.value}}{{#if benchmark.sector}} ({{benchmark.sector}}){{/if}}. <b>Source:</b> {{benchmark.source}}{{#if benchmark.derivation}}; {{benchmark.derivation}}{{/if}}{{#if benchmark.fx}}; {{benchmark.fx}}{{/if}}.</div>{{/if}}</td>
      </tr>
    {{/each}}
    </tbody>
    <tfoot><tr class="total"><td>Total</td><td class="num">{{number score.score 1}} / {{number score.maxTotal 0}}</td><td>Band {{score.band}} ({{score.bandRule}}); confidence {{number score.confidence 2}}: share of the methodology's inputs present, discounted for data quality and staleness.</td></tr></tfoot>
  </table>
</section>

<section>
  <h2><span class="num">2</span>Pricing</h2>
  <div class="two-col">
    <div class="keep">
      <h3>Rate build-up</h3>
      <table class="rate-build">
        <tbody>
          <tr><td class="op"></td><td>Base rate</td><td class="num">{{percent pricing.baseRate}}</td></tr>
          <tr><td class="op">+</td><td>Credit spread</td><td class="num">{{percent pricing.creditSpread}}</td></tr>
          <tr><td class="op">=</td><td>Rate before discount</td><td class="num">{{percent pricing.rateBeforeDiscount}}</td></tr>
          <tr><td class="op">−</td><td>Green discount{{#if pricing.discountBand}} (band {{pricing.discountBand}}){{/if}}</td><td class="num">{{pp pricing.greenDiscount.applied}}</td></tr>
          <tr class="result"><td class="op">=</td><td>Final rate</td><td class="num">{{percent pricing.finalRate}}</td></tr>
        </tbody>
      </table>
      <div class="callout"><b>Why this discount:</b> {{pricing.greenDiscount.explanation}}{{#if pricing.limits}} Limited by: {{pricing.limits}}.{{/if}}</div>
    </div>
    <div class="keep">
      <h3>With and without the green discount</h3>
      <table>
        <thead><tr><th></th><th class="num">With discount</th><th class="num">Without</th><th class="num">Difference</th></tr></thead>
        <tbody>
          <tr><td>Interest rate</td><td class="num">{{percent pricing.finalRate}}</td><td class="num">{{percent pricing.withoutDiscount.rate}}</td><td class="num">{{pp pricing.rateDifference}}</td></tr>
          <tr><td>{{schedule.paymentLabel}}</td><td class="num">{{money pricing.regularPayment}}</td><td class="num">{{money pricing.withoutDiscount.regularPayment}}</td><td class="num">{{money pricing.paymentDifference}}</td></tr>
          <tr><td>Total interest</td><td class="num">{{money pricing.totalInterest}}</td><td class="num">{{money pricing.withoutDiscount.totalInterest}}</td><td class="num">{{money pricing.interestDifference}}</td></tr>
          <tr><td>APR</td><td class="num">{{percent pricing.apr}}</td><td class="num">{{percent pricing.withoutDiscount.apr}}</td><td class="num">{{pp pricing.aprDifference}}</td></tr>
        </tbody>
      </table>
      <div class="callout"><b>Interest saved:</b> {{money pricing.interestSaved}} over the term. <b>Fees:</b> {{money pricing.totalFees}}. <b>Total cost of credit:</b> {{money pricing.totalCostOfCredit}} (interest + fees).</div>
    </div>
  </div>
  <p class="small muted" style="margin-top:2mm">APR: {{pricing.aprMethodText}}, computed on the amount paid out net of upfront fees, with every instalment and fee on its date.</p>
  <div class="two-col">
    <figure><figcaption>Outstanding balance over time</figcaption>{{{charts.balance}}}</figure>
    <figure><figcaption>Principal and interest repaid per calendar year</figcaption>{{{charts.repayments}}}</figure>
  </div>
</section>

{{#if cashFlow}}
<section class="keep">
  <h2>Cash-flow risk</h2>
  <p>Debt service coverage from the company's own bank transactions, {{date cashFlow.from}} – {{date cashFlow.to}} ({{cashFlow.months}} months): average monthly net operating cash flow <b>{{money cashFlow.cashFlow}}</b> ÷ monthly debt service {{#if cashFlow.existingDebtService}}<b>{{money cashFlow.debtService}}</b> (this loan {{money cashFlow.loanDebtService}} + existing {{money cashFlow.existingDebtService}}){{else}}of this loan <b>{{money cashFlow.debtService}}</b>{{/if}} = <b>DSCR {{cashFlow.dscr}}x</b>.</p>
  <div class="two-col">
    <div>
      <table class="rate-build">
        <thead><tr><th>Grade</th><th>DSCR</th><th class="num">Credit spread</th></tr></thead>
        <tbody>
        {{#each cashFlow.thresholds}}
          <tr{{#if current}} class="result"{{/if}}><td>{{grade}}{{#if current}} ◀{{/if}}</td><td>{{range}}</td><td class="num">{{percent creditSpread}}</td></tr>
        {{/each}}
        </tbody>
      </table>
    </div>
    <div>
      <div class="callout"><b>Grade {{cashFlow.grade}}</b>{{#if cashFlow.notched}} (DSCR alone: {{cashFlow.dscrGrade}}; moved down for {{cashFlow.notches}}){{/if}}. Days of cash on hand: {{#if cashFlow.daysCash}}{{cashFlow.daysCash}}{{else}}unknown{{/if}}; volatility (coefficient of variation of monthly net): {{#if cashFlow.cv}}{{cashFlow.cv}}{{else}}n/a{{/if}}.{{#if cashFlow.referToUnderwriter}} <b>Refer to an underwriter:</b> coverage is below the minimum.{{/if}}</div>
      <p>{{#if cashFlow.callerSpread}}The requested credit spread of {{percent cashFlow.spreadApplied}} was applied; the cash-flow grade would set {{percent cashFlow.gradeSpread}}.{{else}}The credit spread of {{percent cashFlow.spreadApplied}} is the grade's.{{/if}}</p>
      <p class="small muted">{{cashFlow.explanation}} Thresholds: 1.15x is the US SBA SOP 50 10 7.1 minimum for 7(a) loans, 1.25x the usual bank covenant; 1.50x and 2.00x are Greenfin policy steps (docs/methodology/cash-flow.md).</p>
    </div>
  </div>
</section>
{{/if}}

<section>
  <h2><span class="num">3</span>CO2 saved by the financed project</h2>
  {{#if co2}}
  <div class="keep">
  <div class="figures-inline">
    <div><div class="cap">Per year</div><div class="big">{{tonnes co2.tco2ePerYear}}</div></div>
    <div><div class="cap">Over {{co2.lifetimeYears}} years</div><div class="big">{{tonnes co2.totalTco2e}}</div></div>
    <div><div class="cap">Emission factors</div><div class="big">DESNZ {{co2.factorYear}}</div></div>
  </div>
  <div class="two-col">
    <div>
      <table>
        <thead><tr><th>Energy saved</th><th class="num">MWh/yr</th><th class="num">kgCO2e/kWh</th><th class="num">tCO2e/yr</th><th class="num">Lifetime</th></tr></thead>
        <tbody>
        {{#each co2.lines}}
          <tr><td>{{label}}</td><td class="num">{{number mwhPerYear 1}}</td><td class="num">{{number kgCo2ePerKwh 5}}</td><td class="num">{{number tco2ePerYear 2}}</td><td class="num">{{number totalTco2e 1}}</td></tr>
        {{/each}}
        </tbody>
        <tfoot><tr class="total"><td>Total</td><td class="num">{{number co2.totalMwh 1}}</td><td></td><td class="num">{{number co2.tco2ePerYear 2}}</td><td class="num">{{number co2.totalTco2e 1}}</td></tr></tfoot>
      </table>
      <h3>Factor sources</h3>
      {{#each co2.lines}}{{#each factors}}<p class="citation"><b>{{../label}}:</b> {{value}} {{unit}} — {{source}}</p>{{/each}}{{/each}}
    </div>
    <figure><figcaption>CO2e saved per year of the project (tCO2e)</figcaption>{{{charts.co2}}}</figure>
  </div>
  </div>
  <h3>Assumptions</h3>
  <ul class="assumptions">{{#each co2.assumptions}}<li>{{this}}</li>{{/each}}</ul>
  {{else}}
  <p class="empty">Not estimated: the simulation gave no project energy savings, so no CO2 saving is claimed.</p>
  {{/if}}
</section>

<section>
  <h2><span class="num">4</span>Financed emissions (PCAF)</h2>
  {{#if financed}}
  <div class="keep">
  <p>The lender's share of the company's scope 1 and 2 emissions in each reporting year: the attribution factor (outstanding at year-end ÷ {{financed.denominatorLabel}}) × the company's emissions. It falls to zero as the loan is repaid.</p>
  <div class="{{#if financed.stacked}}stacked{{else}}two-col{{/if}}">
    <div>
      <table>
        <thead><tr><th>Year</th><th class="num">Outstanding</th><th class="num">Attribution</th><th class="num">Scope 1</th><th class="num">Scope 2</th><th class="num">Scope 1+2</th>{{#if financed.hasScope3}}<th class="num">Scope 3</th>{{/if}}</tr></thead>
        <tbody>
        {{#each financed.years}}
          <tr><td>{{year}}</td><td class="num">{{money outstanding.amount}}</td><td class="num">{{percent attributionFactor 2}}{{#if attributionCapped}}*{{/if}}</td><td class="num">{{number financedScope1 2}}</td><td class="num">{{number financedScope2 2}}</td><td class="num">{{number financedScope1And2 2}}</td>{{#if ../financed.hasScope3}}<td class="num">{{#if hasScope3Value}}{{number financedScope3 2}}{{else}}—{{/if}}</td>{{/if}}</tr>
        {{/each}}
        </tbody>
        <tfoot><tr class="total"><td>Total</td><td></td><td></td><td></td><td></td><td class="num">{{number financed.totals.financedScope1And2 2}}</td>{{#if financed.hasScope3}}<td class="num">{{#if financed.totals.financedScope3}}{{number financed.totals.financedScope3 2}}{{else}}—{{/if}}</td>{{/if}}</tr></tfoot>
      </table>
      <p class="small muted">tCO2e. Outstanding principal at each year-end, excluding accrued interest.</p>
    </div>
    <figure><figcaption>Financed scope 1+2 emissions per year (tCO2e)</figcaption>{{{charts.financed}}}</figure>
  </div>
  </div>
  <h3>Data quality</h3>
  {{#each financed.dataQuality}}
  <p><b>PCAF data-quality score {{score}}</b> (option {{options}}; 1 = best, 5 = worst){{#if years}}, {{years}}{{/if}}: {{description}}</p>
  {{/each}}
  {{#if financed.weighted}}<p>Outstanding-weighted average score over the term: <b>{{financed.weighted}}</b>.</p>{{/if}}
  <p class="citation">Method: {{financed.method}}.</p>
  {{#if financed.warnings.length}}<ul class="assumptions">{{#each financed.warnings}}<li>{{this}}</li>{{/each}}</ul>{{/if}}
  {{else}}
  <p class="empty">Not computed: the company's emissions or balance sheet were not available for this simulation.</p>
  {{/if}}
</section>

<section class="break-before">
  <h2><span class="num">5</span>Repayment schedule</h2>
  <p>{{schedule.description}}</p>
  <table class="schedule">
    <thead><tr><th class="num">#</th><th>Due date</th><th class="num">Payment</th><th class="num">Interest</th><th class="num">Principal</th><th class="num">Balance</th></tr></thead>
    {{#each schedule.years}}
    <tbody>
      {{#each rows}}
      <tr><td class="num">{{this.number}}</td><td>{{date this.date}}</td><td class="num">{{money payment}}</td><td class="num">{{money interest}}</td><td class="num">{{money principal}}</td><td class="num">{{money balance}}</td></tr>
      {{/each}}
      <tr class="subtotal"><td></td><td>{{year}} ({{count}} {{plural count "instalment" "instalments"}})</td><td class="num">{{money payment}}</td><td class="num">{{money interest}}</td><td class="num">{{money principal}}</td><td class="num">{{money closingBalance}}</td></tr>
    </tbody>
    {{/each}}
    <tbody>
      <tr class="total"><td></td><td>Total</td><td class="num">{{money schedule.totals.payment}}</td><td class="num">{{money schedule.totals.interest}}</td><td class="num">{{money schedule.totals.principal}}</td><td class="num">{{money schedule.totals.closingBalance}}</td></tr>
    </tbody>
  </table>
</section>

<section class="appendix">
  <h2><span class="num">A</span>Methodology and sources</h2>
  <h3>Green score ({{score.methodologyVersion}})</h3>
  <p>Explainable points out of 100 from nine components: carbon intensity against sector peers (30), emissions trend year on year and over several years against the 1.5 °C path (10 + 10), renewable energy share (8), energy-intensity trend (7), emissions-target ambition (15), and disclosure quality — PCAF data-quality score (10), third-party verification (6), scope 3 disclosure (4). Bands: {{score.bandRules}}. Missing inputs score nothing and lower the confidence; they are listed as warnings. The score never rises when emissions rise, all else equal.</p>
  <h3>Pricing</h3>
  <p>Final rate = base rate + credit spread − green discount. The discount is looked up by band in the lender's policy, reduced when the score's confidence is too low, capped, and never takes the rate below the floor.{{#if pricing.policyText}} Policy applied: {{pricing.policyText}}.{{/if}} Schedule: {{schedule.description}} Amounts are exact integer minor units; rounding is half-even and the last instalment absorbs any rounding, so principal repaid equals principal lent.</p>
  <p>APR: {{pricing.aprMethodText}}.</p>
  <h3>CO2 savings</h3>
  <p>{{#if co2}}Energy saved per year by source × the DESNZ UK Government GHG Conversion Factors ({{co2.factorYear}}) factor for that source, in kgCO2e/kWh (= tCO2e/MWh), over the project's {{co2.lifetimeYears}}-year life; factors held flat (no grid-decarbonisation projection).{{else}}Not estimated for this simulation.{{/if}}</p>
  <h3>Financed emissions</h3>
  <p>{{#if financed}}{{financed.method}}. Attribution uses the outstanding principal at each calendar year-end; data quality is scored 1 (verified reported emissions) to 5 (sector averages), PCAF Table 5-7.{{else}}Not computed for this simulation.{{/if}}</p>
  <h3>Sources</h3>
  <ul>
    <li>Greenfin green-score methodology {{score.methodologyVersion}} (docs/methodology/green-score.md): sector benchmarks from the US EPA Supply Chain GHG Emission Factors v1.3 (USEEIO), SBTi Corporate Net-Zero Standard and near-term criteria (4.2 %/yr 1.5 °C pace), COP28 energy-efficiency pledge, PCAF data-quality table, ECB euro reference rates for currency conversion.</li>
    <li>APR: Directive 2008/48/EC (Consumer Credit Directive) Annex I as amended by Directive 2011/90/EU, and UK FCA CONC App 1; US 12 CFR 1026 (Regulation Z) Appendix J.</li>
    <li>DESNZ, UK Government GHG Conversion Factors for Company Reporting (Open Government Licence v3.0).</li>
    <li>PCAF, The Global GHG Accounting and Reporting Standard Part A: Financed Emissions, 2nd edition (December 2022).</li>
  </ul>
  <p class="signoff">Generated by Greenfin for {{doc.organizationName}} on {{datetime doc.generatedAt}} from simulation {{doc.simulationId}} (created {{datetime doc.createdAt}}), methodology {{score.methodologyVersion}}. Figures are computed by @greenfin/core and reproducible from the stored simulation. This is a simulation, not an offer of credit.</p>
</section>
</body>
</html>
`;

/**
 * The footer Chromium prints in every page's bottom margin. It is a separate document: it gets
 * none of the report's CSS, so it carries its own inline styles and explicit font size.
 */
export const FOOTER_TEMPLATE = `<div style="box-sizing:border-box;width:100%;padding:0 16mm;font-family:'Liberation Sans',Arial,Helvetica,sans-serif;font-size:7pt;color:#5b6660;display:flex;justify-content:space-between;gap:6mm;-webkit-print-color-adjust:exact;">
<span style="min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">Greenfin · methodology {{methodologyVersion}} · generated {{datetime generatedAt}} · simulation {{simulationId}}</span>
<span style="white-space:nowrap">Page <span class="pageNumber"></span> of <span class="totalPages"></span></span>
</div>`;

/** The header printed in every page's top margin: who the report is for and about. */
export const HEADER_TEMPLATE = `<div style="box-sizing:border-box;width:100%;padding:0 16mm;font-family:'Liberation Sans',Arial,Helvetica,sans-serif;font-size:7pt;color:#5b6660;display:flex;justify-content:space-between;gap:6mm;">
<span style="flex:0 1 auto;min-width:0;max-width:45%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">{{organizationName}}</span>
<span style="flex:0 1 auto;min-width:0;max-width:55%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap">{{companyName}} · loan simulation report</span>
</div>`;
