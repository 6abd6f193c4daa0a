/**
 * A response body cut down to what its schema documents, fast. Every reply goes through its
 * documented schema so nothing undocumented (a password hash, an internal id) can leave the
 * server; `schema.parse` does that, but it also re-validates every value of a body our own code
 * built, and keeps zod's issue bookkeeping for each: ~0.1 ms of CPU for a loan simulation, a tenth
 * of the request. A projection walks the schema once, compiles a copier per node, and then only
 * copies the documented keys (filling in defaults), checking each leaf's JSON type.
 *
 * Same output as `schema.parse` for every body that parse accepts: objects keep only their
 * documented keys, arrays and records are copied element by element, defaults fill missing values.
 * Any node it does not model — transforms, refinements, unions other than `X | null`, tuples, lazy schemas, passthrough
 * or strict objects — and any leaf of the wrong JSON type is handed to zod's own `parse` at that
 * node, which also throws where parse would. What a projection does not check is a leaf's
 * refinements (a string's format or length, a number's integer-ness): the handlers' types and the
 * tests (every response checked against the OpenAPI document; and, in the API's test
 * harness, `checkProjections(true)` compares each projection with zod's parse) hold those.
 */
import { isDeepStrictEqual } from 'node:util';
import { ZodFirstPartyTypeKind, type ZodTypeAny } from 'zod';

type Projection = (value: unknown) => unknown;

const compiled = new WeakMap<ZodTypeAny, Projection>();

/** The projection of `schema` (compiled once per schema). */
export function projection(schema: ZodTypeAny): Projection {
  let project = compiled.get(schema);
  if (!project) {
    // Placeholder first: a schema reached again while compiling (recursion) defers to the cache.
    compiled.set(schema, (value) => compiled.get(schema)!(value));
    project = compile(schema);
    compiled.set(schema, project);
  }
  return project;
}

/** `typeof` each leaf kind must have, or the leaf goes to zod (which reports the mismatch). */
const LEAF_TYPES: Partial<Record<ZodFirstPartyTypeKind, string>> = {
  [ZodFirstPartyTypeKind.ZodString]: 'string',
  [ZodFirstPartyTypeKind.ZodNumber]: 'number',
  [ZodFirstPartyTypeKind.ZodBoolean]: 'boolean',
};

function compile(schema: ZodTypeAny): Projection {
  const def = schema._def as { typeName: ZodFirstPartyTypeKind } & Record<string, unknown>;
  const zod: Projection = (value) => schema.parse(value);
  const leaf = LEAF_TYPES[def.typeName];
  if (leaf !== undefined) {
    return (value) => {
      if (typeof value !== leaf) return schema.parse(value);
      // NaN and ±Infinity are not numbers zod accepts, nor JSON can carry.
      if (leaf === 'number' && !Number.isFinite(value)) return schema.parse(value);
      return value;
    };
  }
  switch (def.typeName) {
    case ZodFirstPartyTypeKind.ZodUnknown:
    case ZodFirstPartyTypeKind.ZodAny:
      return (value) => value;
    case ZodFirstPartyTypeKind.ZodNull:
      return (value) => (value === null ? null : schema.parse(value));
    case ZodFirstPartyTypeKind.ZodLiteral: {
      const literal = def.value;
      return (value) => (value === literal ? value : schema.parse(value));
    }
    case ZodFirstPartyTypeKind.ZodEnum: {
      const options = new Set(def.values as readonly unknown[]);
      return (value) => (options.has(value) ? value : schema.parse(value));
    }
    case ZodFirstPartyTypeKind.ZodOptional: {
      const inner = projection(def.innerType as ZodTypeAny);
      return (value) => (value === undefined ? undefined : inner(value));
    }
    case ZodFirstPartyTypeKind.ZodNullable: {
      const inner = projection(def.innerType as ZodTypeAny);
      return (value) => (value === null ? null : inner(value));
    }
    case ZodFirstPartyTypeKind.ZodDefault: {
      const inner = projection(def.innerType as ZodTypeAny);
      const fallback = def.defaultValue as () => unknown;
      return (value) => inner(value === undefined ? fallback() : value);
    }
    case ZodFirstPartyTypeKind.ZodArray: {
      if (def.minLength || def.maxLength || def.exactLength) return zod;
      const element = projection(def.type as ZodTypeAny);
      return (value) => {
        if (!Array.isArray(value)) return schema.parse(value);
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) out[i] = element(value[i]);
        return out;
      };
    }
    case ZodFirstPartyTypeKind.ZodRecord: {
      const keyKind = (def.keyType as ZodTypeAny)._def.typeName as ZodFirstPartyTypeKind;
      if (keyKind !== ZodFirstPartyTypeKind.ZodString) return zod;
      const element = projection(def.valueType as ZodTypeAny);
      return (value) => {
        if (!isPlainObject(value)) return schema.parse(value);
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) out[key] = element(value[key]);
        return out;
      };
    }
    case ZodFirstPartyTypeKind.ZodObject: {
      const catchall = (def.catchall as ZodTypeAny)._def.typeName as ZodFirstPartyTypeKind;
      if (def.unknownKeys !== 'strip' || catchall !== ZodFirstPartyTypeKind.ZodNever) return zod;
      const shape = (def.shape as () => Record<string, ZodTypeAny>)();
      const fields = Object.entries(shape).map(([key, field]) => ({ key, project: projection(field) }));
      return (value) => {
        if (!isPlainObject(value)) return schema.parse(value);
        const out: Record<string, unknown> = {};
        for (const { key, project } of fields) {
          // As zod: a key is set when its value is defined, or when the body has the key.
          const v = project(value[key]);
          if (v !== undefined || key in value) out[key] = v;
        }
        return out;
      };
    }
    case ZodFirstPartyTypeKind.ZodUnion: {
      // `X | null` (orNull): null is null whichever option zod tried first; anything else is X's.
      const options = def.options as readonly ZodTypeAny[];
      const isNull = (o: ZodTypeAny) => o._def.typeName === ZodFirstPartyTypeKind.ZodNull;
      const others = options.filter((o) => !isNull(o));
      if (options.length !== 2 || others.length !== 1) return zod;
      const inner = projection(others[0]!);
      return (value) => (value === null ? null : inner(value));
    }
    default:
      // Effects (transforms, refinements), other unions, tuples, lazy, branded, pipelines …: zod's own.
      return zod;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let checkProjection = false;

/**
 * With `on`, every projection is compared with zod's own parse of the same body, and a difference
 * is an error showing both (a 500 in a reply). The API's test harness turns it on for every
 * suite, and pricing threads started while it is on check theirs too; it doubles the cost of a
 * reply, so nothing else does.
 */
export function checkProjections(on: boolean): void {
  checkProjection = on;
}

/** Whether {@link checkProjections} is on (a pricing thread starts with the same setting). */
export function projectionsChecked(): boolean {
  return checkProjection;
}

/** `body` cut down to `schema` by its {@link projection} (checked against zod's parse when on). */
export function project(schema: ZodTypeAny, body: unknown): unknown {
  const projected = projection(schema)(body);
  if (checkProjection) {
    const parsed: unknown = schema.parse(body);
    if (!isDeepStrictEqual(projected, parsed)) {
      throw new Error(
        `response projection differs from zod's parse: ${JSON.stringify(projected)} vs ${JSON.stringify(parsed)}`,
      );
    }
  }
  return projected;
}

/** The JSON text of `body` cut down to `schema`: what a JSON reply of that schema sends. */
export function jsonText(schema: ZodTypeAny, body: unknown): string {
  return JSON.stringify(project(schema, body));
}
