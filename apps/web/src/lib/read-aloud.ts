// Reads the page's main text aloud (朗读) with the browser's own speech synthesis: a Chinese voice
// installed on the phone works with no network. Phones without speech synthesis, or without a
// Chinese voice, get a plain answer instead of silence.
import { useEffect, useState, useSyncExternalStore } from 'react';

type Speech = Pick<SpeechSynthesis, 'speak' | 'cancel' | 'getVoices' | 'speaking'>;

function speech(): Speech | undefined {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : undefined;
}

export function canReadAloud(): boolean {
  return speech() !== undefined && typeof SpeechSynthesisUtterance !== 'undefined';
}

/** A local Chinese voice if there is one (it needs no network), else any Chinese voice. */
function chineseVoice(synth: Speech): SpeechSynthesisVoice | undefined {
  const chinese = synth.getVoices().filter((voice) => /^zh([-_]|$)/i.test(voice.lang));
  return chinese.find((voice) => voice.localService && /CN|Hans/i.test(voice.lang)) ?? chinese.find((v) => v.localService) ?? chinese[0];
}

/**
 * Short pieces, cut at sentence ends: some phones' engines stop a long utterance half way.
 * Each piece keeps its own punctuation, so the voice pauses where a reader would.
 */
export function speechPieces(text: string, max = 120): string[] {
  const sentences = text
    .replace(/\s+/g, ' ')
    .split(/(?<=[。！？!?；;\n])/)
    .map((s) => s.trim())
    .filter(Boolean);
  const pieces: string[] = [];
  for (const sentence of sentences) {
    for (let i = 0; i < sentence.length; i += max) pieces.push(sentence.slice(i, i + max));
  }
  return pieces;
}

let reading = false;
const listeners = new Set<() => void>();
const setReading = (on: boolean) => {
  reading = on;
  for (const listener of listeners) listener();
};

export function stopReading(): void {
  speech()?.cancel();
  setReading(false);
}

/** Reads the text aloud; false when this browser cannot speak. */
export function readAloud(text: string, language = 'zh-CN'): boolean {
  const synth = speech();
  if (!synth || !canReadAloud()) return false;
  synth.cancel();
  const pieces = speechPieces(text);
  if (pieces.length === 0) return true;
  const voice = language.startsWith('zh') ? chineseVoice(synth) : undefined;
  setReading(true);
  pieces.forEach((piece, index) => {
    const utterance = new SpeechSynthesisUtterance(piece);
    utterance.lang = language;
    if (voice) utterance.voice = voice;
    // A little slower than the default: easier for older ears.
    utterance.rate = 0.9;
    if (index === pieces.length - 1) {
      utterance.onend = () => setReading(false);
      utterance.onerror = () => setReading(false);
    }
    synth.speak(utterance);
  });
  return true;
}

/** The page's main text: the element marked data-read-aloud, else <main>, minus what is marked data-no-read. */
export function mainText(root: ParentNode = document): string {
  const main = root.querySelector<HTMLElement>('[data-read-aloud]') ?? root.querySelector<HTMLElement>('main');
  if (!main) return '';
  const copy = main.cloneNode(true) as HTMLElement;
  for (const skip of copy.querySelectorAll('[data-no-read], [aria-hidden="true"], script, style')) skip.remove();
  // innerText of a detached copy has no layout; textContent with block breaks is close enough.
  for (const block of copy.querySelectorAll('p, li, h1, h2, h3, h4, div, section, dt, dd, button, a')) block.append('\n');
  return copy.textContent ?? '';
}

export function useReading(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => reading,
    () => false,
  );
}

/** Voices load late on some browsers; stop reading when the page goes away. */
export function useReadAloudLifecycle(): void {
  const [, setVoices] = useState(0);
  useEffect(() => {
    const synth = speech() as SpeechSynthesis | undefined;
    if (!synth) return;
    const onVoices = () => setVoices((n) => n + 1);
    synth.addEventListener?.('voiceschanged', onVoices);
    return () => {
      synth.removeEventListener?.('voiceschanged', onVoices);
      stopReading();
    };
  }, []);
}
