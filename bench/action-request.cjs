'use strict';
// autocannon's setupRequest for the score benchmark. It runs inside autocannon's worker
// thread, which can only `require` a file, hence CommonJS. Each request is a click with a
// fresh idempotency key, so every request is a new action, sent with the next bearer in turn
// and, on the game-server route, for the next user in turn (`userId` in the body). Who sends
// comes in a file named by BENCH_SENDERS_FILE, `{ "bearers": [...], "userIds"?: [...] }`:
// thousands of tokens would not fit in one environment variable, and every child process
// forked later would inherit them.
const fs = require('node:fs');
const { threadId } = require('node:worker_threads');

const { bearers, userIds } = JSON.parse(fs.readFileSync(process.env.BENCH_SENDERS_FILE ?? '', 'utf8'));
const run = Math.random().toString(36).slice(2, 8);
let sent = 0;

module.exports = function setupRequest(request) {
  sent += 1;
  request.headers = {
    ...request.headers,
    'content-type': 'application/json',
    authorization: `Bearer ${bearers[sent % bearers.length]}`,
  };
  const idempotencyKey = `b${run}-t${threadId}-${sent}`;
  request.body = JSON.stringify(userIds ? { userId: userIds[sent % userIds.length], type: 'click', idempotencyKey } : { type: 'click', idempotencyKey });
  return request;
};
