// The console's pages (departments, payout officers, admins, leaders), under /console.
import type { RouteObject } from 'react-router-dom';

export const consoleRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import('./pages/Overview.tsx')).default }) },
];
