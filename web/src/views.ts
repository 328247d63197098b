// The view tabs (residents, planners, dispatchers, the administrator's console): a view that needs a role asks
// for a login first, and a logout falls back to the residents' view.

import type { Role } from './api';
import type { Login } from './login';
import type { ConsoleView } from './console';
import type { PlannerView } from './planner';

export type View = 'resident' | 'planner' | 'dispatcher' | 'admin';

/** Which roles each view needs. */
const VIEW_ROLES: Record<View, Role[] | null> = {
  resident: null,
  planner: ['planner', 'admin'],
  dispatcher: ['dispatcher', 'admin'],
  admin: ['admin'],
};

/** The view tabs: a view that needs a role asks for a login first. */
export class Views {
  current: View = 'resident';
  private wanted: View | null = null;
  private then: (() => void) | null = null;
  private readonly tabs = [...document.querySelectorAll<HTMLButtonElement>('nav.views [data-view]')];

  constructor(
    private readonly login: Login,
    private readonly planner: PlannerView | null,
    private readonly console: ConsoleView | null,
    private readonly cleared: () => void,
  ) {
    if (!planner) document.querySelector('nav.views [data-view="planner"]')?.remove();
    if (!console) document.querySelector('nav.views [data-view="admin"]')?.remove();
    for (const tab of this.tabs) tab.addEventListener('click', () => this.choose(tab.dataset.view as View));
    login.onChange((role) => {
      if (this.wanted && this.allowed(this.wanted, role)) {
        this.show(this.wanted);
        this.then?.();
      } else if (!this.allowed(this.current, role)) {
        this.show('resident');
      }
      this.wanted = null;
      this.then = null;
    });
  }

  private allowed(view: View, role: Role | null): boolean {
    const roles = VIEW_ROLES[view];
    return roles === null || (role !== null && roles.includes(role));
  }

  /** Shows `view`, after a login if it needs one, then runs `then`. */
  choose(view: View, then: (() => void) | null = null): void {
    if (this.allowed(view, this.login.role)) {
      this.show(view);
      then?.();
      return;
    }
    this.wanted = view;
    this.then = then;
    this.login.open();
  }

  private show(view: View): void {
    if (view !== this.current) this.cleared();
    this.current = view;
    for (const tab of this.tabs) tab.setAttribute('aria-selected', String(tab.dataset.view === view));
    for (const v of Object.keys(VIEW_ROLES)) (document.getElementById(`view-${v}`) as HTMLElement).hidden = v !== view;
    this.planner?.show(view === 'planner');
    this.console?.show(view === 'admin');
    document.body.dataset.view = view;
  }
}
