// A request that passes a route's validation, built from the route's own OpenAPI
// description: path parameters, required query parameters and a JSON body. The permission
// matrix sends these so that every request reaches the access check — the hook runs after
// validation, and a 400 would hide the answer it gives.
import fc from 'fast-check';

type Schema = Record<string, unknown>;

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }>; required?: boolean };
  responses?: Record<string, unknown>;
  summary?: string;
}

function resolve(doc: OpenApiDoc, s: Schema): Schema {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  const name = ref.replace(/^#\/components\/schemas\//, '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolved $ref ${ref}`);
  return resolve(doc, target);
}

function sampleString(s: Schema): string {
  const min = typeof s.minLength === 'number' ? s.minLength : 1;
  const max = typeof s.maxLength === 'number' ? s.maxLength : Math.max(min, 12);
  switch (s.format) {
    case 'date':
      return '2025-06-30';
    case 'date-time':
      return '2025-06-30T08:00:00.000Z';
    case 'email':
      return 'someone@example.com';
    case 'uri':
      return 'https://example.com/';
  }
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern);
    // A fixed seed: the same request on every run.
    const found = fc.sample(fc.stringMatching(re), { numRuns: 200, seed: 42 }).find((v) => v.length >= min && v.length <= max);
    if (found !== undefined) return found;
    throw new Error(`no sample for pattern ${s.pattern} within ${min}..${max} characters`);
  }
  // Digits: ids of every kind are numeric here, and a number that names nothing gives a 404.
  return '9'.repeat(Math.min(Math.max(min, 6), max));
}

/** A value that satisfies the schema (JSON Schema as @fastify/swagger writes it into OpenAPI 3.0). */
export function sample(doc: OpenApiDoc, schema: Schema | undefined): unknown {
  if (!schema) return undefined;
  const s = resolve(doc, schema);
  if ('default' in s) return s.default;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  for (const k of ['anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) return sample(doc, (s[k] as Schema[])[0]);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...(s.allOf as Schema[]).map((x) => sample(doc, x)));
  switch (s.type) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : 1;
      return s.type === 'integer' ? Math.ceil(min) : min;
    }
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array': {
      const n = typeof s.minItems === 'number' ? s.minItems : 0;
      const item = s.items as Schema | undefined;
      const base = Array.from({ length: n }, () => sample(doc, item));
      // uniqueItems with a minimum: vary the samples.
      return s.uniqueItems && n > 1 ? base.map((v, i) => (typeof v === 'string' ? `${v}${i}` : typeof v === 'number' ? v + i : v)) : base;
    }
    default: {
      if (s.type !== 'object' && !s.properties) return {};
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      return Object.fromEntries(required.map((k) => [k, sample(doc, props[k] ?? {})]));
    }
  }
}

export interface SampleRequest {
  url: string;
  query: Record<string, string>;
  payload?: unknown;
}

/**
 * Fills a Fastify route URL (/items/:id) from the operation of its OpenAPI path (/items/{id});
 * `fixed` gives chosen values for some path parameters (an existing item's id).
 */
export function sampleRequest(doc: OpenApiDoc, method: string, routeUrl: string, fixed: Record<string, string> = {}): SampleRequest {
  const oasPath = routeUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  const op = doc.paths[oasPath]?.[method.toLowerCase()];
  const params = op?.parameters ?? [];
  const url = routeUrl.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    if (name in fixed) return encodeURIComponent(fixed[name]);
    const p = params.find((x) => x.in === 'path' && x.name === name);
    return encodeURIComponent(String(p?.schema ? sample(doc, p.schema) : '999999'));
  });
  const query: Record<string, string> = {};
  for (const p of params) if (p.in === 'query' && p.required) query[p.name] = String(sample(doc, p.schema));
  const json = op?.requestBody?.content?.['application/json']?.schema;
  return { url, query, ...(json ? { payload: sample(doc, json) } : {}) };
}
