// Setting up the authenticator app: the QR code and the key for typing by hand, one code to
// confirm, then the recovery codes, shown once, with a step that says they were saved.
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { ApiError } from '../../../lib/api-client.ts';
import { useSession } from '../../../lib/session.ts';
import { SESSION_KEY } from '../../../lib/session-ended.ts';
import { useTotpConfirm, useTotpEnrolment } from '../api/second-factor.ts';
import '../words.ts';
import './login.css';

export default function TotpEnrolmentPage() {
  const { t } = useTranslation();
  const session = useSession();
  const enrolment = useTotpEnrolment();
  const confirm = useTotpConfirm();
  const client = useQueryClient();
  const navigate = useNavigate();
  const started = useRef(false);
  const [code, setCode] = useState('');
  const [saved, setSaved] = useState(false);
  const [missing, setMissing] = useState<string>();

  // Signed in and free to enrol: a session that owes a new password is sent to change it first.
  const signedIn = Boolean(session.data) && !session.data?.passwordChangeRequired;
  // Reached from the menu with the app already set up: the server would refuse a new enrolment (409).
  const alreadyOn =
    Boolean(session.data?.totpEnabled) || (enrolment.error instanceof ApiError && enrolment.error.code === 'totp_already_enabled');
  useEffect(() => {
    // Once per visit: starting again would replace the secret the QR code shows.
    if (!signedIn || alreadyOn || started.current) return;
    started.current = true;
    enrolment.mutate();
  }, [signedIn, alreadyOn, enrolment.mutate]);

  if (session.isSuccess && !session.data) return <Navigate to="/login" replace />;
  // A new password is owed first: until then the server refuses the enrolment.
  if (session.data?.passwordChangeRequired) return <Navigate to="/password" replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code)) return setMissing(t('totp.codeRequired'));
    setMissing(undefined);
    confirm.mutate(code, { onError: () => setCode('') });
  };
  const finish = async () => {
    await client.invalidateQueries({ queryKey: SESSION_KEY });
    void navigate('/', { replace: true });
  };
  const secret = enrolment.data?.secret.replace(/(.{4})(?!$)/g, '$1 ');
  const problem = missing ?? confirm.error?.message ?? enrolment.error?.message;

  if (alreadyOn && !confirm.data) {
    return (
      <main className="login-page">
        <section className="login-card">
          <h1>{t('totp.alreadyOn')}</h1>
          <p className="login-subtitle">{t('totp.alreadyOnHint')}</p>
          <button type="button" className="login-submit" onClick={() => void navigate('/', { replace: true })}>
            {t('totp.home')}
          </button>
        </section>
      </main>
    );
  }

  if (confirm.data) {
    return (
      <main className="login-page">
        <section className="login-card">
          <h1>{t('totp.recoveryTitle')}</h1>
          <p className="login-subtitle">{t('totp.recoveryWhy')}</p>
          <ol className="totp-recovery-codes" data-testid="recovery-codes">
            {confirm.data.recoveryCodes.map((recoveryCode) => (
              <li key={recoveryCode}>{recoveryCode}</li>
            ))}
          </ol>
          <label className="totp-saved">
            <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
            {t('totp.saved')}
          </label>
          <button type="button" className="login-submit" disabled={!saved} onClick={() => void finish()}>
            {t('totp.continue')}
          </button>
        </section>
      </main>
    );
  }

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} noValidate>
        <h1>{t('totp.enrolTitle')}</h1>
        <p className="login-subtitle">{t('totp.enrolWhy')}</p>
        <p>{t('totp.enrolStep1')}</p>
        {enrolment.data ? (
          <>
            <img
              className="totp-qr"
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.data.qrSvg)}`}
              alt={t('totp.enrolQrAlt')}
              width={220}
              height={220}
            />
            <p className="login-hint">
              {t('totp.enrolManual')} <code data-testid="totp-secret">{secret}</code>
            </p>
          </>
        ) : (
          <p className="login-hint">{t('totp.loading')}</p>
        )}
        <label>
          {t('totp.enrolStep2')}
          <input
            name="code"
            className="login-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          />
        </label>
        {problem && (
          <p className="login-error" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="login-submit" disabled={!enrolment.data || confirm.isPending}>
          {confirm.isPending ? '…' : t('totp.confirm')}
        </button>
      </form>
    </main>
  );
}
