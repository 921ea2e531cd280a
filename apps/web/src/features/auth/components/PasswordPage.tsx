// Changing one's password: asked of everyone signed in with a password an administrator set (a
// new account's first, a reset) before anything else opens, and open to every staff account from
// the home page's account row. The rules are checked here first, in words, and again by the server.
import { meetsPasswordRule } from '@cunzhi/contracts/password-rule';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { ApiError } from '../../../lib/api-client.ts';
import { useLogout, useSession } from '../../../lib/session.ts';
import { usePasswordChange } from '../api/password.ts';
import '../words.ts';
import './login.css';

export default function PasswordPage() {
  const { t } = useTranslation();
  const session = useSession();
  const change = usePasswordChange();
  const logout = useLogout();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [missing, setMissing] = useState<string>();

  if (session.isSuccess && !session.data) return <Navigate to="/login" replace />;
  const required = session.data?.passwordChangeRequired === true;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem =
      current === ''
        ? t('password.currentRequired')
        : !meetsPasswordRule(next)
          ? t('password.rule')
          : next !== again
            ? t('password.mismatch')
            : next === current
              ? t('password.same')
              : undefined;
    setMissing(problem);
    if (problem) return;
    change.mutate({ currentPassword: current, newPassword: next }, { onError: () => setCurrent('') });
  };

  if (change.isSuccess) {
    return (
      <main className="login-page">
        <section className="login-card">
          <h1>{t('password.done')}</h1>
          <p className="login-subtitle" role="status">
            {t('password.doneHint')}
          </p>
          <Link to="/" replace className="login-submit">
            {t('password.home')}
          </Link>
        </section>
      </main>
    );
  }

  // The login's words ("wrong phone or password", "villagers may use a texted code") do not fit a
  // form without a phone number, signed in: this page says them its own way.
  const refused = change.error instanceof ApiError ? change.error.code : undefined;
  const problem =
    missing ??
    (refused === 'invalid_credentials'
      ? t('password.wrongCurrent')
      : refused === 'account_locked'
        ? t('password.locked')
        : change.error?.message);
  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} noValidate>
        <h1>{t('password.title')}</h1>
        <p className="login-subtitle">{required ? t('password.requiredWhy') : t('password.why')}</p>
        {session.data && (
          <p className="login-hint" data-testid="password-account">
            {t('password.account', { name: session.data.user.displayName, phone: session.data.user.phone })}
          </p>
        )}
        <label>
          {t('password.current')}
          <input
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            maxLength={200}
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label>
          {t('password.next')}
          <input
            name="newPassword"
            type="password"
            autoComplete="new-password"
            maxLength={200}
            aria-describedby="password-rule"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <p id="password-rule" className="login-hint">
          {t('password.rule')}
        </p>
        <label>
          {t('password.again')}
          <input
            name="newPasswordAgain"
            type="password"
            autoComplete="new-password"
            maxLength={200}
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        {problem && (
          <p className="login-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="login-submit" disabled={change.isPending}>
          {change.isPending ? '…' : t('password.submit')}
        </button>
        {required ? (
          // Nothing else opens until it is changed: the one other way is out.
          <button type="button" className="login-secondary" onClick={() => logout.mutate()}>
            {t('password.logout')}
          </button>
        ) : (
          <Link to="/" className="login-secondary">
            {t('password.home')}
          </Link>
        )}
      </form>
    </main>
  );
}
