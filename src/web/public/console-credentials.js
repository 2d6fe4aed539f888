// @ts-check
/** @typedef {import('@live-leaderboard/client').Credential} Credential */
/** @typedef {import('./console.js').Operator} Operator */
/** @typedef {import('./console.js').Section} Section */
import { $, formatTime, h, setText, syncRows } from './console-dom.js';

/** What the server accepts as a credential's name. */
const NAME = /^[a-z0-9-]{1,40}$/;
/** A revoke button asks for a second click within this long. */
const CONFIRM_MS = 5_000;

/**
 * Server credentials: create one (its secret shown once, here), list them, revoke one.
 * @param {Operator} operator
 * @returns {Section}
 */
export function credentialsSection(operator) {
  const form = /** @type {HTMLFormElement} */ ($('#credential-form'));
  const nameInput = /** @type {HTMLInputElement} */ ($('[data-testid="admin-credential-name"]'));
  const create = /** @type {HTMLButtonElement} */ ($('[data-testid="admin-credential-create"]'));
  const secretBox = $('#secret-box');
  const secretName = $('#secret-name');
  const secret = $('[data-testid="admin-credential-secret"]');
  const copy = /** @type {HTMLButtonElement} */ ($('#secret-copy'));
  const list = $('#credentials');
  const empty = $('#credentials-empty');

  /** The secret lives in this box only, until the operator has stored it. */
  function hideSecret() {
    secret.textContent = '';
    secretName.textContent = '';
    secretBox.hidden = true;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!NAME.test(name)) {
      operator.say('Credential names are 1–40 lowercase letters, digits or -.');
      nameInput.focus();
      return;
    }
    void operator.act(create, 'credential', async () => {
      const created = await operator.client.admin.createCredential(name);
      nameInput.value = '';
      secretName.textContent = created.name;
      secret.textContent = created.secret;
      secretBox.hidden = false;
      copy.textContent = 'Copy';
      copy.focus();
    });
  });

  copy.addEventListener('click', () => {
    const text = secret.textContent ?? '';
    // The clipboard API needs a secure context (https or localhost); elsewhere, select it for the operator.
    const copied = navigator.clipboard ? navigator.clipboard.writeText(text).then(() => true, () => false) : Promise.resolve(false);
    void copied.then((ok) => {
      if (ok) {
        copy.textContent = 'Copied';
        return;
      }
      const range = document.createRange();
      range.selectNodeContents(secret);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      copy.textContent = 'Selected: press Ctrl+C';
    });
  });
  $('#secret-done').addEventListener('click', hideSecret);

  /** @param {Credential} credential */
  function createRow(credential) {
    const revoke = h('button', { className: 'btn btn-danger btn-small', testId: 'admin-credential-revoke', text: 'Revoke', attributes: { type: 'button' } });
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let disarm;
    // Revoking is final (the game server's secret stops working at once): a second click confirms it.
    revoke.addEventListener('click', () => {
      if (revoke.dataset.armed !== 'true') {
        revoke.dataset.armed = 'true';
        revoke.textContent = 'Click again to revoke';
        disarm = setTimeout(() => {
          delete revoke.dataset.armed;
          revoke.textContent = 'Revoke';
        }, CONFIRM_MS);
        return;
      }
      clearTimeout(disarm);
      void operator.act(revoke, 'revoke', () => operator.client.admin.revokeCredential(credential.name));
    });
    return h(
      'li',
      { className: 'console-row', testId: 'admin-credential-row', data: { name: credential.name } },
      h('div', { className: 'console-row-main' }, h('span', { className: 'console-name mono credential-name' })),
      h('p', { className: 'console-meta' }, 'Created ', h('span', { className: 'credential-created' }), ' · last used ', h('span', { className: 'credential-used' })),
      h('div', { className: 'console-row-buttons' }, revoke),
    );
  }

  return {
    async load() {
      const credentials = await operator.client.admin.credentials();
      return () => {
        empty.textContent = credentials.length === 0 ? 'No game server can report results yet.' : '';
        syncRows(list, credentials, { key: (credential) => credential.name, create: createRow, update: updateRow });
      };
    },
    clear() {
      hideSecret();
      nameInput.value = '';
      list.replaceChildren();
      empty.textContent = '';
    },
  };
}

/**
 * @param {HTMLLIElement} row
 * @param {Credential} credential
 */
function updateRow(row, credential) {
  setText(row, '.credential-name', credential.name);
  setText(row, '.credential-created', formatTime(credential.createdAt));
  setText(row, '.credential-used', formatTime(credential.lastUsedAt, 'never'));
}
