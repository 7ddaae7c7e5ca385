// The route table. Every page loads lazily, so the public first page carries only the shell
// and the home page. The portal's routes live in portal/routes.tsx, the console's in
// console/routes.tsx — each team adds pages there without touching this file.
import type { RouteObject } from 'react-router-dom';
import { Shell } from './app/Shell.tsx';
import { portalRoutes } from './portal/routes.tsx';
import { consoleRoutes } from './console/routes.tsx';

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <Shell />,
    children: [...portalRoutes, { path: 'console', children: consoleRoutes }],
  },
];
