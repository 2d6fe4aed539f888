// @ts-check
/** @typedef {import('@live-leaderboard/client').LeaderboardError} LeaderboardError */

/**
 * What the operator was doing when a call failed: it sharpens the message.
 * @typedef {'login' | 'session' | 'load' | 'search' | 'ban' | 'review' | 'credential' | 'revoke' | 'export'} Doing
 */

/** What a non-admin sees instead of the console. */
export const REFUSAL = 'This account is not an operator: only the accounts named in ADMIN_USERS can use the console.';

/**
 * A failed call in an operator's words: one message per problem+json `code` (docs/API.md
 * "Errors"), never the server's own `detail` (kept for logs).
 * @param {LeaderboardError} error
 * @param {Doing} doing
 * @returns {string}
 */
export function describeProblem(error, doing) {
  const wait = error.retryAfterSeconds === undefined ? '' : ` Try again in ${error.retryAfterSeconds}s.`;
  switch (error.code) {
    case 'invalid_request':
      if (doing === 'login') return 'Usernames are 3–32 letters, digits, _ or -, and passwords 8–128 characters.';
      if (doing === 'search') return 'Search by the start of a username: letters, digits, _ or - only.';
      if (doing === 'credential') return 'Credential names are 1–40 lowercase letters, digits or -.';
      return 'The server could not accept that request. Reload the page and try again.';
    case 'unauthorized':
      return doing === 'login' ? 'Wrong username or password.' : 'Your session has ended. Log in again.';
    case 'token_expired':
      return 'Your session expired. Log in again.';
    case 'forbidden':
      return REFUSAL;
    case 'not_found':
      if (doing === 'ban') return 'That player no longer exists.';
      if (doing === 'review') return 'That action is no longer in the review queue.';
      if (doing === 'revoke') return 'That credential was already revoked.';
      if (doing === 'export') return 'That board does not exist any more.';
      return 'Not found. Reload the page and try again.';
    case 'conflict':
      if (doing === 'credential') return 'A credential with that name exists already. Pick another name.';
      if (doing === 'review') return 'That action has already been decided, perhaps by another operator.';
      return 'That was already done.';
    case 'rate_limited':
      return `Too many requests.${wait}`;
    case 'payload_too_large':
      return 'That request was too large.';
    case 'unavailable':
      return `The server is busy or restarting.${wait || ' Try again in a moment.'}`;
    case 'network':
      return 'Cannot reach the server. The console keeps trying.';
    default:
      return 'Something went wrong on the server. Please try again.';
  }
}
