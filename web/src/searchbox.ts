// The search box: places from the server as the user types (the last answer wins),
// chosen by click, tap or keyboard (↑ ↓ Enter, Esc closes).

import type { Api, Place } from './api';
import { el } from './panel';
import { t } from './i18n';

const KIND_LABELS: Record<Place['kind'], string> = {
  street: t('街道'),
  community: t('社区'),
  grid: t('网格'),
  site: t('阵地'),
  compound: t('小区'),
  road: t('道路'),
  building: t('楼栋'),
};

export class SearchBox {
  private places: Place[] = [];
  private active = -1;
  private asked = 0;
  private timer: number | undefined;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly list: HTMLElement,
    private readonly api: Api,
    private readonly choose: (place: Place) => void,
  ) {
    input.addEventListener('input', () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.ask(), 150);
    });
    input.addEventListener('keydown', (event) => this.key(event));
    input.addEventListener('blur', () => window.setTimeout(() => this.close(), 150));
  }

  private async ask(): Promise<void> {
    const q = this.input.value.trim();
    const asked = ++this.asked;
    if (!q) return this.show([]);
    try {
      const places = await this.api.search(q);
      if (asked === this.asked) this.show(places);
    } catch {
      if (asked === this.asked) this.show([]);
    }
  }

  private show(places: Place[]): void {
    this.places = places;
    this.active = -1;
    const items = places.map((p, i) => {
      const item = el(
        'li',
        { role: 'option', id: `search-option-${i}`, 'data-kind': p.kind },
        el('span', { class: 'place-kind' }, KIND_LABELS[p.kind]),
        el('span', { class: 'place-name' }, p.name),
        p.detail ? el('span', { class: 'place-detail' }, p.detail) : null,
      );
      item.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.pick(i);
      });
      return item;
    });
    if (places.length === 0 && this.input.value.trim()) items.push(el('li', { class: 'hint' }, t('未找到')));
    this.list.replaceChildren(...items);
    this.list.hidden = items.length === 0;
    this.input.setAttribute('aria-expanded', String(!this.list.hidden));
  }

  private key(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (this.places.length === 0) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.places.length) % this.places.length;
      for (const [i, item] of [...this.list.children].entries()) item.classList.toggle('active', i === this.active);
      this.input.setAttribute('aria-activedescendant', `search-option-${this.active}`);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (this.places.length > 0) this.pick(Math.max(this.active, 0));
    } else if (event.key === 'Escape') {
      this.close();
    }
  }

  private pick(i: number): void {
    const place = this.places[i];
    if (!place) return;
    this.input.value = place.name;
    this.close();
    this.choose(place);
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }
}
