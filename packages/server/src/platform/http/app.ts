import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify'
import { randomUUID } from 'node:crypto'
import type { Authorizer } from '../authz/index.js'
import type { Logger } from '../logger.js'
import { handleError, handleNotFound } from './error-handler.js'
import { InvalidArgumentError } from '../errors/index.js'
import { exceedsJsonDepth, MAX_JSON_DEPTH, truncateJsonDepth } from './json-depth.js'
import type { RequestCtx } from './request-context.js'
import { securityHeaders, TLS_SERVER_OPTIONS } from './security-headers.js'
import { multipartBodyParser } from './multipart-form.js'

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestCtx
  }
}

export interface HttpAppOptions {
  log: Logger
  /** Decides every request's `authorize` calls (the features' rules, composed by the server). */
  authorizer: Authorizer
  bodyLimit: number
  trustProxy: boolean
  https?: { key: string; cert: string }
}

/**
 * JSON bodies. An empty body is an empty object, as Fleet's decoder treats it. A body nested
 * deeper than {@link MAX_JSON_DEPTH} is a 400 on the REST API; on agent routes (osquery's error
 * shape) the too-deep parts are replaced and the request goes on, logged once, because an agent
 * re-sends a refused body forever and would hold back everything behind it.
 */
function parseJsonBody(
  request: FastifyRequest,
  text: string | Buffer,
  done: (err: Error | null, body?: unknown) => void,
): void {
  const source = typeof text === 'string' ? text : text.toString('utf8')
  if (source.trim() === '') {
    done(null, {})
    return
  }
  let body: unknown
  try {
    body = JSON.parse(source)
  } catch (err) {
    done(err instanceof Error ? err : new SyntaxError('invalid JSON'), undefined)
    return
  }
  if (!exceedsJsonDepth(source)) {
    done(null, body)
    return
  }
  if (request.routeOptions.config.errorShape !== 'osquery') {
    done(InvalidArgumentError.field('body', `nested deeper than ${MAX_JSON_DEPTH} levels`))
    return
  }
  request.log.warn(
    { url: request.routeOptions.url, maxDepth: MAX_JSON_DEPTH },
    'agent request body nested too deeply; deeper values replaced',
  )
  done(null, truncateJsonDepth(body))
}

/**
 * The fastify app with Fleet's error shape, per-request context and logging, and no routes.
 * Features add routes with `registerEndpoint`.
 */
export function createHttpApp(options: HttpAppOptions): FastifyInstance {
  const loggerInstance: FastifyBaseLogger = options.log
  const app = Fastify({
    loggerInstance,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    ...(options.https
      ? { https: { key: options.https.key, cert: options.https.cert, ...TLS_SERVER_OPTIONS } }
      : {}),
  })
  app.decorateRequest('ctx', undefined as unknown as RequestCtx)
  const headers = securityHeaders({ tls: options.https !== undefined })
  app.addHook('onRequest', (request, reply, done) => {
    request.ctx = {
      authz: { authorizer: options.authorizer, checked: false },
      ip: request.ip,
      log: request.log,
    }
    reply.headers(request.url.startsWith('/api/') ? headers.api : headers.all)
    done()
  })
  // Per-request log lines cost on the check-in hot path, so the hook exists only at debug level.
  if (options.log.isLevelEnabled('debug')) {
    app.addHook('onResponse', (request, reply, done) => {
      request.log.debug(
        {
          method: request.method,
          url: request.routeOptions.url,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        'request',
      )
      done()
    })
  }
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody)
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, multipartBodyParser)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(handleNotFound)
  return app
}
