// @ts-check
/** @typedef {import('@live-leaderboard/client').DeliveryPage['deliveries'][number]} Delivery */
/** @typedef {import('./console.js').Operator} Operator */
/** @typedef {import('./console.js').Section} Section */
import { $, formatTime, h, setText, syncRows } from './console-dom.js';

const SHOWN = 50;
const TONES = { delivered: 'good', pending: 'warn', failed: 'bad' };

/**
 * Webhook deliveries, newest first: what went where, and why a failure failed.
 * @param {Operator} operator
 * @returns {Section}
 */
export function webhooksSection(operator) {
  const list = $('#webhooks');
  const empty = $('#webhooks-empty');
  return {
    async load() {
      const { deliveries } = await operator.client.admin.webhookDeliveries({ limit: SHOWN });
      return () => {
        empty.textContent = deliveries.length === 0 ? 'No webhook has been sent (WEBHOOK_URLS names the receivers).' : '';
        // One event goes to every receiver under the same id: the row is the pair.
        syncRows(list, deliveries, { key: (delivery) => `${delivery.id} ${delivery.url}`, create: createRow, update: updateRow });
      };
    },
    clear() {
      list.replaceChildren();
      empty.textContent = '';
    },
  };
}

function createRow() {
  return h(
    'li',
    { className: 'console-row', testId: 'admin-webhook-row' },
    h('div', { className: 'console-row-main' }, h('span', { className: 'console-name webhook-type' }), h('span', { className: 'pill webhook-status' })),
    h('p', { className: 'console-meta mono webhook-url' }),
    h('p', { className: 'console-meta' }, h('span', { className: 'webhook-attempts' }), ' · created ', h('span', { className: 'webhook-created' }), h('span', { className: 'webhook-delivered' })),
    h('p', { className: 'console-problem webhook-error' }),
  );
}

/**
 * @param {HTMLLIElement} row
 * @param {Delivery} delivery
 */
function updateRow(row, delivery) {
  row.dataset.status = delivery.status;
  row.dataset.webhookId = delivery.id;
  setText(row, '.webhook-type', delivery.type);
  setText(row, '.webhook-status', delivery.status);
  /** @type {HTMLElement} */ (row.querySelector('.webhook-status')).dataset.tone = TONES[delivery.status];
  setText(row, '.webhook-url', delivery.url);
  setText(row, '.webhook-attempts', delivery.attempts === 0 ? 'not sent yet' : delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`);
  setText(row, '.webhook-created', formatTime(delivery.createdAt));
  setText(row, '.webhook-delivered', delivery.deliveredAt ? ` · delivered ${formatTime(delivery.deliveredAt)}` : '');
  const error = /** @type {HTMLElement} */ (row.querySelector('.webhook-error'));
  error.hidden = !delivery.lastError;
  setText(row, '.webhook-error', delivery.lastError ? `${delivery.status === 'delivered' ? 'Earlier error' : 'Last error'}: ${delivery.lastError}` : '');
}
