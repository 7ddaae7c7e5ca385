// zh-CN first, English second: every user-facing string is written as t('中文', 'English')
// at the point of use, so the two never drift apart in separate catalogues.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Locale = 'zh-CN' | 'en';

interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  /** The text in the current locale. */
  t(zh: string, en: string): string;
}

const KEY = 'kx.locale';
const Ctx = createContext<I18n>({ locale: 'zh-CN', setLocale: () => {}, t: (zh) => zh });

function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null;
  return saved === 'en' ? 'en' : 'zh-CN';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  // The page declares its language (screen readers, translation tools), also after a reload.
  useEffect(() => { document.documentElement.lang = locale; }, [locale]);
  const value = useMemo<I18n>(() => ({
    locale,
    setLocale: (l) => {
      localStorage.setItem(KEY, l);
      setLocaleState(l);
    },
    t: (zh, en) => (locale === 'en' ? en : zh),
  }), [locale]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}

/** Picks the label of a {zh, en} pair the API returns. */
export function useLabel(): (l: { zh?: string; en?: string } | undefined | null) => string {
  const { locale } = useI18n();
  return (l) => (l ? (locale === 'en' ? l.en ?? l.zh ?? '' : l.zh ?? l.en ?? '') : '');
}
