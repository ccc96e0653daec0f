/** The dashboard's entry: a hash router (#/ and #/studies/{id}), the sign-in form for tenant keys, and
 *  error display. */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { ApiError, apiKey, getJson, setApiKey } from './api';
import { clear, h } from './dom';
import { studiesPage } from './pages/studies-page';
import { studyPage } from './pages/study-page';

const app = document.getElementById('app') as HTMLElement;
const sessionEl = document.getElementById('session') as HTMLElement;
let teardown: (() => void) | undefined;

function showError(e: unknown): void {
  if (e instanceof ApiError && e.status === 401) {
    signIn(apiKey() ? 'That key was not accepted (revoked or mistyped).' : undefined);
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  const existing = document.getElementById('error');
  const box = existing ?? h('div', { id: 'error', class: 'error', role: 'alert' });
  box.textContent = message;
  if (!existing) app.prepend(box);
}

function signIn(problem?: string): void {
  teardown?.();
  teardown = undefined;
  clear(app);
  sessionEl.textContent = '';
  const input = h('input', { type: 'password', id: 'api-key', autocomplete: 'off', placeholder: 'hpo_…', 'aria-label': 'API key' });
  const form = h(
    'form',
    { class: 'panel signin' },
    h('h2', {}, 'Sign in'),
    h('p', {}, 'This server needs a tenant API key (from `hpo tenants create`). It is kept in this tab only.'),
    problem ? h('p', { class: 'error' }, problem) : null,
    input,
    h('button', { type: 'submit' }, 'Open dashboard'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setApiKey(input.value.trim() || null);
    void route();
  });
  app.append(form);
  input.focus();
}

async function route(): Promise<void> {
  teardown?.();
  teardown = undefined;
  try {
    const session = await getJson<{ tenant: string; local: boolean }>('/api/session');
    clear(sessionEl);
    sessionEl.append(session.local ? 'local mode' : `tenant ${session.tenant}`);
    if (!session.local) {
      sessionEl.append(
        ' ',
        h('button', { class: 'link', onclick: () => (setApiKey(null), signIn()) }, 'sign out'),
      );
    }
  } catch (e) {
    showError(e);
    return;
  }
  clear(app);
  const m = /^#\/studies\/(\d+)$/.exec(location.hash);
  teardown = m ? studyPage(app, Number(m[1]), showError) : studiesPage(app, showError);
}

window.addEventListener('hashchange', () => void route());
void route();
