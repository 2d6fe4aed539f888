'use strict';
// autocannon's setupRequest for the score benchmark. It runs inside autocannon's worker
// thread, which can only `require` a file, hence CommonJS. Each request acts as the next
// benchmark user with a fresh idempotency key, so every request is a new action. The tokens
// come in a file named by BENCH_TOKENS_FILE: thousands of them would not fit in one
// environment variable, and every child process forked later would inherit them.
const fs = require('node:fs');
const { threadId } = require('node:worker_threads');

const tokens = JSON.parse(fs.readFileSync(process.env.BENCH_TOKENS_FILE ?? '', 'utf8'));
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
