// "在本设备接收通知": subscribes this browser to web push. Needs the service worker (/sw.js,
// registered in production builds), the permission, and the service's VAPID public key
// (GET /api/v1/push/vapid-public-key); the subscription goes to POST /api/v1/me/push-subscriptions.
import { useEffect, useState } from 'react';
import { App, Button } from 'antd';
import { api, errorText } from '../../app/api.ts';
import { useI18n } from '../../app/i18n.tsx';

/** base64url → the bytes PushManager.subscribe wants as applicationServerKey. */
export function base64UrlToBytes(s: string): Uint8Array<ArrayBuffer> {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const supported = () => typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof window !== 'undefined' && 'PushManager' in window && 'Notification' in window;

export function PushButton() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [state, setState] = useState<'unknown' | 'off' | 'on' | 'unsupported' | 'denied'>('unknown');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!supported()) { setState('unsupported'); return; }
    if (Notification.permission === 'denied') { setState('denied'); return; }
    void navigator.serviceWorker.getRegistration().then((reg) => reg?.pushManager.getSubscription()).then((sub) => setState(sub ? 'on' : 'off'), () => setState('off'));
  }, []);
  const subscribe = async () => {
    setBusy(true);
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') { setState('denied'); return; }
      const reg = (await navigator.serviceWorker.getRegistration()) ?? (await navigator.serviceWorker.register('/sw.js'));
      await navigator.serviceWorker.ready;
      const { public_key } = await api.get('/api/v1/push/vapid-public-key');
      const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(public_key) });
      const json = sub.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
      await api.post('/api/v1/me/push-subscriptions', { body: { endpoint: json.endpoint, keys: json.keys, locale } });
      setState('on');
      message.success(t('已开启本设备的消息提醒', 'Notifications are on for this device'));
    } catch (e) {
      message.error(errorText(e, locale));
    } finally {
      setBusy(false);
    }
  };
  const unsubscribe = async () => {
    setBusy(true);
    try {
      const sub = await (await navigator.serviceWorker.getRegistration())?.pushManager.getSubscription();
      if (sub) {
        await api.delete('/api/v1/me/push-subscriptions', { query: { endpoint: sub.endpoint } }).catch(() => undefined);
        await sub.unsubscribe();
      }
      setState('off');
    } finally {
      setBusy(false);
    }
  };
  if (state === 'unsupported') return <span>{t('此浏览器不支持消息推送。', 'This browser cannot receive push notifications.')}</span>;
  if (state === 'denied') return <span>{t('已禁止通知：请在浏览器设置中允许本站通知。', 'Notifications are blocked: allow them in the browser settings.')}</span>;
  return state === 'on'
    ? <Button loading={busy} onClick={() => void unsubscribe()}>{t('关闭本设备的消息提醒', 'Turn off notifications on this device')}</Button>
    : <Button type="primary" loading={busy} onClick={() => void subscribe()}>{t('在本设备接收消息提醒', 'Get notifications on this device')}</Button>;
}
