// The public portal's pages (enterprises, residents, anyone). Each page is a lazy chunk.
import type { RouteObject } from 'react-router-dom';

export const portalRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import('./pages/Home.tsx')).default }) },
];
