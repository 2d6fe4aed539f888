// @ts-check
/** @typedef {import('@live-leaderboard/client').Board} Board */
/** @typedef {import('@live-leaderboard/client').BoardPage} BoardPage */
/** @typedef {import('./console.js').Operator} Operator */
/** @typedef {import('./console.js').Section} Section */
import { $, formatTime, h, setText, syncRows } from './console-dom.js';
import { formatValue } from './format.js';

/** How long a download's Blob URL is kept: the browser has started saving long before. */
const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/**
 * Every board with its period, state, `seq`, ranked players and leader; a CSV export each.
 * @param {Operator} operator
 * @returns {Section}
 */
export function boardsSection(operator) {
  const body = $('#boards');
  /** The boards as last shown, for the export's file name. @type {Map<string, Board>} */
  const shown = new Map();

  /** @param {{ board: Board }} item */
  function createRow({ board }) {
    const exportButton = h('button', { className: 'btn btn-secondary btn-small', testId: 'admin-export', text: 'Export CSV', attributes: { type: 'button' } });
    exportButton.setAttribute('aria-label', `Export ${board.id} as CSV`);
    exportButton.addEventListener('click', () => void operator.act(exportButton, 'export', () => exportBoard(board.id)));
    return h(
      'tr',
      { testId: 'admin-board-row', data: { boardId: board.id } },
      h('th', { className: 'board-id', attributes: { scope: 'row' } }, h('span', { className: 'console-name board-name' }), h('span', { className: 'console-meta board-metric' })),
      h('td', { data: { label: 'Period' } }, h('span', {}, h('span', { className: 'board-period' }), h('span', { className: 'console-meta board-period-detail' }))),
      h('td', { data: { label: 'State' } }, h('span', { className: 'pill board-state' })),
      h('td', { className: 'cell-number board-seq', data: { label: 'Seq' } }),
      h('td', { className: 'cell-number board-total', data: { label: 'Players' } }),
      h('td', { className: 'board-leader', data: { label: 'Leader' } }),
      h('td', { className: 'cell-action' }, exportButton),
    );
  }

  /** @param {string} id */
  async function exportBoard(id) {
    const response = await operator.client.admin.exportBoard(id);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = h('a', { attributes: { href: url, download: `${id}-${shown.get(id)?.periodKey ?? 'current'}.csv` } });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
  }

  return {
    async load() {
      const boards = await operator.client.boards.list();
      const rows = await Promise.all(boards.map(async (board) => ({ board, page: await operator.client.boards.top(board.id, { limit: 1 }) })));
      return () => {
        shown.clear();
        for (const board of boards) shown.set(board.id, board);
        syncRows(body, rows, { key: ({ board }) => board.id, create: createRow, update: updateRow });
      };
    },
    clear() {
      shown.clear();
      body.replaceChildren();
    },
  };
}

/**
 * @param {HTMLTableRowElement} row
 * @param {{ board: Board, page: BoardPage }} item
 */
function updateRow(row, { board, page }) {
  row.dataset.total = String(page.total);
  row.dataset.seq = String(page.seq);
  row.dataset.state = board.state;
  setText(row, '.board-name', board.id);
  setText(row, '.board-metric', `${board.aggregate} of ${board.metric}${board.order === 'asc' ? ', lowest first' : ''}`);
  setText(row, '.board-period', board.period === 'all-time' ? 'all time' : `${board.period} ${board.periodKey}`);
  setText(row, '.board-period-detail', periodDetail(board));
  setText(row, '.board-state', board.state);
  /** @type {HTMLElement} */ (row.querySelector('.board-state')).dataset.tone = board.state === 'live' ? 'good' : board.state === 'upcoming' ? 'warn' : 'muted';
  setText(row, '.board-seq', String(page.seq));
  setText(row, '.board-total', formatValue(page.total));
  const leader = page.entries[0];
  setText(row, '.board-leader', leader ? `${leader.username} · ${formatValue(leader.score, board.metric)}` : '');
}

/** When the period changes next: a reset, or a season's start or end. @param {Board} board */
function periodDetail(board) {
  if (board.state === 'upcoming' && board.startsAt) return `starts ${formatTime(board.startsAt)}`;
  if (board.endsAt) return `${board.state === 'closed' ? 'ended' : 'ends'} ${formatTime(board.endsAt)}`;
  if (board.resetsAt) return `resets ${formatTime(board.resetsAt)}`;
  return '';
}
