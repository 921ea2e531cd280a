// A page's calls: the call stream, the call ringing or on, and its WebRTC connection. One call at a
// time; a ring while busy is left to ring out (the server records it as missed).
import type { Call, CallStreamEvents, StartCallInput } from '@cunzhi/contracts/care-calls';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../lib/api-client.ts';
import type { CallApi } from './api/calls.ts';
import { openCallStream, type StreamState } from './call-stream.ts';
import { CallPeer } from './peer.ts';

export type Phase = 'idle' | 'calling' | 'ringing' | 'active' | 'ended';

export type CallState = {
  phase: Phase;
  call?: Call;
  autoAnswer?: boolean;
  local?: MediaStream;
  remote?: MediaStream;
  myVideoOn: boolean;
  theirVideoOn: boolean;
  connection?: RTCPeerConnectionState;
  /** Why the last call ended (missed, declined, offline, consent_withdrawn …). */
  ended?: { state: string; reason: string | null };
  error?: string;
};

const IDLE: CallState = { phase: 'idle', myVideoOn: true, theirVideoOn: true };

export function useCall(
  api: CallApi,
  side: 'family' | 'home',
  handlers: {
    onSettings?(lookConsent: boolean): void;
    /** A family member's page: the elder gave or withdrew the standing consent to a look at home. */
    onConsent?(consent: CallStreamEvents['consent']): void;
    /** A family member's page: the elder's home device came on or went off. */
    onPresence?(presence: CallStreamEvents['presence']): void;
    /** A pairing code this user issued was used by a home device. */
    onPaired?(paired: CallStreamEvents['paired']): void;
    /** A call of this page's side ended (this page's or another: a ring left unanswered while busy); the history is out of date. */
    onEnded?(): void;
  } = {},
) {
  const [state, setState] = useState<CallState>(IDLE);
  const [stream, setStream] = useState<StreamState>('connecting');
  const current = useRef<CallState>(IDLE);
  const peer = useRef<CallPeer | undefined>(undefined);
  const latest = useRef(handlers);
  latest.current = handlers;

  const update = useCallback((next: Partial<CallState> | ((s: CallState) => Partial<CallState>)) => {
    const patch = typeof next === 'function' ? next(current.current) : next;
    current.current = { ...current.current, ...patch };
    setState(current.current);
  }, []);

  /** Answers and ends of calls not (yet) known here: our own call's, when the stream outran the answer to POST /calls. */
  const early = useRef(new Map<string, 'answered' | CallStreamEvents['ended']>());
  const remember = useCallback((callId: string, what: 'answered' | CallStreamEvents['ended']) => {
    // Only the last few matter (start() asks for one id at once); a TV left on for months keeps no more.
    if (early.current.size >= 20) early.current.clear();
    early.current.set(callId, what);
  }, []);
  // Calls whose end the server has confirmed and the history was asked again for: once each (each read is audited).
  const refreshed = useRef(new Set<string>());
  const endConfirmed = useCallback((callId: string) => {
    if (refreshed.current.has(callId)) return;
    refreshed.current.add(callId);
    latest.current.onEnded?.();
  }, []);

  const finish = useCallback((ended: CallState['ended'], refresh = true) => {
    peer.current?.close();
    peer.current = undefined;
    current.current = { ...IDLE, phase: 'ended', call: current.current.call, ended };
    setState(current.current);
    if (refresh) latest.current.onEnded?.();
  }, []);

  const connect = useCallback(
    async (call: Call, offerer: boolean) => {
      const media = call.kind === 'call' ? 'call' : side === 'home' ? 'lookCamera' : 'lookViewer';
      peer.current = await CallPeer.open({
        api,
        callId: call.id,
        offerer,
        media,
        onLocal: (local) => update({ local }),
        onRemote: (remote) => update({ remote }),
        onVideo: (whose, on) => update(whose === 'mine' ? { myVideoOn: on } : { theirVideoOn: on }),
        onConnection: (connection) => update({ connection }),
      });
    },
    [api, side, update],
  );

  const answer = useCallback(async () => {
    const call = current.current.call;
    if (!call || current.current.phase !== 'ringing') return;
    update({ phase: 'active' });
    try {
      await connect(call, false);
      await api.answer(call.id);
    } catch (error) {
      update({ error: error instanceof Error ? error.message : String(error) });
      finish({ state: 'ended', reason: 'failed' });
    }
  }, [api, connect, update, finish]);

  useEffect(() => {
    const close = openCallStream({
      headers: api.headers,
      onState: setStream,
      onEvent: (event, data) => {
        const now = current.current;
        if (event === 'ring') {
          const { call, autoAnswer } = data as CallStreamEvents['ring'];
          if (now.phase === 'calling' || now.phase === 'ringing' || now.phase === 'active') return;
          current.current = { ...IDLE, phase: 'ringing', call, autoAnswer };
          setState(current.current);
          if (autoAnswer && side === 'home') void answer();
        } else if (event === 'answered') {
          const { callId } = data as CallStreamEvents['answered'];
          // A look (or a named family member's call) is answered by the TV at once: its answer can come
          // down the stream before the answer to our own POST /calls has named the call (start() takes it).
          if (now.call?.id !== callId) remember(callId, 'answered');
          if (now.call?.id !== callId || now.phase !== 'calling') return;
          update({ phase: 'active' });
          void connect(now.call, true).catch(() => finish({ state: 'ended', reason: 'failed' }));
        } else if (event === 'signal') {
          const signal = data as CallStreamEvents['signal'];
          if (now.call?.id === signal.callId) void peer.current?.handle(signal).catch(() => undefined);
        } else if (event === 'ended') {
          // The server sends this once the call's end is stored, so the history read now shows it ended
          // (the side that hung up asked at once and could read it still on; CI's calls test).
          const ended = data as CallStreamEvents['ended'];
          if (now.call?.id !== ended.callId) remember(ended.callId, ended);
          if (now.call?.id === ended.callId && now.phase !== 'ended') finish({ state: ended.state, reason: ended.reason }, false);
          endConfirmed(ended.callId);
        } else if (event === 'settings') {
          latest.current.onSettings?.((data as CallStreamEvents['settings']).lookConsent);
        } else if (event === 'consent') {
          latest.current.onConsent?.(data as CallStreamEvents['consent']);
        } else if (event === 'presence') {
          latest.current.onPresence?.(data as CallStreamEvents['presence']);
        } else if (event === 'paired') {
          latest.current.onPaired?.(data as CallStreamEvents['paired']);
        }
      },
    });
    return () => {
      close();
      peer.current?.close();
    };
  }, [api, side, answer, connect, update, finish, endConfirmed, remember]);

  const start = useCallback(
    async (input: StartCallInput) => {
      try {
        const call = await api.start(input);
        if (call.state === 'missed') {
          current.current = { ...IDLE, phase: 'ended', call, ended: { state: call.state, reason: call.endReason } };
          setState(current.current);
          latest.current.onEnded?.();
          return;
        }
        current.current = { ...IDLE, phase: 'calling', call };
        setState(current.current);
        // What the stream told of this call before we knew its id.
        const before = early.current.get(call.id);
        early.current.clear();
        if (before === 'answered') {
          update({ phase: 'active' });
          await connect(call, true).catch(() => finish({ state: 'ended', reason: 'failed' }));
        } else if (before) {
          finish({ state: before.state, reason: before.reason });
        }
      } catch (error) {
        update({ error: error instanceof ApiError ? error.message : String(error) });
      }
    },
    [api, update, connect, finish],
  );

  const hangUp = useCallback(async () => {
    const { call, phase } = current.current;
    if (!call) return;
    // The history is asked again once the end is stored (asked at once, it read the call still on: CI's calls test).
    finish({ state: phase === 'ringing' ? 'declined' : 'ended', reason: phase === 'ringing' ? 'declined' : 'hangup' }, false);
    await api.end(call.id, phase === 'ringing' ? 'declined' : 'hangup').catch(() => undefined);
    endConfirmed(call.id);
  }, [api, finish, endConfirmed]);

  const reset = useCallback(() => {
    current.current = IDLE;
    setState(IDLE);
  }, []);

  return { state, stream, start, answer, hangUp, reset };
}
