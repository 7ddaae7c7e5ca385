// The typed API client (generated from docs/openapi.json) on the portal's own origin; the
// browser sends the session cookie, so no token is kept in JavaScript.
import { createClient, ApiError } from '../../../server/client/client.ts';

export const api = createClient({ baseUrl: '' });
export { ApiError };

/** A message for the user from any error: the platform's own {code, message} when there is one. */
export function errorText(e: unknown, locale: 'zh-CN' | 'en'): string {
  if (e instanceof ApiError) return locale === 'en' && e.en ? e.en : e.zh;
  return locale === 'en' ? 'Something went wrong; please try again.' : '出错了，请重试。';
}
