// Logging in: a token typed once into a dialog is exchanged for an HttpOnly session
// cookie (the page never stores the token); the session's CSRF token for writes is
// kept in localStorage, so every tab of the session can write. Logging out ends the
// session on the server.

import type { Api, Role } from './api';
import { el } from './panel';
import { t } from './i18n';

const CSRF_KEY = 'redgrid.csrf';

export const ROLE_LABELS: Record<Role, string> = {
  viewer: t('查看'),
  planner: t('规划'),
  dispatcher: t('调度'),
  service: t('接口'),
  admin: t('管理员'),
};

export class Login {
  role: Role | null = null;
  private readonly listeners: ((role: Role | null) => void)[] = [];

  constructor(
    private readonly api: Api,
    private readonly area: HTMLElement,
    private readonly dialog: HTMLDialogElement,
  ) {
    const form = dialog.querySelector('form') as HTMLFormElement;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit(form);
    });
    (dialog.querySelector('[data-action="cancel"]') as HTMLElement).addEventListener('click', () => dialog.close());
    // A login or logout in another tab changes the session this tab writes with.
    window.addEventListener('storage', (event) => {
      if (event.key === CSRF_KEY) this.api.csrfToken = event.newValue;
    });
  }

  onChange(listener: (role: Role | null) => void): void {
    this.listeners.push(listener);
  }

  /** Reads the session the cookie may already hold. */
  async restore(): Promise<void> {
    const { role } = await this.api.session();
    this.api.csrfToken = role ? localStorage.getItem(CSRF_KEY) : null;
    this.set(role);
  }

  open(): void {
    (this.dialog.querySelector('.error') as HTMLElement).textContent = '';
    this.dialog.showModal();
    (this.dialog.querySelector('input') as HTMLInputElement).focus();
  }

  private async submit(form: HTMLFormElement): Promise<void> {
    const input = form.querySelector('input') as HTMLInputElement;
    try {
      const role = await this.api.logIn(input.value);
      localStorage.setItem(CSRF_KEY, this.api.csrfToken ?? '');
      input.value = '';
      this.dialog.close();
      this.set(role);
    } catch {
      (form.querySelector('.error') as HTMLElement).textContent = t('令牌无效，请检查后重试。');
    }
  }

  private async logOut(): Promise<void> {
    await this.api.logOut().catch(() => undefined);
    localStorage.removeItem(CSRF_KEY);
    this.set(null);
  }

  private set(role: Role | null): void {
    this.role = role;
    if (role) {
      const out = el('button', { type: 'button', class: 'link-button', id: 'log-out' }, t('退出'));
      out.addEventListener('click', () => void this.logOut());
      this.area.replaceChildren(el('span', { class: 'who' }, t('已登录：{role}', { role: ROLE_LABELS[role] })), out);
    } else {
      const login = el('button', { type: 'button', class: 'link-button', id: 'log-in' }, t('登录'));
      login.addEventListener('click', () => this.open());
      this.area.replaceChildren(login);
    }
    for (const listener of this.listeners) listener(role);
  }
}
