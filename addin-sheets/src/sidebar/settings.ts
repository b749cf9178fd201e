/**
 * The settings dialog (StoreSync → Settings; Settings.html): the StoreSync address this
 * spreadsheet syncs with, the account, Google sign-in and background updates. Plain DOM over
 * the same typed server calls as the sidebar.
 */
import type { SettingsView } from '../shared/server-api.ts';
import { serverCaller } from './server.ts';

const call = serverCaller();

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`Settings.html lacks #${id}; build the add-in again`);
  return element as T;
}

function show(view: SettingsView): void {
  byId<HTMLInputElement>('api-url').value = view.apiUrl;
  byId('allowed').textContent = `Allowed addresses: ${view.allowedApiPrefixes.join(', ')}`;
  byId('account').textContent = view.signedInAs ? `Signed in to StoreSync as ${view.signedInAs}.` : 'Not signed in to StoreSync.';
  byId<HTMLButtonElement>('google').hidden = view.signedInAs !== null;
  byId<HTMLButtonElement>('google').textContent = view.googleEmail ? `Sign in with Google (${view.googleEmail})` : 'Sign in with Google';
  byId<HTMLInputElement>('background').checked = view.background.enabled;
  byId<HTMLInputElement>('background').disabled = view.signedInAs === null;
  byId('background-note').textContent = `${view.background.message ?? ''} ${view.background.fetchesToday} of ${view.background.dailyFetchBudget} requests used today.`.trim();
}

function report(message: string, isError: boolean): void {
  const status = byId('status');
  status.textContent = message;
  status.className = isError ? 'error' : 'note';
}

const failed = (error: unknown) => report(error instanceof Error ? error.message : String(error), true);

function refresh(): Promise<void> {
  return call('getSettings').then(show, failed);
}

byId<HTMLFormElement>('form').addEventListener('submit', (event) => {
  event.preventDefault();
  call('saveApiUrl', byId<HTMLInputElement>('api-url').value).then((view) => {
    show(view);
    report('Saved. Open StoreSync again to use the new address.', false);
  }, failed);
});

byId('google').addEventListener('click', () => {
  call('signInWithGoogle').then((answer) => {
    report(answer.message, !answer.ok);
    return refresh();
  }, failed);
});

byId<HTMLInputElement>('background').addEventListener('change', (event) => {
  const enabled = (event.target as HTMLInputElement).checked;
  call('setBackgroundSync', enabled).then(() => refresh(), failed);
});

void refresh();
