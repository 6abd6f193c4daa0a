export { ecotechExample } from './ecotech-data.js';
export { ecotechJourney, type EcotechJourney } from './ecotech-journey.js';
