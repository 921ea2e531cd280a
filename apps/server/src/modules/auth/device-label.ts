// A coarse name for the device a session signed in from, read from the User-Agent kept with it:
// the kind of system and the browser, never the model, version or anything else the string says.

import type { DeviceBrowser, DeviceSystem } from '@cunzhi/contracts/auth';

export function deviceOf(userAgent: string | null): { system: DeviceSystem; browser: DeviceBrowser } {
  const ua = (userAgent ?? '').slice(0, 512);
  return { system: systemOf(ua), browser: browserOf(ua) };
}

function systemOf(ua: string): DeviceSystem {
  if (/HarmonyOS|OpenHarmony/i.test(ua)) return 'harmony';
  if (/iPhone|iPod/.test(ua)) return 'iphone';
  if (/iPad/.test(ua)) return 'ipad';
  if (/Android/i.test(ua)) return 'android';
  if (/Windows/.test(ua)) return 'windows';
  if (/Macintosh|Mac OS X/.test(ua)) return 'mac';
  if (/Linux|X11|CrOS/.test(ua)) return 'linux';
  return 'other';
}

function browserOf(ua: string): DeviceBrowser {
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/Edg(e|A|iOS)?\//.test(ua)) return 'edge';
  if (/Firefox\/|FxiOS\//.test(ua)) return 'firefox';
  if (/Chrome\/|CriOS\/|Chromium\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua) && /Version\//.test(ua)) return 'safari';
  return 'other';
}
