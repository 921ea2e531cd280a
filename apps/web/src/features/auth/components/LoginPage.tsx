// Plain HTML and CSS on purpose: the first page on a slow village network loads no UI library.
// Two ways in, said plainly and both in view, villagers' first: villagers and family members by a
// code texted to their phone (no password to forget), staff by password and their second factor.
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { ElderModeSwitch } from '../../../components/ElderModeSwitch.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { switchLanguage } from '../../../lib/i18n.ts';
import { useSession } from '../../../lib/session.ts';
import { takeSessionEnded } from '../../../lib/session-ended.ts';
import { useLogin } from '../api/login.ts';
import { usePlatformInfo } from '../api/platform-info.ts';
import { isChallenge } from '../api/second-factor.ts';
import { SecondFactorStep } from './SecondFactorStep.tsx';
import { MOBILE, SmsCodeForm } from './SmsCodeForm.tsx';
import '../words.ts';
import './login.css';

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const login = useLogin();
  const demo = usePlatformInfo().data?.demo === true;
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [sessionEnded] = useState(takeSessionEnded);
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<string>();
  const [smsOffer, setSmsOffer] = useState<{ phone: string }>();

  if (session.data) return <Navigate to={from} replace />;
  if (isChallenge(login.data)) {
    return (
      <main className="login-page">
        <SecondFactorStep challenge={login.data} onRestart={() => login.reset()} />
      </main>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const number = phone.replace(/\s/g, '');
    if (!number) return setMissing(t('login.phoneRequired'));
    // Said here, in words: the server's answer to a short number is only 输入有误.
    if (!MOBILE.test(number)) return setMissing(t('smsLogin.phoneInvalid'));
    if (!password) return setMissing(t('login.passwordRequired'));
    setMissing(undefined);
    login.mutate({ phone: number, password });
  };
  const problem = missing ?? login.error?.message;
  // A locked password does not lock the texted code: villagers and family go that way at once.
  const locked = !missing && login.error instanceof ApiError && login.error.code === 'account_locked';

  return (
    <main className="login-page">
      <div className="login-toolbar">
        <ElderModeSwitch size="large" />
        <button type="button" className="login-language" onClick={() => void switchLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}>
          {t('nav.language')}
        </button>
      </div>
      <div className="login-card">
        {demo && (
          <div className="login-demo-banner" role="note">
            <strong>{t('login.demoTitle')}</strong> {t('login.demoBanner')}
          </div>
        )}
        <h1>{t('app.name')}</h1>
        <p className="login-subtitle">{t('app.subtitle')}</p>
        {sessionEnded && !problem && (
          <p className="login-error" role="alert" data-testid="session-ended">
            {t('login.sessionEnded')}
          </p>
        )}
        <section className="login-way" aria-labelledby="login-way-code">
          <h2 id="login-way-code" className="login-way-title">
            {t('smsLogin.villagerChoice')}
          </h2>
          <p className="login-way-hint">{t('smsLogin.villagerChoiceHint')}</p>
          <SmsCodeForm offer={smsOffer} />
        </section>
        <section className="login-way" aria-labelledby="login-way-password">
          <h2 id="login-way-password" className="login-way-title">
            {t('smsLogin.staffChoice')}
          </h2>
          <p className="login-way-hint">{t('smsLogin.staffChoiceHint')}</p>
          <form className="login-form" onSubmit={submit} noValidate aria-labelledby="login-way-password">
            <label>
              {t('login.phone')}
              <input
                name="phone"
                inputMode="tel"
                autoComplete="username"
                maxLength={20}
                value={phone}
                onChange={(e) => setPhone(e.target.value)}
              />
            </label>
            <label>
              {t('login.password')}
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                maxLength={200}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            {problem && (
              <p className="login-error" role="alert">
                {problem}
              </p>
            )}
            {locked && (
              <button type="button" className="login-secondary" onClick={() => setSmsOffer({ phone: phone.trim() })}>
                {t('smsLogin.useSmsInstead')}
              </button>
            )}
            <button type="submit" className="login-submit" disabled={login.isPending}>
              {login.isPending ? '…' : t('login.submit')}
            </button>
            <p className="login-hint">{t('smsLogin.forgotPassword')}</p>
            <p className="login-hint">{t('smsLogin.staffHelp')}</p>
          </form>
        </section>
        {demo && <p className="login-hint">{t('login.demoHint')}</p>}
        <p className="login-hint">
          <a href="/public">{t('villagePublic.index')}</a>
        </p>
      </div>
    </main>
  );
}
