// @ts-check
/** @typedef {import('@live-leaderboard/client').ActionType} ActionType */
/** @typedef {import('@live-leaderboard/client').LeaderboardClient['actions']} Actions */
/** @typedef {import('@live-leaderboard/client').Receipt} Receipt */
import { LeaderboardError, newIdempotencyKey } from '@live-leaderboard/client';
import { ICONS, actionLabel, formatDuration, formatScore, icon } from './format.js';

/** Completion is sent this long after the minimum duration, so clock granularity never makes it `too_fast`. */
const COMPLETION_MARGIN_MS = 150;
/** How often a network failure is retried with the same idempotency key before giving up. */
const SUBMIT_RETRIES = 2;

/**
 * @typedef {object} ActionState
 * @property {ActionType} action
 * @property {HTMLButtonElement} button
 * @property {HTMLElement} status
 * @property {HTMLElement} progress
 * @property {HTMLElement} bar
 * @property {number} inFlight requests not yet answered
 * @property {number} runningUntil a timed action's earliest completion (performance.now()), 0 when idle
 * @property {number} runningFrom
 * @property {number} blockedUntil cooldown or daily cap (Date.now()), 0 when free
 * @property {'cooldown' | 'daily_cap' | undefined} blockedBy
 * @property {{ day: string, count: number }} usedToday for dailyCap, as far as this page has seen
 */

/**
 * A button per catalog action. A timed action fetches a ticket, shows its progress, and
 * completes itself once its minimum duration has passed; cooldowns and daily caps show on the
 * button as a countdown.
 */
export class ActionPanel {
  /** @type {Map<string, ActionState>} */
  #states = new Map();
  #enabled = false;
  /** @type {ReturnType<typeof setInterval> | undefined} */
  #ticker;

  /**
   * @param {{
   *   container: HTMLElement,
   *   actions: Actions,
   *   onScored: (receipt: Receipt) => void,
   *   onError: (error: LeaderboardError, action: string) => void,
   *   onStart: () => void,
   * }} options
   */
  constructor(options) {
    this.options = options;
  }

  /** @param {ActionType[]} actions */
  setActions(actions) {
    this.#states.clear();
    // A game server's actions are submitted by the game server, never from the page.
    const cards = actions.filter((action) => action.mode !== 'server').map((action) => this.#createCard(action));
    this.options.container.replaceChildren(...cards);
    this.#refresh();
  }

  /** @param {boolean} enabled whether a player is logged in */
  setEnabled(enabled) {
    this.#enabled = enabled;
    if (!enabled) {
      for (const state of this.#states.values()) Object.assign(state, { blockedUntil: 0, blockedBy: undefined, usedToday: { day: '', count: 0 } });
    }
    this.#refresh();
  }

  /** @param {ActionType} action */
  #createCard(action) {
    const card = document.createElement('div');
    card.className = 'action-card';
    card.dataset.mode = action.mode;

    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'action-button';
    button.dataset.testid = `action-${action.type}`;
    const statusId = `action-status-${action.type}`;
    button.setAttribute('aria-describedby', statusId);

    const glyph = action.type.includes('click') ? ICONS.bolt : action.mode === 'timed' ? ICONS.flag : action.dailyCap ? ICONS.gift : ICONS.star;
    const name = document.createElement('span');
    name.className = 'action-name';
    name.textContent = actionLabel(action.type);
    const points = document.createElement('span');
    points.className = 'action-points';
    points.textContent = `+${formatScore(action.points ?? 0)}`;
    const status = document.createElement('span');
    status.className = 'action-status';
    status.id = statusId;
    button.append(icon(glyph, 'icon action-icon'), name, points, status);

    // Outside the button: a button's content is presentational to assistive technology.
    const progress = document.createElement('div');
    progress.className = 'action-progress';
    progress.setAttribute('role', 'progressbar');
    progress.setAttribute('aria-label', `${actionLabel(action.type)} progress`);
    progress.setAttribute('aria-valuemin', '0');
    progress.setAttribute('aria-valuemax', '100');
    progress.hidden = true;
    const bar = document.createElement('span');
    bar.className = 'action-progress-bar';
    progress.append(bar);

    card.append(button, progress);
    /** @type {ActionState} */
    const state = {
      action,
      button,
      status,
      progress,
      bar,
      inFlight: 0,
      runningUntil: 0,
      runningFrom: 0,
      blockedUntil: 0,
      blockedBy: undefined,
      usedToday: { day: '', count: 0 },
    };
    this.#states.set(action.type, state);
    button.addEventListener('click', () => void this.#perform(state));
    return card;
  }

  /** @param {ActionState} state */
  async #perform(state) {
    if (!this.#isReady(state)) return;
    this.options.onStart();
    const { action } = state;
    state.inFlight += 1;
    this.#refresh();
    try {
      let ticket;
      if (action.mode === 'timed') {
        ticket = await this.options.actions.start(action.type);
        await this.#run(state, action.minDurationMs ?? 0);
      }
      const receipt = await this.#submit(state, ticket);
      this.#celebrate(state, receipt.action.points);
      this.#countUse(state);
      if (action.cooldownMs > 0) this.#block(state, 'cooldown', action.cooldownMs);
      this.options.onScored(receipt);
    } catch (error) {
      if (!(error instanceof LeaderboardError)) throw error;
      if ((error.code === 'cooldown' || error.code === 'daily_cap') && error.retryAfterSeconds !== undefined) {
        this.#block(state, error.code, error.retryAfterSeconds * 1000);
      }
      this.options.onError(error, action.type);
    } finally {
      state.inFlight -= 1;
      state.runningUntil = 0;
      this.#refresh();
    }
  }

  /**
   * Sends the action with one fresh idempotency key; a retry reuses it, so an action that did
   * land is answered with its original receipt, never counted twice. The library retries lost
   * connections by itself; a `too_fast` (the server's clock ran a little behind ours) is retried
   * here: it spends nothing.
   * @param {ActionState} state
   * @param {import('@live-leaderboard/client').Ticket | undefined} ticket
   * @returns {Promise<Receipt>}
   */
  async #submit(state, ticket) {
    const idempotencyKey = newIdempotencyKey();
    for (let attempt = 0; ; attempt += 1) {
      try {
        return ticket ? await this.options.actions.complete(ticket, { idempotencyKey }) : await this.options.actions.submit(state.action.type, { idempotencyKey });
      } catch (error) {
        const retriable = error instanceof LeaderboardError && error.code === 'too_fast';
        if (!retriable || attempt >= SUBMIT_RETRIES) throw error;
        await sleep(500 * (attempt + 1));
      }
    }
  }

  /**
   * Shows the progress of a timed action until its minimum duration has passed.
   * @param {ActionState} state
   * @param {number} durationMs
   */
  async #run(state, durationMs) {
    state.runningFrom = performance.now();
    state.runningUntil = state.runningFrom + durationMs + COMPLETION_MARGIN_MS;
    state.progress.hidden = false;
    await new Promise((resolve) => {
      const frame = () => {
        this.#paintProgress(state);
        if (performance.now() >= state.runningUntil) resolve(undefined);
        else requestAnimationFrame(frame);
      };
      frame();
    });
  }

  /** @param {ActionState} state */
  #paintProgress(state) {
    const total = state.runningUntil - state.runningFrom;
    const done = Math.min(1, total <= 0 ? 1 : (performance.now() - state.runningFrom) / total);
    const percent = Math.round(done * 100);
    state.bar.style.setProperty('--progress', String(done));
    state.progress.setAttribute('aria-valuenow', String(percent));
    state.status.textContent = done < 1 ? `In progress… ${formatDuration(state.runningUntil - performance.now())}` : 'Completing…';
  }

  /** @param {ActionState} state */
  #countUse(state) {
    const { dailyCap } = state.action;
    if (!dailyCap) return;
    const day = new Date().toISOString().slice(0, 10);
    state.usedToday = { day, count: state.usedToday.day === day ? state.usedToday.count + 1 : 1 };
    if (state.usedToday.count >= dailyCap) this.#block(state, 'daily_cap', msUntilUtcMidnight());
  }

  /**
   * @param {ActionState} state
   * @param {'cooldown' | 'daily_cap'} reason
   * @param {number} ms
   */
  #block(state, reason, ms) {
    const until = Date.now() + ms;
    if (until <= state.blockedUntil) return;
    state.blockedUntil = until;
    state.blockedBy = reason;
    this.#refresh();
  }

  /**
   * A floating "+N" over the button.
   * @param {ActionState} state
   * @param {number} points
   */
  #celebrate(state, points) {
    const pop = document.createElement('span');
    pop.className = 'points-pop';
    pop.setAttribute('aria-hidden', 'true');
    pop.textContent = `+${formatScore(points)}`;
    state.button.parentElement?.append(pop);
    pop.addEventListener('animationend', () => pop.remove(), { once: true });
  }

  /** @param {ActionState} state */
  #isReady(state) {
    if (!this.#enabled || state.runningUntil > 0 || state.blockedUntil > Date.now()) return false;
    // Instant actions without rules may be mashed; anything with a rule waits for its answer.
    const free = state.action.mode === 'instant' && state.action.cooldownMs === 0 && !state.action.dailyCap;
    return free || state.inFlight === 0;
  }

  /** Re-labels every button; runs on each state change and once a second while a countdown shows. */
  #refresh() {
    let counting = false;
    for (const state of this.#states.values()) {
      const { action, button, status } = state;
      const now = Date.now();
      if (state.blockedUntil <= now) {
        state.blockedUntil = 0;
        state.blockedBy = undefined;
      }
      const ready = this.#isReady(state);
      button.setAttribute('aria-disabled', String(!ready));
      const card = /** @type {HTMLElement} */ (button.parentElement);
      card.dataset.state = !this.#enabled ? 'locked' : state.runningUntil > 0 ? 'running' : state.blockedUntil > 0 ? 'blocked' : ready ? 'ready' : 'busy';
      if (state.runningUntil === 0) state.progress.hidden = true;

      if (!this.#enabled) status.textContent = 'Log in to play';
      else if (state.runningUntil > 0) this.#paintProgress(state);
      else if (state.blockedUntil > 0) {
        counting = true;
        const left = formatDuration(state.blockedUntil - now);
        status.textContent = state.blockedBy === 'daily_cap' ? `Back in ${left}` : `Ready in ${left}`;
      } else status.textContent = describeRules(action);
    }
    if (counting && !this.#ticker) this.#ticker = setInterval(() => this.#refresh(), 1_000);
    if (!counting && this.#ticker) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
  }
}

/** @param {ActionType} action */
function describeRules(action) {
  const minMs = action.minDurationMs ?? 0;
  // "Takes 1.2s" rather than a rounded-up "2s": this is a promise about the wait, not a countdown.
  const takes = minMs < 10_000 && minMs % 1_000 !== 0 ? `${(minMs / 1_000).toFixed(1)}s` : formatDuration(minMs);
  const parts = [action.mode === 'timed' ? `Takes ${takes}` : 'Instant'];
  if (action.cooldownMs > 0) parts.push(`every ${formatDuration(action.cooldownMs)}`);
  if (action.dailyCap) parts.push(`${action.dailyCap}× a day`);
  return parts.join(' · ');
}

function msUntilUtcMidnight() {
  const now = new Date();
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime();
}

/** @param {number} ms */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
