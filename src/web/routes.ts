import type { FastifyInstance } from 'fastify';

// Until the browser client lands, `/` tells a visitor where things are.
const PLACEHOLDER_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>live-leaderboard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1c1c28}code{background:#eef;padding:0 .25em}</style>
</head>
<body>
<h1>live-leaderboard</h1>
<p>The server is running. The live browser client is on its way; meanwhile the API is documented at <a href="/docs">/docs</a>
(<a href="/openapi.json">OpenAPI document</a>).</p>
<p>Health: <a href="/healthz"><code>/healthz</code></a> · readiness: <a href="/readyz"><code>/readyz</code></a> · metrics: <a href="/metrics"><code>/metrics</code></a></p>
</body>
</html>
`;

/** `GET /`: the browser client. */
export function registerWebClient(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.type('text/html; charset=utf-8').send(PLACEHOLDER_PAGE));
}
