// @ts-check
/** @typedef {import('../../realtime/protocol.js').ServerMessage} ServerMessage */
/** @typedef {import('../../realtime/protocol.js').BoardEntry} BoardEntry */
/** @typedef {import('./api-client.js').Board} Board */
/** @typedef {import('./live-feed.js').ConnectionState} ConnectionState */
import { ActionPanel } from './action-panel.js';
import { ApiClient, ApiError } from './api-client.js';
import { describeError } from './error-messages.js';
import { ICONS, formatDuration, formatValue, hueOf, icon, valueLabel } from './format.js';
import { LeaderboardTable } from './leaderboard-table.js';
import { LiveFeed } from './live-feed.js';

/** Rows shown per board. */
const BOARD_LIMIT = 10;
/** While the player is below the visible rows, other players can pass them unseen: re-read their rank at most this often. */
const MY_RANK_REFRESH_MS = 2_000;

/**
 * @template {HTMLElement} T
 * @param {string} selector
 * @returns {T}
 */
function $(selector) {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`missing ${selector}`);
  return /** @type {T} */ (element);
}

const ui = {
  authForm: /** @type {HTMLFormElement} */ ($('#auth-form')),
  username: /** @type {HTMLInputElement} */ ($('[data-testid="auth-username"]')),
  password: /** @type {HTMLInputElement} */ ($('[data-testid="auth-password"]')),
  register: /** @type {HTMLButtonElement} */ ($('[data-testid="auth-register"]')),
  login: /** @type {HTMLButtonElement} */ ($('[data-testid="auth-login"]')),
  logout: /** @type {HTMLButtonElement} */ ($('[data-testid="auth-logout"]')),
  profile: $('#profile'),
  avatar: $('#profile-avatar'),
  currentUser: $('[data-testid="current-user"]'),
  myRank: $('[data-testid="my-rank"]'),
  aroundMe: $('[data-testid="around-me"]'),
  myRankBoard: $('#my-rank-board'),
  actions: $('#actions'),
  actionsHint: $('#actions-hint'),
  boardSelect: /** @type {HTMLSelectElement} */ ($('[data-testid="board-select"]')),
  boardMeta: $('#board-meta'),
  boardCaption: $('#board-caption'),
  boardRows: /** @type {HTMLTableSectionElement} */ ($('#board-rows')),
  valueHead: $('#value-head'),
  connection: $('#connection'),
  connectionStatus: $('[data-testid="connection-status"]'),
  errorBanner: $('#error-banner'),
  error: $('[data-testid="error"]'),
  errorDismiss: /** @type {HTMLButtonElement} */ ($('#error-dismiss')),
};

const api = new ApiClient();
const table = new LeaderboardTable(ui.boardRows);

/** @type {{ boards: Board[], board: string, seq: number, entries: BoardEntry[], my: { rank: number, score: number } | undefined, myVersion: number, knownUnranked: boolean }} */
const state = {
  boards: [],
  board: 'global',
  seq: -1,
  entries: [],
  my: undefined,
  // Bumped by every rank message: a /me answer that was asked for before one is stale.
  myVersion: 0,
  // A player who just registered has no entry yet: asking would only earn a 404.
  knownUnranked: false,
};

// ── Errors ───────────────────────────────────────────────────────────────────

/**
 * @param {unknown} error
 * @param {Parameters<typeof describeError>[1]} context
 */
function showError(error, context) {
  if (!(error instanceof ApiError)) throw error;
  ui.error.textContent = describeError(error, context);
  ui.errorBanner.dataset.visible = 'true';
}

function clearError() {
  ui.error.textContent = '';
  ui.errorBanner.dataset.visible = 'false';
}

ui.errorDismiss.addEventListener('click', clearError);

// ── Session ──────────────────────────────────────────────────────────────────

/** @param {'login' | 'register'} kind */
async function authenticate(kind) {
  clearError();
  const username = ui.username.value.trim();
  const password = ui.password.value;
  if (!/^[A-Za-z0-9_-]{3,32}$/.test(username) || password.length < 8 || password.length > 128) {
    showError(new ApiError('invalid_request', 400, 'checked in the page'), { doing: kind });
    (username.length < 3 ? ui.username : ui.password).focus();
    return;
  }
  setBusy(true);
  try {
    if (kind === 'register') {
      state.knownUnranked = true;
      await api.register(username, password);
    } else {
      state.knownUnranked = false;
      await api.login(username, password);
    }
    ui.password.value = '';
  } catch (error) {
    showError(error, { doing: kind });
    (error instanceof ApiError && error.code === 'conflict' ? ui.username : ui.password).focus();
  } finally {
    setBusy(false);
  }
}

/** @param {boolean} busy */
function setBusy(busy) {
  for (const button of [ui.login, ui.register]) button.disabled = busy;
  ui.authForm.setAttribute('aria-busy', String(busy));
}

ui.authForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void authenticate('login');
});
ui.register.addEventListener('click', () => void authenticate('register'));
ui.logout.addEventListener('click', () => {
  clearError();
  void api.logout();
});

api.onSessionChange((user, reason) => {
  const loggedIn = user !== undefined;
  ui.authForm.hidden = loggedIn;
  ui.profile.hidden = !loggedIn;
  ui.currentUser.textContent = user?.username ?? '';
  ui.avatar.textContent = user ? user.username.charAt(0).toUpperCase() : '';
  ui.avatar.style.setProperty('--hue', String(hueOf(user?.id ?? '')));
  ui.actionsHint.textContent = loggedIn ? 'Tap to score. The server decides what each action is worth.' : 'Log in to start scoring.';
  table.setMe(user?.id);
  actions.setEnabled(loggedIn);
  feed.setToken(api.accessToken);
  // Around-me follows the player: subscribed once the socket confirms them (`authenticated`).
  feed.subscribeAround(loggedIn ? state.board : undefined, false);
  renderAround([], undefined);
  setMyRank(undefined);
  // The initial rank is read once the socket confirms the player (`authenticated`).
  if (loggedIn) {
    ui.logout.focus();
  } else {
    state.knownUnranked = false;
    ui.username.focus();
    if (reason === 'expired') showError(new ApiError('token_expired', 401, ''), { doing: 'session' });
  }
});

// ── My rank ──────────────────────────────────────────────────────────────────

/** @param {{ rank: number, score: number } | undefined} my */
function setMyRank(my) {
  state.my = my;
  ui.myRankBoard.textContent = boardName(state.board);
  ui.myRank.replaceChildren();
  if (!my) {
    ui.myRank.dataset.rank = '';
    ui.myRank.dataset.score = '';
    const empty = document.createElement('span');
    empty.className = 'my-rank-empty';
    empty.textContent = 'Not ranked yet. Score to get on the board!';
    ui.myRank.append(empty);
    return;
  }
  ui.myRank.dataset.rank = String(my.rank);
  ui.myRank.dataset.score = String(my.score);
  const rank = document.createElement('span');
  rank.className = 'my-rank-number';
  rank.textContent = `#${my.rank}`;
  const score = document.createElement('span');
  score.className = 'my-rank-score';
  const metric = currentBoard()?.metric ?? 'points';
  score.textContent = metric === 'points' ? `${formatValue(my.score)} pts` : formatValue(my.score, metric);
  ui.myRank.append(rank, ' · ', score);
}

/** The initial value, and a catch-up after anything that may have missed `rank` messages. */
async function loadMyRank() {
  if (!api.user || state.knownUnranked) return;
  const board = state.board;
  const version = state.myVersion;
  try {
    const entry = await api.myRank(board);
    if (board === state.board && version === state.myVersion && api.user) setMyRank(entry);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'network') return; // the feed shows offline; it retries on reconnect
    showError(error, { doing: 'session' });
  }
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let myRankTimer;
function refreshMyRankSoon() {
  myRankTimer ??= setTimeout(() => {
    myRankTimer = undefined;
    void loadMyRank();
  }, MY_RANK_REFRESH_MS);
}

// ── Live board ───────────────────────────────────────────────────────────────

/** @param {ConnectionState} connection */
function onConnectionState(connection) {
  ui.connectionStatus.textContent = connection;
  ui.connection.dataset.state = connection;
}

/** @param {ServerMessage} message */
function onMessage(message) {
  switch (message.type) {
    case 'snapshot':
    case 'update': {
      if (message.board !== state.board) return;
      // A snapshot starts over (a restarted server counts afresh); an update must be newer.
      if (message.type === 'update' && message.seq <= state.seq) return;
      const fresh = message.type === 'snapshot' && state.seq === -1;
      state.seq = message.seq;
      state.entries = message.entries;
      table.render(message.entries, { animate: !fresh });
      followMyRow(message.entries);
      return;
    }
    case 'delta': {
      if (message.board !== state.board || message.seq <= state.seq) return;
      // A delta applies to the list it was computed from; any other means start over.
      if (message.from !== state.seq) return feed.resubscribe();
      const entries = state.entries.slice(0, message.size);
      for (const change of message.changes) entries[change.rank - 1] = change;
      state.seq = message.seq;
      state.entries = entries;
      table.render(entries, { animate: true });
      followMyRow(entries);
      return;
    }
    case 'rank':
      if (message.board !== state.board || !api.user) return;
      state.myVersion += 1;
      state.knownUnranked = false;
      setMyRank({ rank: message.rank, score: message.score });
      return;
    case 'authenticated':
      // Reconnected: rank messages sent while the socket was down are lost, read the current value.
      void loadMyRank();
      feed.authenticated();
      return;
    case 'window':
      if (message.board === state.board) renderAround(message.entries, message.me?.userId);
      return;
    case 'error':
      if (message.code === 'token_expired') void api.refresh().then(() => feed.setToken(api.accessToken), () => undefined);
      return;
    default:
      return;
  }
}

/**
 * The visible rows are as fresh as anything: use them for the player's own rank, and when the
 * player is below them, re-read it (someone may have passed them without changing their score).
 * @param {BoardEntry[]} entries
 */
function followMyRow(entries) {
  const me = api.user;
  if (!me) return;
  const mine = entries.find((entry) => entry.userId === me.id);
  if (mine) {
    state.myVersion += 1;
    state.knownUnranked = false;
    setMyRank({ rank: mine.rank, score: mine.score });
  } else if (state.my) {
    refreshMyRankSoon();
  }
}

/**
 * The around-me panel: the player and the players just above and below, as the server keeps
 * it current (an around-me subscription).
 * @param {BoardEntry[]} entries
 * @param {string | undefined} myId
 */
function renderAround(entries, myId) {
  const metric = currentBoard()?.metric ?? 'points';
  if (entries.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'around-empty';
    empty.textContent = api.user ? 'Score to see who is around you.' : '';
    ui.aroundMe.replaceChildren(empty);
    return;
  }
  ui.aroundMe.replaceChildren(
    ...entries.map((entry) => {
      const row = document.createElement('li');
      row.className = entry.userId === myId ? 'around-row is-me' : 'around-row';
      row.dataset.testid = 'around-row';
      row.dataset.userId = entry.userId;
      row.dataset.rank = String(entry.rank);
      row.dataset.score = String(entry.score);
      const rank = document.createElement('span');
      rank.className = 'around-rank';
      rank.textContent = `#${entry.rank}`;
      const name = document.createElement('span');
      name.className = 'around-name';
      name.textContent = entry.username;
      const value = document.createElement('span');
      value.className = 'around-score';
      value.textContent = metric === 'points' ? `${formatValue(entry.score)} pts` : formatValue(entry.score, metric);
      row.append(rank, name, value);
      return row;
    }),
  );
}

/** @param {string} board */
function showBoard(board) {
  state.board = board;
  state.seq = -1;
  state.entries = [];
  const name = boardName(board);
  ui.boardCaption.textContent = `Top ${BOARD_LIMIT} players on the ${name} board`;
  table.showMessage('Loading…');
  renderBoardMeta();
  feed.subscribe(board, BOARD_LIMIT);
  renderAround([], undefined);
  feed.subscribeAround(api.user ? board : undefined, feed.isAuthenticated);
  if (api.user) {
    setMyRank(undefined);
    void loadMyRank();
  }
}

/** `fastest-sprint` → `Fastest sprint`. @param {string} id */
function boardName(id) {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** @param {Board} board */
function periodName(board) {
  return { 'all-time': 'All time', daily: 'Today', weekly: 'This week', monthly: 'This month', season: 'Season' }[board.period] ?? board.period;
}

/** The board shown, once the list of boards has loaded. */
function currentBoard() {
  return state.boards.find((candidate) => candidate.id === state.board);
}

/**
 * A season's state and the time to its next change: `Season starts in 3d 4h`, `Season · ends
 * in 5h 12m`, `Season closed`.
 * @param {Board} board
 */
function seasonText(board) {
  const now = Date.now();
  if (board.state === 'upcoming' && board.startsAt) return `Season starts in ${formatDuration(Date.parse(board.startsAt) - now)}`;
  if (board.state === 'live' && board.endsAt) return `Season · ends in ${formatDuration(Date.parse(board.endsAt) - now)}`;
  return 'Season closed';
}

function renderBoardMeta() {
  const board = currentBoard();
  table.metric = board?.metric ?? 'points';
  ui.valueHead.textContent = valueLabel(board?.metric);
  if (!board) {
    ui.boardMeta.textContent = '';
    return;
  }
  const resets = board.resetsAt ? Date.parse(board.resetsAt) - Date.now() : undefined;
  if (resets !== undefined && resets <= 0) {
    void loadBoards(); // a new period began: fetch its reset time
    return;
  }
  const order = board.order === 'asc' ? ' · lowest first' : '';
  if (board.period === 'season') {
    // A season that just started or closed: fetch its new state.
    if (board.state !== 'closed' && Date.parse((board.state === 'upcoming' ? board.startsAt : board.endsAt) ?? '') <= Date.now()) void loadBoards();
    ui.boardMeta.textContent = `${seasonText(board)}${order}`;
    return;
  }
  ui.boardMeta.textContent =
    resets === undefined ? `${periodName(board)} · top ${BOARD_LIMIT}${order}` : `${periodName(board)} · resets in ${formatDuration(resets)}${order}`;
}

async function loadBoards() {
  const boards = await api.boards();
  state.boards = boards;
  const selected = boards.some((board) => board.id === state.board) ? state.board : (boards[0]?.id ?? 'global');
  ui.boardSelect.replaceChildren(
    ...boards.map((board) => {
      const option = document.createElement('option');
      option.value = board.id;
      option.textContent = boardName(board.id);
      return option;
    }),
  );
  ui.boardSelect.value = selected;
  if (selected !== state.board || state.seq === -1) showBoard(selected);
  else renderBoardMeta();
}

ui.boardSelect.addEventListener('change', () => showBoard(ui.boardSelect.value));
setInterval(renderBoardMeta, 30_000);

// ── Wiring ───────────────────────────────────────────────────────────────────

const feed = new LiveFeed({ url: '/ws', onMessage, onState: onConnectionState, heldSeq: () => state.seq });

const actions = new ActionPanel({
  container: ui.actions,
  api,
  onStart: clearError,
  onError: (error, action) => showError(error, { doing: 'action', action }),
  onScored: (receipt) => {
    // The receipt carries the new totals at once; the rank follows over the socket.
    const score = receipt.totals[state.board];
    if (score !== undefined && state.my) setMyRank({ rank: state.my.rank, score });
  },
});

/**
 * Runs `load` until it succeeds, waiting longer after each failure to reach the server (which
 * the connection badge already shows); any other failure is reported once and ends the attempt.
 * @param {() => Promise<void>} load
 * @param {Parameters<typeof describeError>[1]['doing']} doing
 */
async function keepTrying(load, doing) {
  for (let delay = 1_000; ; delay = Math.min(delay * 2, 15_000)) {
    try {
      await load();
      return;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code !== 'network' && error.code !== 'unavailable') {
        showError(error, { doing });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

ui.errorBanner.prepend(icon(ICONS.alert, 'icon error-icon'));
ui.errorDismiss.append(icon(ICONS.close));
setMyRank(undefined);
onConnectionState(feed.state);
feed.start();
void keepTrying(async () => actions.setActions(await api.actions()), 'load');
void keepTrying(loadBoards, 'load');
void keepTrying(() => api.restore(), 'session');
