// The login's second step: the authenticator app's code, or a recovery code when the phone is not at hand.
import type { LoginChallenge } from '@cunzhi/contracts/auth';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../lib/api-client.ts';
import { useSecondFactor } from '../api/second-factor.ts';
import '../words.ts';

export function SecondFactorStep({ challenge, onRestart }: { challenge: LoginChallenge; onRestart(): void }) {
  const { t } = useTranslation();
  const verify = useSecondFactor();
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = value.trim();
    if (!recovery && !/^\d{6}$/.test(typed)) return setMissing(t('totp.codeRequired'));
    if (recovery && !typed) return setMissing(t('totp.recoveryCodeRequired'));
    setMissing(undefined);
    verify.mutate(
      recovery ? { pendingToken: challenge.pendingToken, recoveryCode: typed } : { pendingToken: challenge.pendingToken, code: typed },
      // A spent or stale code is typed again; the next one comes within 30 seconds.
      { onError: () => setValue('') },
    );
  };
  const expired = verify.error instanceof ApiError && verify.error.code === 'login_challenge_expired';
  const problem = missing ?? verify.error?.message;

  return (
    <form className="login-card" onSubmit={submit} noValidate>
      <h1>{t('totp.codeTitle')}</h1>
      <p className="login-subtitle">{recovery ? t('totp.recoveryHint') : t('totp.codeHint')}</p>
      {recovery ? (
        <label>
          {t('totp.recoveryCode')}
          <input
            name="recoveryCode"
            autoComplete="off"
            autoCapitalize="characters"
            maxLength={40}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
      ) : (
        <label>
          {t('totp.code')}
          <input
            name="code"
            className="login-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            // biome-ignore lint/a11y/noAutofocus: the page has nothing else to do than take this code
            autoFocus
            value={value}
            onChange={(e) => setValue(e.target.value.replace(/\D/g, ''))}
          />
        </label>
      )}
      {problem && (
        <p className="login-error" role="alert">
          {problem}
        </p>
      )}
      {expired ? (
        <button type="button" className="login-submit" onClick={onRestart}>
          {t('totp.restart')}
        </button>
      ) : (
        <button type="submit" className="login-submit" disabled={verify.isPending}>
          {verify.isPending ? '…' : t('totp.verify')}
        </button>
      )}
      <p className="login-hint">
        <button
          type="button"
          className="login-link"
          onClick={() => {
            setRecovery(!recovery);
            setValue('');
            setMissing(undefined);
          }}
        >
          {recovery ? t('totp.useAppCode') : t('totp.useRecoveryCode')}
        </button>
      </p>
    </form>
  );
}
