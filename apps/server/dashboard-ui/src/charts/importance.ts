/** Parameter importance as horizontal bars, with the method named under them. */
import { clear, h } from '../dom';
import type { StudyDetail } from '../types';

export function renderImportance(host: HTMLElement, detail: StudyDetail): void {
  clear(host);
  if (detail.importance.length === 0) {
    host.append(h('p', { class: 'muted' }, 'Needs at least 5 completed trials.'));
    return;
  }
  if (detail.importance.every((p) => p.importance === 0)) {
    host.append(h('p', { class: 'muted' }, `No parameter explains more of the variance than chance yet (${detail.importance.length} parameters).`));
    host.append(h('p', { class: 'muted small' }, `Method: ${detail.importanceMethod}.`));
    return;
  }
  const list = h('div', { class: 'bars' });
  for (const p of detail.importance) {
    list.append(
      h(
        'div',
        { class: 'bar-row', title: `ε² = ${p.importance.toFixed(3)} over ${p.groups} groups` },
        h('span', { class: 'bar-label' }, p.name),
        h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill', style: `width:${(p.share * 100).toFixed(1)}%` })),
        h('span', { class: 'bar-value' }, `${(p.share * 100).toFixed(0)}%`),
      ),
    );
  }
  host.append(list, h('p', { class: 'muted small' }, `Method: ${detail.importanceMethod}.`));
}
