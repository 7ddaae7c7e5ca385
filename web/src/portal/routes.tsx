// The public portal's pages (enterprises, residents, anyone). Each page is a lazy chunk.
import type { RouteObject } from 'react-router-dom';

export const portalRoutes: RouteObject[] = [
  { index: true, lazy: async () => ({ Component: (await import('./pages/Home.tsx')).default }) },
  { path: 'login', lazy: async () => ({ Component: (await import('./pages/Login.tsx')).default }) },
  { path: 'search', lazy: async () => ({ Component: (await import('./pages/Search.tsx')).default }) },
  { path: 'documents/:id', lazy: async () => ({ Component: (await import('./pages/DocumentPage.tsx')).default }) },
  { path: 'items/:id', lazy: async () => ({ Component: (await import('./pages/ItemPage.tsx')).default }) },
  { path: 'me', lazy: async () => ({ Component: (await import('./pages/Entitlements.tsx')).default }) },
  { path: 'apply/:itemId', lazy: async () => ({ Component: (await import('./pages/Apply.tsx')).default }) },
  { path: 'me/applications', lazy: async () => ({ Component: (await import('./pages/Applications.tsx')).default }) },
  { path: 'me/applications/:id', lazy: async () => ({ Component: (await import('./pages/Application.tsx')).default }) },
  { path: 'me/grants', lazy: async () => ({ Component: (await import('./pages/Grants.tsx')).default }) },
  { path: 'me/inbox', lazy: async () => ({ Component: (await import('./pages/Inbox.tsx')).default }) },
  { path: 'me/preferences', lazy: async () => ({ Component: (await import('./pages/Preferences.tsx')).default }) },
];
