// Signing in the way villagers already do: the phone number, a code by text, and the choice to
// stay signed in on one's own phone. The server answers the same whether or not the number has
// an account, so the page says "if this number is registered" and never more.
//
// The staff's password form sits below on the same page and keeps the page's one submit button
// and the `phone` and `code` field names (what password managers, the second-factor step and the
// browser tests look for): this form's fields have names of their own, and it signs in from its
// own button and from Enter in the code field.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSmsCode, useSmsLogin } from '../api/sms-login.ts';
import '../words.ts';

/** A mainland mobile number, as sign-in takes it (contracts' MobilePhone), spaces removed. */
export const MOBILE = /^1[3-9]\d{9}$/;

/** `offer`: the password form was locked for this number; a new offer fills it in and brings the form to hand. */
export function SmsCodeForm({ offer }: { offer?: { phone: string } }) {
  const { t } = useTranslation();
  const askCode = useSmsCode();
  const signIn = useSmsLogin();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [stay, setStay] = useState(false);
  const [missing, setMissing] = useState<string>();
  const [waitSeconds, setWaitSeconds] = useState(0);

  useEffect(() => {
    if (waitSeconds <= 0) return;
    const timer = setTimeout(() => setWaitSeconds((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [waitSeconds]);

  const sendRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!offer) return;
    setPhone(offer.phone);
    sendRef.current?.scrollIntoView({ block: 'center' });
    sendRef.current?.focus();
  }, [offer]);

  const number = phone.replace(/\s/g, '');
  const sendCode = () => {
    if (!MOBILE.test(number)) return setMissing(t('smsLogin.phoneInvalid'));
    setMissing(undefined);
    signIn.reset();
    askCode.mutate({ phone: number }, { onSuccess: (answer) => setWaitSeconds(answer.resendAfterSeconds) });
  };

  const submit = (event?: Pick<FormEvent, 'preventDefault'>) => {
    event?.preventDefault();
    if (!MOBILE.test(number)) return setMissing(t('smsLogin.phoneInvalid'));
    if (!/^\d{6}$/.test(code.trim())) return setMissing(t('smsLogin.codeRequired'));
    setMissing(undefined);
    signIn.mutate({ phone: number, code: code.trim(), staySignedIn: stay });
  };

  const problem = missing ?? signIn.error?.message ?? askCode.error?.message;
  const sent = askCode.isSuccess;
  // The error box sits low on a phone: bring it into view, or a wrong code looks like nothing happened.
  const problemRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (problem) problemRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [problem]);

  return (
    <form className="login-form" onSubmit={submit} noValidate aria-labelledby="login-way-code">
      <label>
        {t('smsLogin.phone')}
        <input
          name="mobile"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={20}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
      </label>
      <button
        type="button"
        className="login-secondary"
        data-testid="send-code"
        ref={sendRef}
        disabled={askCode.isPending || waitSeconds > 0}
        onClick={sendCode}
      >
        {waitSeconds > 0 ? t('smsLogin.resendIn', { seconds: waitSeconds }) : sent ? t('smsLogin.resend') : t('smsLogin.getCode')}
      </button>
      {sent && (
        <p className="login-note" role="status">
          {t('smsLogin.sent')}
        </p>
      )}
      <label>
        {t('smsLogin.code')}
        <input
          name="smsCode"
          className="login-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
          onKeyDown={(e) => {
            if (e.key === 'Enter') submit(e);
          }}
        />
      </label>
      <label className="login-check">
        <input type="checkbox" name="staySignedIn" checked={stay} onChange={(e) => setStay(e.target.checked)} />
        <span>{t('smsLogin.staySignedIn')}</span>
      </label>
      {problem && (
        <p className="login-error" role="alert" ref={problemRef}>
          {problem}
        </p>
      )}
      <button type="button" className="login-submit" data-testid="sms-login" disabled={signIn.isPending} onClick={() => submit()}>
        {signIn.isPending ? '…' : t('smsLogin.submit')}
      </button>
    </form>
  );
}
