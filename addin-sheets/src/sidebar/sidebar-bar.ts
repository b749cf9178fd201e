/**
 * The sidebar's own strip above the shared pane, for what only Google Sheets has:
 * - signed out: "Sign in with Google", which signs in with the person's Google identity
 *   (src/server/session.ts) and then starts the pane again, now signed in;
 * - signed in: the background updates switch (src/server/background.ts) and what its last run did.
 * Plain DOM, so the pane's bundle stays as it is; styled to sit with Fluent UI.
 */
import type { BackgroundStatus } from '../shared/server-api.ts';
import type { CallServer } from './server.ts';

export const BAR_STYLE = `
#storesync-sheets-bar { font-family: "Segoe UI", system-ui, -apple-system, sans-serif; font-size: 12px; color: #242424;
  padding: 8px 12px; border-bottom: 1px solid #e0e0e0; background: #fafafa; display: flex; flex-direction: column; gap: 6px; }
#storesync-sheets-bar[hidden] { display: none; }
#storesync-sheets-bar button { font: inherit; font-weight: 600; padding: 5px 12px; border-radius: 4px; border: 1px solid #d1d1d1; background: #fff; cursor: pointer; }
#storesync-sheets-bar button:focus-visible, #storesync-sheets-bar input:focus-visible { outline: 2px solid #0f6cbd; outline-offset: 1px; }
#storesync-sheets-bar label { display: flex; align-items: center; gap: 6px; font-weight: 600; }
#storesync-sheets-bar .storesync-note { color: #424242; }
#storesync-sheets-bar .storesync-error { color: #b10e1c; }
`;

export interface BarOptions {
  element: HTMLElement;
  call: CallServer;
  googleEmail: string | null;
  /** Starts the pane again (after a Google sign-in). */
  restartPane: () => void;
}

export interface SidebarBar {
  showSignedIn(signedIn: boolean, background?: BackgroundStatus): void;
}

function describe(status: BackgroundStatus): string {
  const parts: string[] = [];
  if (!status.enabled && !status.lastRunAt) parts.push('Off: generated copy and review decisions reach the sheet while this sidebar is open.');
  if (status.message) parts.push(status.message);
  if (status.lastRunAt) parts.push(`Last update ${new Date(status.lastRunAt).toLocaleTimeString()}.`);
  parts.push(`${status.fetchesToday} of ${status.dailyFetchBudget} requests used today.`);
  return parts.join(' ');
}

export function createSidebarBar({ element, call, googleEmail, restartPane }: BarOptions): SidebarBar {
  const doc = element.ownerDocument;
  const make = <K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const note = make('div', '', 'storesync-note');
  const error = make('div', '', 'storesync-error');
  error.setAttribute('role', 'alert');
  let signedIn: boolean | null = null;

  const fail = (failure: unknown) => {
    error.textContent = failure instanceof Error ? failure.message : String(failure);
  };

  const renderSignedOut = () => {
    element.replaceChildren();
    const button = make('button', googleEmail ? `Sign in with Google (${googleEmail})` : 'Sign in with Google');
    button.type = 'button';
    button.addEventListener('click', () => {
      button.disabled = true;
      error.textContent = '';
      call('signInWithGoogle')
        .then((answer) => {
          if (answer.ok) restartPane();
          else error.textContent = answer.message;
        })
        .catch(fail)
        .finally(() => {
          button.disabled = false;
        });
    });
    element.append(button, error);
    element.hidden = false;
  };

  const renderSignedIn = (status: BackgroundStatus | undefined) => {
    element.replaceChildren();
    const label = make('label');
    const toggle = make('input');
    toggle.type = 'checkbox';
    toggle.role = 'switch';
    toggle.checked = status?.enabled ?? false;
    label.append(toggle, doc.createTextNode('Background updates (every 5 minutes, also while this sidebar is closed)'));
    note.textContent = status ? describe(status) : '';
    toggle.addEventListener('change', () => {
      toggle.disabled = true;
      error.textContent = '';
      call('setBackgroundSync', toggle.checked)
        .then((next) => {
          toggle.checked = next.enabled;
          note.textContent = describe(next);
        })
        .catch((failure: unknown) => {
          toggle.checked = !toggle.checked;
          fail(failure);
        })
        .finally(() => {
          toggle.disabled = false;
        });
    });
    element.append(label, note, error);
    element.hidden = false;
  };

  return {
    showSignedIn(next, background) {
      if (next === signedIn && !background) return;
      signedIn = next;
      if (!next) {
        renderSignedOut();
        return;
      }
      if (background) {
        renderSignedIn(background);
        return;
      }
      renderSignedIn(undefined);
      call('getBackgroundStatus').then(
        (status) => {
          if (signedIn) renderSignedIn(status);
        },
        fail,
      );
    },
  };
}
