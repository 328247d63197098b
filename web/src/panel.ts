// The side panel: what `locate` found at a clicked point, built with DOM nodes
// (never innerHTML), so names from the data cannot inject markup.

import type { Located, Person } from './api';
import { t } from './i18n';

type Child = Node | string | null | undefined;

export function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** A public contact as a link the phone can dial. */
export function telLink(number: string | null | undefined): Node | null {
  if (!number) return null;
  const digits = number.replace(/[^\d+]/g, '');
  return el('a', { href: `tel:${digits}` }, number);
}

function row(label: string, ...value: Child[]): HTMLElement {
  return el('div', { class: 'row' }, el('span', { class: 'label' }, label), el('span', { class: 'value' }, ...value));
}

function person(p: Person): string {
  return `${p.name} ${p.phone}`;
}

export function renderLocated(target: HTMLElement, at: Located): void {
  const sections: HTMLElement[] = [];
  if (at.street) {
    sections.push(
      el('section', {}, el('h2', {}, t('街道')), row(t('名称'), at.street.name), row(t('电话'), telLink(at.street.public_contact) ?? '—')),
    );
  }
  if (at.community) {
    sections.push(
      el('section', {}, el('h2', {}, t('社区')), row(t('名称'), at.community.name), row(t('电话'), telLink(at.community.public_contact) ?? '—')),
    );
  }
  if (at.grid) {
    const workers = at.grid.workers.map(person).join(t('、')) || '—';
    sections.push(
      el(
        'section',
        {},
        el('h2', {}, t('网格')),
        row(t('名称'), at.grid.name ?? at.grid.code),
        row(t('编码'), at.grid.code),
        row(t('党支部'), at.grid.party_branch),
        row(t('电话'), telLink(at.grid.public_contact) ?? '—'),
        row(t('网格员'), workers),
      ),
    );
  }
  if (at.building) {
    sections.push(
      el(
        'section',
        {},
        el('h2', {}, t('楼栋')),
        row(t('地址'), at.building.address),
        row(t('党小组'), at.building.party_group ?? '—'),
        row(t('楼长'), at.building.building_head ? person(at.building.building_head) : '—'),
      ),
    );
  }
  if (sections.length === 0) sections.push(el('p', { class: 'hint' }, t('此处不属于任何网格。')));
  if (at.personal_data === 'masked') {
    sections.push(el('p', { class: 'note' }, t('个人信息已脱敏；调度人员登录后可见。')));
  }
  target.replaceChildren(...sections);
}

export function renderMessage(target: HTMLElement, message: string): void {
  target.replaceChildren(el('p', { class: 'hint' }, message));
}
