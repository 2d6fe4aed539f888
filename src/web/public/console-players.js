// @ts-check
/** @typedef {import('@live-leaderboard/client').AdminUser} AdminUser */
/** @typedef {import('./console.js').Operator} Operator */
/** @typedef {import('./console.js').Section} Section */
import { $, formatTime, h, setText, syncRows } from './console-dom.js';

/** What the server accepts as the start of a username. */
const QUERY = /^[A-Za-z0-9_-]{1,32}$/;
const RESULTS = 20;
/** Typing pauses this long before the search goes out. */
const SEARCH_DELAY_MS = 200;

/**
 * Players: search by the start of a username, ban and unban.
 * @param {Operator} operator
 * @returns {Section}
 */
export function playersSection(operator) {
  const input = /** @type {HTMLInputElement} */ ($('[data-testid="admin-user-search"]'));
  const list = $('#users');
  const empty = $('#users-empty');
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;

  const section = {
    async load() {
      const query = input.value.trim();
      if (query === '') return () => show(query, [], 'Type the start of a username to find a player.');
      if (!QUERY.test(query)) return () => show(query, [], 'Usernames have only letters, digits, _ and -.');
      const users = await operator.client.admin.searchUsers(query, RESULTS);
      return () => show(query, users, users.length === 0 ? `No player’s name starts with “${query}”.` : '');
    },
    clear() {
      clearTimeout(typing);
      input.value = '';
      list.replaceChildren();
      empty.textContent = '';
    },
  };

  input.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => void operator.reload(section, 'search'), SEARCH_DELAY_MS);
  });

  /**
   * @param {string} query what was searched: an answer to an older search is not shown
   * @param {AdminUser[]} users
   * @param {string} message
   */
  function show(query, users, message) {
    if (query !== input.value.trim()) return;
    empty.textContent = message;
    syncRows(list, users, { key: (user) => user.id, create: createRow, update: updateRow });
  }

  /** @param {AdminUser} user */
  function createRow(user) {
    const ban = h('button', { className: 'btn btn-danger btn-small', testId: 'admin-ban', text: 'Ban', attributes: { type: 'button' } });
    const unban = h('button', { className: 'btn btn-secondary btn-small', testId: 'admin-unban', text: 'Unban', attributes: { type: 'button' } });
    ban.addEventListener('click', () => void operator.act(ban, 'ban', () => operator.client.admin.ban(user.id)));
    unban.addEventListener('click', () => void operator.act(unban, 'ban', () => operator.client.admin.unban(user.id)));
    return h(
      'li',
      { className: 'console-row', testId: 'admin-user-row', data: { userId: user.id } },
      h('div', { className: 'console-row-main' }, h('span', { className: 'console-name user-name' }), h('span', { className: 'pill user-state' })),
      h('p', { className: 'console-meta' }, h('span', { className: 'mono user-id' }), ' · joined ', h('span', { className: 'user-joined' })),
      h('div', { className: 'console-row-buttons' }, ban, unban),
    );
  }

  /**
   * @param {HTMLLIElement} row
   * @param {AdminUser} user
   */
  function updateRow(row, user) {
    row.dataset.banned = String(user.banned);
    setText(row, '.user-name', user.username);
    setText(row, '.user-state', user.banned ? 'Banned' : 'Active');
    /** @type {HTMLElement} */ (row.querySelector('.user-state')).dataset.tone = user.banned ? 'bad' : 'good';
    setText(row, '.user-id', user.id);
    setText(row, '.user-joined', formatTime(user.createdAt));
    /** @type {HTMLButtonElement} */ (row.querySelector('[data-testid="admin-ban"]')).hidden = user.banned;
    /** @type {HTMLButtonElement} */ (row.querySelector('[data-testid="admin-unban"]')).hidden = !user.banned;
  }

  return section;
}
