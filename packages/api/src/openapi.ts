import { z } from 'zod'
import { endpointPaths, type Endpoint } from './contract.js'
import { ErrorBody } from './errors.js'

type JsonSchema = Record<string, unknown>

/** Named schemas (zod `.meta({ id })`) hoisted into `components.schemas`, shared across operations. */
type Components = Record<string, JsonSchema>

function rewriteRefs(value: unknown, rename: (id: string) => string): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => rewriteRefs(item, rename))
  }
  if (typeof value !== 'object' || value === null) {
    return value
  }
  const result: JsonSchema = {}
  for (const [key, child] of Object.entries(value)) {
    result[key] =
      key === '$ref' && typeof child === 'string' && child.startsWith('#/$defs/')
        ? `#/components/schemas/${rename(child.slice('#/$defs/'.length))}`
        : rewriteRefs(child, rename)
  }
  return result
}

function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Components): JsonSchema {
  const json: JsonSchema = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
    reused: 'inline',
  })
  // Request and response forms of one named schema can differ (defaults, transforms).
  const rename = (id: string) => (io === 'input' ? `${id}Input` : id)
  const defs = (json.$defs ?? {}) as Record<string, JsonSchema>
  delete json.$defs
  delete json.$schema
  for (const [id, def] of Object.entries(defs)) {
    components[rename(id)] = rewriteRefs(def, rename) as JsonSchema
  }
  return rewriteRefs(json, rename) as JsonSchema
}

/** `/teams/:id/users` → `/teams/{id}/users` */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, '{$1}')
}

function parameters(endpoint: Endpoint, components: Components): JsonSchema[] {
  const result: JsonSchema[] = []
  for (const [where, schema] of [
    ['path', endpoint.params],
    ['query', endpoint.query],
  ] as const) {
    if (!schema) {
      continue
    }
    const json = toSchema(schema, 'input', components)
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>
    const required = new Set((json.required ?? []) as string[])
    for (const [name, property] of Object.entries(properties)) {
      result.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        schema: property,
      })
    }
  }
  return result
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

function operation(endpoint: Endpoint, components: Components): JsonSchema {
  const op: JsonSchema = {
    operationId: `${endpoint.method.toLowerCase()}${openApiPath(endpoint.path).replace(/[^A-Za-z0-9]+/g, '_')}`,
    summary: endpoint.summary,
    tags: [endpoint.tag],
    parameters: parameters(endpoint, components),
    responses: {
      [String(endpoint.status ?? 200)]: {
        description: 'Success',
        content: {
          [endpoint.produces ?? 'application/json']: {
            schema: toSchema(endpoint.response, 'output', components),
          },
        },
      },
      '400': errorResponse('Bad request: the named field is missing or malformed'),
      ...(endpoint.auth === 'user'
        ? {
            '401': errorResponse('Authentication required or failed'),
            '403': errorResponse('Forbidden for this user'),
          }
        : {}),
      '422': errorResponse('Validation failed'),
      '429': errorResponse('Rate limited; see the retry-after header'),
    },
  }
  if (endpoint.auth === 'public') {
    op.security = []
  }
  if (endpoint.body) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: toSchema(endpoint.body, 'input', components) } },
    }
  }
  return op
}

/**
 * Builds the OpenAPI 3.1 document of the REST API from the same zod schemas that validate
 * requests. Paths are documented under `/api/latest/...`; `/api/v1/...` answers identically.
 */
export function buildOpenApi(endpoints: readonly Endpoint[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {}
  const components: Components = {}
  toSchema(ErrorBody, 'output', components)
  for (const endpoint of endpoints) {
    const [canonical] = endpointPaths(endpoint)
    const key = openApiPath(canonical ?? endpoint.path)
    paths[key] ??= {}
    paths[key][endpoint.method.toLowerCase()] = operation(endpoint, components)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Fleet REST API',
      version,
      description:
        'Fleet-compatible REST API. Authenticate with `Authorization: Bearer <token>` from `POST /api/latest/fleet/login`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries(
        Object.entries(components).sort(([a], [b]) => a.localeCompare(b)),
      ),
    },
    paths,
  }
}
