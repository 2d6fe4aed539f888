// @ts-check
/**
 * DOM building for the console. Everything the server sends is data, never markup: text goes
 * in with `textContent`, attributes with `dataset` and `setAttribute`, and nothing here ever
 * parses HTML.
 */

/**
 * @typedef {object} ElementOptions
 * @property {string} [className]
 * @property {string} [text]
 * @property {string} [testId]
 * @property {Record<string, string>} [data]
 * @property {Record<string, string>} [attributes]
 */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {ElementOptions} [options]
 * @param {(Node | string)[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, options = {}, ...children) {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.testId) element.dataset.testid = options.testId;
  for (const [name, value] of Object.entries(options.data ?? {})) element.dataset[name] = value;
  for (const [name, value] of Object.entries(options.attributes ?? {})) element.setAttribute(name, value);
  if (options.text !== undefined) element.textContent = options.text;
  element.append(...children);
  return element;
}

/**
 * @template {HTMLElement} T
 * @param {string} selector
 * @returns {T}
 */
export function $(selector) {
  const element = document.querySelector(selector);
  if (!element) throw new Error(`missing ${selector}`);
  return /** @type {T} */ (element);
}

/**
 * Shows `items` in `container`, one element per key, kept across refreshes: a row being
 * clicked or focused while the list refreshes is the same element afterwards.
 * @template T
 * @template {HTMLElement} E
 * @param {HTMLElement} container
 * @param {readonly T[]} items
 * @param {{ key: (item: T) => string, create: (item: T) => E, update: (element: E, item: T) => void }} row
 */
export function syncRows(container, items, row) {
  /** @type {Map<string, E>} */
  const existing = new Map();
  for (const child of Array.from(container.children)) {
    const key = /** @type {HTMLElement} */ (child).dataset.key;
    if (key !== undefined) existing.set(key, /** @type {E} */ (child));
  }
  /** @type {E[]} */
  const rows = items.map((item) => {
    const key = row.key(item);
    let element = existing.get(key);
    existing.delete(key);
    if (!element) {
      element = row.create(item);
      element.dataset.key = key;
    }
    row.update(element, item);
    return element;
  });
  for (const gone of existing.values()) gone.remove();
  // Re-appending an element that is already in place would blur it: move only what moved.
  rows.forEach((element, index) => {
    if (container.children[index] !== element) container.insertBefore(element, container.children[index] ?? null);
  });
}

/**
 * Sets the text of the element matching `selector` inside `root`.
 * @param {ParentNode} root
 * @param {string} selector
 * @param {string} text
 */
export function setText(root, selector, text) {
  const element = root.querySelector(selector);
  if (element && element.textContent !== text) element.textContent = text;
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });

/**
 * A moment as operators compare it across machines: UTC, to the second (`27 Nov, 12:00:03`).
 * @param {string | null | undefined} iso
 * @param {string} [never] what to show when there is no moment
 */
export function formatTime(iso, never = '—') {
  if (!iso) return never;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? never : `${timeFormat.format(time)} UTC`;
}

/**
 * A button that shows it is working while `task` runs, and cannot be pressed twice meanwhile.
 * @param {HTMLButtonElement} button
 * @param {() => Promise<unknown>} task
 */
export async function whileBusy(button, task) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await task();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
