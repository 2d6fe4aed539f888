// @ts-check
/** @typedef {import('@live-leaderboard/client').BoardEntry} BoardEntry */
import { formatValue, hueOf } from './format.js';

const MOVE_MS = 450;
const EASE_OUT = 'cubic-bezier(.2, .8, .2, 1)';
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');

/**
 * The live table: one `<tr>` per user, kept across updates so that rows that change place can
 * slide there (FLIP: measure First, apply the change, measure Last, Invert with a transform,
 * Play it back to zero) and a changed score flashes.
 */
export class LeaderboardTable {
  /** @type {Map<string, HTMLTableRowElement>} */
  #rows = new Map();
  /** @type {string | undefined} */
  #meId;

  /** @param {HTMLTableSectionElement} body */
  constructor(body) {
    this.body = body;
    /** The metric of the board shown: how its values are written. */
    this.metric = 'points';
  }

  /**
   * Marks the player's own row (undefined when logged out).
   * @param {string | undefined} userId
   */
  setMe(userId) {
    this.#meId = userId;
    for (const [id, row] of this.#rows) this.#markMe(row, id === userId);
  }

  /**
   * A message instead of rows: while loading, or when nobody has scored yet.
   * @param {string} text
   */
  showMessage(text) {
    this.#rows.clear();
    const row = document.createElement('tr');
    row.className = 'board-message';
    const cell = document.createElement('td');
    cell.colSpan = 3;
    cell.textContent = text;
    row.append(cell);
    this.body.replaceChildren(row);
  }

  /**
   * @param {BoardEntry[]} entries in rank order
   * @param {{ animate: boolean }} options animate moves (updates), or not (a fresh snapshot)
   */
  render(entries, { animate }) {
    if (entries.length === 0) {
      this.showMessage('No scores yet. Be the first on the board!');
      return;
    }
    /** @type {Map<string, number>} */
    const before = new Map();
    if (animate) for (const [id, row] of this.#rows) before.set(id, row.getBoundingClientRect().top);

    /** @type {Map<string, HTMLTableRowElement>} */
    const next = new Map();
    /** @type {{ row: HTMLTableRowElement, scored: boolean, climbed: number }[]} */
    const changes = [];
    for (const entry of entries) {
      const existing = this.#rows.get(entry.userId);
      const row = existing ?? this.#createRow(entry);
      const oldScore = Number(row.dataset.score);
      const oldRank = Number(row.dataset.rank);
      this.#fill(row, entry);
      next.set(entry.userId, row);
      changes.push({ row, scored: existing !== undefined && oldScore !== entry.score, climbed: existing ? oldRank - entry.rank : 0 });
    }
    this.body.replaceChildren(...next.values());
    this.#rows = next;

    if (!animate || reducedMotion.matches) return;
    for (const { row, scored, climbed } of changes) {
      const id = row.dataset.userId ?? '';
      const first = before.get(id);
      if (first === undefined) {
        row.animate([{ opacity: 0, transform: 'translateY(8px)' }, { opacity: 1, transform: 'none' }], { duration: 350, easing: EASE_OUT });
        continue;
      }
      const delta = first - row.getBoundingClientRect().top;
      if (delta !== 0) {
        row.animate([{ transform: `translateY(${delta}px)` }, { transform: 'none' }], { duration: MOVE_MS, easing: EASE_OUT });
      }
      if (scored) flash(row, 'scored');
      if (climbed !== 0) flash(row, climbed > 0 ? 'climbed' : 'dropped');
    }
  }

  /** @param {BoardEntry} entry */
  #createRow(entry) {
    const row = document.createElement('tr');
    row.dataset.testid = 'leaderboard-row';
    row.dataset.userId = entry.userId;

    const rank = document.createElement('td');
    rank.className = 'cell-rank';
    const badge = document.createElement('span');
    badge.className = 'rank-badge';
    const move = document.createElement('span');
    move.className = 'rank-move';
    move.setAttribute('aria-hidden', 'true');
    rank.append(badge, move);

    const player = document.createElement('th');
    player.scope = 'row';
    player.className = 'cell-player';
    const avatar = document.createElement('span');
    avatar.className = 'avatar';
    avatar.setAttribute('aria-hidden', 'true');
    avatar.style.setProperty('--hue', String(hueOf(entry.userId)));
    avatar.textContent = entry.username.charAt(0).toUpperCase();
    const name = document.createElement('span');
    name.className = 'player-name';
    name.textContent = entry.username;
    const you = document.createElement('span');
    you.className = 'you-tag';
    you.textContent = 'You';
    player.append(avatar, name, you);

    const score = document.createElement('td');
    score.className = 'cell-score';

    row.append(rank, player, score);
    this.#markMe(row, entry.userId === this.#meId);
    return row;
  }

  /**
   * @param {HTMLTableRowElement} row
   * @param {BoardEntry} entry
   */
  #fill(row, entry) {
    row.dataset.rank = String(entry.rank);
    row.dataset.score = String(entry.score);
    row.classList.toggle('podium', entry.rank <= 3);
    const badge = /** @type {HTMLElement} */ (row.querySelector('.rank-badge'));
    badge.textContent = String(entry.rank);
    badge.dataset.place = entry.rank <= 3 ? String(entry.rank) : '';
    const score = /** @type {HTMLElement} */ (row.querySelector('.cell-score'));
    score.textContent = formatValue(entry.score, this.metric);
  }

  /**
   * @param {HTMLTableRowElement} row
   * @param {boolean} isMe
   */
  #markMe(row, isMe) {
    row.classList.toggle('is-me', isMe);
    if (isMe) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
}

/**
 * Replays a short CSS animation on the row (styles.css: the class and its keyframes share the name).
 * @param {HTMLElement} row
 * @param {'scored' | 'climbed' | 'dropped'} kind
 */
function flash(row, kind) {
  row.classList.remove(kind);
  void row.offsetWidth; // restart the animation if it is still running
  row.classList.add(kind);
  /** @param {AnimationEvent} event */
  const done = (event) => {
    if (event.animationName !== kind) return;
    row.classList.remove(kind);
    row.removeEventListener('animationend', done);
  };
  row.addEventListener('animationend', done);
}
