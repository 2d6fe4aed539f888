'use strict';
// autocannon's setupRequest for the score benchmark. It runs inside autocannon's worker
// thread, which can only `require` a file, hence CommonJS. Each request acts as the next
// benchmark user with a fresh idempotency key, so every request is a new action.
const { threadId } = require('node:worker_threads');

const tokens = JSON.parse(process.env.BENCH_TOKENS ?? '[]');
const run = Math.random().toString(36).slice(2, 8);
let sent = 0;

module.exports = function setupRequest(request) {
  sent += 1;
  request.headers = {
    ...request.headers,
    'content-type': 'application/json',
    authorization: `Bearer ${tokens[sent % tokens.length]}`,
  };
  request.body = JSON.stringify({ type: 'click', idempotencyKey: `b${run}-t${threadId}-${sent}` });
  return request;
};
