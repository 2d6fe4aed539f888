// @ts-check
/** @typedef {import('@live-leaderboard/client').AuditPage['entries'][number]} AuditEntry */
/** @typedef {import('./console.js').Operator} Operator */
/** @typedef {import('./console.js').Section} Section */
import { $, formatTime, h, setText, syncRows } from './console-dom.js';

const SHOWN = 50;

/**
 * The audit log, newest first: bans, reviews, credentials, refused actions.
 * @param {Operator} operator
 * @returns {Section}
 */
export function auditSection(operator) {
  const body = $('#audit');
  const empty = $('#audit-empty');
  return {
    async load() {
      const { entries } = await operator.client.admin.audit({ limit: SHOWN });
      return () => {
        empty.textContent = entries.length === 0 ? 'Nothing yet.' : '';
        syncRows(body, entries, { key: (entry) => entry.id, create: createRow, update: updateRow });
      };
    },
    clear() {
      body.replaceChildren();
      empty.textContent = '';
    },
  };
}

/** @param {string} label */
const cell = (label, className = '') => h('td', { className, data: { label } });

function createRow() {
  return h(
    'tr',
    { testId: 'admin-audit-row' },
    cell('When', 'audit-at nowrap'),
    cell('Event', 'audit-event'),
    cell('Player', 'audit-user mono'),
    cell('Action', 'audit-action cell-long'),
    cell('Detail', 'audit-detail cell-long'),
    cell('From', 'audit-ip mono'),
  );
}

/**
 * An entry never changes; its cells are written once, from the server's text as text.
 * @param {HTMLTableRowElement} row
 * @param {AuditEntry} entry
 */
function updateRow(row, entry) {
  row.dataset.event = entry.event;
  setText(row, '.audit-at', formatTime(entry.at));
  setText(row, '.audit-event', entry.event);
  setText(row, '.audit-user', entry.userId ?? '');
  setText(row, '.audit-action', [entry.actionType, entry.code].filter(Boolean).join(' · '));
  setText(row, '.audit-detail', entry.detail ?? '');
  setText(row, '.audit-ip', entry.ip ?? '');
}
