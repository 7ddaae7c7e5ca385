// 政策快享 service worker: offline start and web push.
// - The app shell ("/", the manifest, the icons) is cached at install; hashed build assets
//   (/assets/*) are cached the first time they are fetched (they never change under a name).
// - Page navigations go to the network first and fall back to the cached shell offline, so
//   the installed app opens without a connection; the API (/api/) is never cached.
// - `push` shows the notice; `notificationclick` focuses an open tab on its URL or opens one.
const CACHE = 'kx-shell-v1';
const SHELL = ['/', '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('kx-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) { const copy = res.clone(); void caches.open(CACHE).then((c) => c.put('/', copy)); }
          return res;
        })
        .catch(() => caches.match('/').then((r) => r || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.match(req).then((hit) => hit || fetch(req).then((res) => {
        if (res.ok) { const copy = res.clone(); void caches.open(CACHE).then((c) => c.put(req, copy)); }
        return res;
      })),
    );
  }
});

/** The payload: JSON {deliveryId, locale, title, body, url} (server push/channels/webpush.ts), or plain text. */
function readPush(data) {
  if (!data) return { title: '政策快享', body: '' };
  try {
    const j = data.json();
    return { title: j.title || '政策快享', body: j.body || '', url: j.url || '/me/inbox', tag: j.deliveryId ? `kx-${j.deliveryId}` : undefined, lang: j.locale || 'zh-CN' };
  } catch {
    return { title: '政策快享', body: data.text(), url: '/me/inbox' };
  }
}

self.addEventListener('push', (event) => {
  const n = readPush(event.data);
  event.waitUntil(
    self.registration.showNotification(n.title, {
      body: n.body,
      icon: '/icon-192.png',
      badge: '/icon-192.png',
      lang: n.lang || 'zh-CN',
      tag: n.tag,
      data: { url: n.url || '/me/inbox' },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/me/inbox', self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((tabs) => {
      for (const tab of tabs) {
        if (new URL(tab.url).origin === self.location.origin && 'focus' in tab) {
          return tab.focus().then((t) => (t && 'navigate' in t ? t.navigate(target) : t));
        }
      }
      return self.clients.openWindow(target);
    }),
  );
});
