// The console's pages (departments, payout officers, admins, leaders), under /console.
import type { RouteObject } from 'react-router-dom';

export const consoleRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import('./pages/Overview.tsx')).default }) },
  { path: 'dashboards', lazy: async () => ({ Component: (await import('./dashboards/Dashboards.tsx')).default }) },
  { path: 'items', lazy: async () => ({ Component: (await import('./pages/Items.tsx')).default }) },
  { path: 'items/new', lazy: async () => ({ Component: (await import('./pages/ItemEditor.tsx')).default }) },
  { path: 'items/:id/edit', lazy: async () => ({ Component: (await import('./pages/ItemEditor.tsx')).default }) },
  { path: 'reviews', lazy: async () => ({ Component: (await import('./pages/Reviews.tsx')).default }) },
  { path: 'contests', lazy: async () => ({ Component: (await import('./pages/Contests.tsx')).default }) },
  { path: 'payouts', lazy: async () => ({ Component: (await import('./pages/Payouts.tsx')).default }) },
  { path: 'audit', lazy: async () => ({ Component: (await import('./pages/Audit.tsx')).default }) },
  { path: 'users', lazy: async () => ({ Component: (await import('./pages/Users.tsx')).default }) },
  { path: 'connectors', lazy: async () => ({ Component: (await import('./pages/Connectors.tsx')).default }) },
];
