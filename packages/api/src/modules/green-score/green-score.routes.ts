import { IdParams } from '../../http/schemas.js';
import { route } from '../../services.js';
import { CacheHeaders, GreenScoreQuery, GreenScoreSchema } from './green-score.schemas.js';

export const greenScoreRoutes = [
  route({
    operationId: 'getGreenScore',
    method: 'get',
    path: '/v1/companies/{id}/green-score',
    summary: 'The company’s green score, explained',
    description:
      'Computed by @greenfin/core (`greenScore`, methodology in `methodologyVersion`) from the company’s SIC codes, its environmental metrics and its emissions target. Cached until any of those change; `X-Cache` says whether this answer came from the cache, `computedAt` when it was computed.',
    tags: ['green scores'],
    access: 'viewer',
    request: { params: IdParams, query: GreenScoreQuery },
    responses: { 200: { description: 'The score.', schema: GreenScoreSchema, headers: CacheHeaders } },
    handler: async ({ params, query }, hc) => {
      const { principal, services } = hc;
      // The EntityManager is forked only on a cache miss.
      const em = () => hc.em;
      const { score, cached } = await services.greenScores.get(em, principal, params.id, query.asOfYear);
      return { status: 200, headers: { 'X-Cache': cached ? 'hit' : 'miss' }, body: score };
    },
  }),
];
