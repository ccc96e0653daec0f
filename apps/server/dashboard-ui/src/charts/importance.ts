/** Hyperparameter importance (computed by the server, functional-ANOVA style): each parameter's main
 *  effect and the largest pairwise interactions, as shares of the objective's variance, with what the
 *  terms leave unexplained (higher-order interactions and noise). */
import { clear, h } from '../dom';
import type { StudyDetail } from '../types';

const pct = (v: number) => `${(v * 100).toFixed(v < 0.1 && v > 0 ? 1 : 0)}%`;

function bar(cls: string, label: string, value: number, title: string): HTMLElement {
  return h(
    'div',
    { class: cls, title },
    h('span', { class: 'bar-label' }, label),
    h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${(Math.min(1, value) * 100).toFixed(1)}%` })),
    h('span', { class: 'bar-value' }, pct(value)),
  );
}

export function renderImportance(host: HTMLElement, detail: StudyDetail): void {
  clear(host);
  if (detail.importance.length === 0) {
    host.append(h('p', { class: 'muted' }, 'Needs at least 5 completed trials.'));
    return;
  }
  if (detail.importance.every((p) => p.importance === 0) && detail.interactions.length === 0) {
    host.append(h('p', { class: 'muted' }, `No parameter explains more of the variance than chance yet (${detail.importance.length} parameters).`));
    host.append(h('p', { class: 'muted small' }, `Method: ${detail.importanceMethod}.`));
    return;
  }
  const main = h('div', { class: 'bars' });
  for (const p of detail.importance) main.append(bar('bar-row', p.name, p.importance, `ε² = ${p.importance.toFixed(3)} over ${p.groups} groups`));
  host.append(h('div', { class: 'muted small' }, 'Main effects (share of the variance)'), main);
  const explained = detail.importance.reduce((a, p) => a + p.importance, 0) + detail.interactions.reduce((a, p) => a + p.importance, 0);
  if (detail.interactions.length > 0) {
    const pairs = h('div', { class: 'bars', id: 'interactions' });
    for (const p of detail.interactions) pairs.append(bar('pair-row', `${p.names[0]} × ${p.names[1]}`, p.importance, `ε² = ${p.importance.toFixed(3)} over ${p.cells} cells`));
    host.append(h('div', { class: 'muted small section' }, 'Pairwise interactions'), pairs);
  } else if (detail.study.done >= 12) {
    host.append(h('p', { class: 'muted small section' }, 'No pairwise interaction above chance.'));
  }
  host.append(h('p', { class: 'muted small' }, `Unexplained by these terms (higher-order interactions, noise): ${pct(Math.max(0, 1 - explained))}. Method: ${detail.importanceMethod}.`));
}
