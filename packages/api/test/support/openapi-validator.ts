import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from '../../src/modules/docs/docs.routes.js';

// ajv-formats is CommonJS with a default export; under ESM interop it can arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

export interface CheckedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

export interface OpenApiValidator {
  /** The documented path template an actual path matches, if any. */
  templateFor(method: string, path: string): string | undefined;
  /** Problems with a response: undocumented status or content type, or a body off its schema. */
  check(method: string, path: string, response: CheckedResponse): string[];
}

const pointerSegment = (s: string) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'));

/** Checks responses against the API's own OpenAPI 3.1 document with Ajv (JSON Schema 2020-12). */
export function openApiValidator(document: OpenApiDocument): OpenApiValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document as object, 'openapi');
  const templates = Object.keys(document.paths ?? {}).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
  }));

  const templateFor = (method: string, path: string) => {
    const bare = path.split('?')[0] ?? path;
    const paths = document.paths as Record<string, Record<string, unknown>>;
    return templates.find((t) => t.pattern.test(bare) && paths[t.template]?.[method.toLowerCase()])?.template;
  };

  const validateAt = (pointer: string, value: unknown): string[] => {
    const validate = ajv.getSchema(`openapi#${pointer}`) ?? ajv.compile({ $ref: `openapi#${pointer}` });
    return validate(value)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  };

  return {
    templateFor,
    check(method, path, response) {
      const contentType =
        String(response.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim() ?? '';
      const template = templateFor(method, path);
      if (!template) {
        // Outside the document (unknown route, 405): must still be a problem.
        if (contentType !== 'application/problem+json') return [`undocumented route answered ${contentType}`];
        return validateAt('/components/schemas/Problem', response.body);
      }
      const op = (
        document.paths as Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
        >
      )[template]?.[method.toLowerCase()];
      const documented = op?.responses[String(response.status)];
      if (!documented) return [`${method} ${template} answered undocumented status ${response.status}`];
      if (!documented.content) {
        return response.text
          ? [`${response.status} should have no body, got ${response.text.slice(0, 80)}`]
          : [];
      }
      if (!documented.content[contentType]) {
        return [`${method} ${template} ${response.status} answered undocumented content type ${contentType}`];
      }
      const body = contentType.includes('json') ? response.body : response.text;
      const pointer = [
        'paths',
        template,
        method.toLowerCase(),
        'responses',
        String(response.status),
        'content',
        contentType,
        'schema',
      ]
        .map(pointerSegment)
        .join('/');
      return validateAt(`/${pointer}`, body).map((e) => `${method} ${template} ${response.status}: ${e}`);
    },
  };
}
