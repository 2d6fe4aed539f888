// @ts-check
/** @typedef {import('@live-leaderboard/client').ReviewPage['held'][number]} HeldAction */
/** @typedef {import('./console.js').Operator} Operator */
/** @typedef {import('./console.js').Section} Section */
import { $, formatTime, h, setText, syncRows } from './console-dom.js';
import { formatValue } from './format.js';

const SHOWN = 50;

/**
 * The review queue: game-server results held above their review threshold, oldest first.
 * @param {Operator} operator
 * @returns {Section}
 */
export function reviewSection(operator) {
  const list = $('#review');
  const empty = $('#review-empty');
  const count = $('#review-count');

  /** @param {HeldAction} held */
  function createRow(held) {
    const id = held.action.id;
    const approve = h('button', { className: 'btn btn-good btn-small', testId: 'admin-approve', text: 'Approve', attributes: { type: 'button' } });
    const reject = h('button', { className: 'btn btn-danger btn-small', testId: 'admin-reject', text: 'Reject', attributes: { type: 'button' } });
    approve.addEventListener('click', () => void operator.act(approve, 'review', () => operator.client.admin.approve(id)));
    reject.addEventListener('click', () => void operator.act(reject, 'review', () => operator.client.admin.reject(id)));
    return h(
      'li',
      { className: 'console-row', testId: 'admin-review-row', data: { actionId: id } },
      h('div', { className: 'console-row-main' }, h('span', { className: 'console-name review-user' }), h('span', { className: 'pill review-type' })),
      h('p', { className: 'review-values' }),
      h('p', { className: 'console-meta review-reason' }),
      h('p', { className: 'console-meta' }, 'Submitted ', h('span', { className: 'review-at' }), ' · action ', h('span', { className: 'mono review-id' })),
      h('div', { className: 'console-row-buttons' }, approve, reject),
    );
  }

  return {
    async load() {
      const page = await operator.client.admin.heldActions({ limit: SHOWN });
      return () => {
        count.textContent = page.total === 0 ? '' : String(page.total);
        empty.textContent = page.total === 0 ? 'Nothing waits for review.' : page.total > page.held.length ? `The oldest ${page.held.length} of ${page.total} are shown.` : '';
        syncRows(list, page.held, { key: (held) => held.action.id, create: createRow, update: updateRow });
      };
    },
    clear() {
      list.replaceChildren();
      empty.textContent = '';
      count.textContent = '';
    },
  };
}

/**
 * @param {HTMLLIElement} row
 * @param {HeldAction} held
 */
function updateRow(row, held) {
  row.dataset.userId = held.userId;
  setText(row, '.review-user', held.username);
  setText(row, '.review-type', held.action.type);
  const values = Object.entries(held.action.values).map(([metric, value]) => `${metric} ${formatValue(value, metric)}`);
  setText(row, '.review-values', values.join(' · '));
  setText(row, '.review-reason', held.reason);
  setText(row, '.review-at', formatTime(held.action.at));
  setText(row, '.review-id', held.action.id);
}
