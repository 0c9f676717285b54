import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import type { Logger } from '../logger.js'
import { handleError, handleNotFound } from './error-handler.js'
import type { RequestCtx } from './request-context.js'
import { securityHeaders, TLS_SERVER_OPTIONS } from './security-headers.js'

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestCtx
  }
}

export interface HttpAppOptions {
  log: Logger
  bodyLimit: number
  trustProxy: boolean
  https?: { key: string; cert: string }
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
    request.ctx = { authz: { checked: false }, ip: request.ip, log: request.log }
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
  // An empty body on a JSON request is an empty object, as Fleet's decoder treats it.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    const source = typeof text === 'string' ? text : text.toString('utf8')
    if (source.trim() === '') {
      done(null, {})
      return
    }
    try {
      done(null, JSON.parse(source))
    } catch (err) {
      done(err instanceof Error ? err : new SyntaxError('invalid JSON'), undefined)
    }
  })
  app.setErrorHandler(handleError)
  app.setNotFoundHandler(handleNotFound)
  return app
}
