// Whether the duty screen plays a sound for a new alarm: asked once on this device, then
// remembered (a browser plays sound only after a tap, so the answer is also the tap that allows it).
const KEY = 'cunzhi.care.alarmSound';

export type SoundChoice = 'on' | 'off' | undefined;

export function storedSoundChoice(): SoundChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'on' || value === 'off' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function storeSoundChoice(choice: 'on' | 'off'): void {
  try {
    localStorage.setItem(KEY, choice);
  } catch {
    // A browser that keeps nothing asks again next time.
  }
}
