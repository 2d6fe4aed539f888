// @ts-check
/** @typedef {import('@live-leaderboard/client').LeaderboardError} LeaderboardError */
import { actionLabel, formatDuration } from './format.js';

/**
 * What went wrong, in words a player understands: one message per problem+json `code`
 * (docs/API.md "Errors"), sharpened by what the player was doing.
 * @param {LeaderboardError} error
 * @param {{ doing: 'login' | 'register' | 'session' | 'action' | 'load', action?: string }} context
 * @returns {string}
 */
export function describeError(error, { doing, action }) {
  const name = action ? actionLabel(action) : 'That action';
  const wait = error.retryAfterSeconds === undefined ? '' : formatDuration(error.retryAfterSeconds * 1000);
  switch (error.code) {
    case 'invalid_request':
      if (doing === 'register' || doing === 'login') {
        return 'Usernames are 3–32 letters, digits, _ or -, and passwords 8–128 characters.';
      }
      return 'The server could not accept that request. Reload the page and try again.';
    case 'unauthorized':
      if (doing === 'login') return 'Wrong username or password.';
      return 'Your session has ended. Log in again to keep playing.';
    case 'token_expired':
      return 'Your session expired. Log in again to keep playing.';
    case 'forbidden':
      return 'This account has been suspended and cannot score.';
    case 'not_found':
      return doing === 'load' ? 'That board does not exist any more.' : 'Not found. Reload the page and try again.';
    case 'conflict':
      return 'That username is taken. Pick another one.';
    case 'unknown_action':
      return `${name} is no longer available. Reload the page for the current actions.`;
    case 'ticket_required':
    case 'ticket_invalid':
      return `${name} could not be completed: its ticket is not valid. Start it again.`;
    case 'ticket_used':
      return `${name} was already completed.`;
    case 'too_fast':
      return `${name} finished too early. Let it run its full time.`;
    case 'too_slow':
      return `${name} took too long and expired. Start it again.`;
    case 'cooldown':
      return wait ? `${name} is cooling down. Ready again in ${wait}.` : `${name} is cooling down.`;
    case 'daily_cap':
      return wait ? `You have used ${name} as often as allowed today. Back in ${wait}.` : `You have used ${name} as often as allowed today.`;
    case 'rate_limited':
      return wait ? `Whoa, slow down! Try again in ${wait}.` : 'Whoa, slow down!';
    case 'payload_too_large':
      return 'That request was too large.';
    case 'unavailable':
      return 'The server is busy or restarting. Try again in a moment.';
    case 'network':
      return 'Cannot reach the server. Check your connection; we will keep trying.';
    default:
      return 'Something went wrong on our side. Please try again.';
  }
}
