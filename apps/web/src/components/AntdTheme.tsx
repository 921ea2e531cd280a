// Ant Design's provider lives here, not at the root, so the login page loads none of antd.
//
// The theme carries the age-friendly rules (MIIT 2021 age-friendly app specification) so that every
// page follows them without styles of its own: text at least 16 px (18 px in elder mode), tap
// targets at least 48 px (60 px in elder mode), and colours with at least 4.5:1
// contrast on white — antd's own link blue (#1677ff, 4.1:1), success green, error red and grey
// secondary text fall short, so each is replaced by a darker shade of the same hue.
import { ConfigProvider, type ThemeConfig } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useElderMode } from '../lib/elder-mode.ts';
import { validateMessagesFor } from '../lib/field-errors.ts';

/** Colours that reach 4.5:1 on white (and on the light tints antd puts under tags and alerts). */
const COLOURS = {
  colorPrimary: '#1f6f43', // 6.2:1
  colorLink: '#1f6f43',
  colorInfo: '#1d4ed8', // 6.7:1
  colorSuccess: '#237804', // 5.9:1
  colorWarning: '#ad4e00', // 5.6:1
  colorError: '#cf1322', // 5.6:1
  colorText: 'rgba(0, 0, 0, 0.88)',
  colorTextSecondary: '#4b5563', // 7.6:1
  colorTextTertiary: '#4b5563',
  colorTextDescription: '#4b5563',
  colorTextPlaceholder: '#6b7280', // 4.8:1
  // A control that cannot be used yet is still read (antd's rgba(0,0,0,.25) is under 2:1): the
  // phone's own disabled grey, 4.8:1 on the grey behind it (styles.css .btn:disabled).
  colorTextDisabled: '#656c79',
  colorBgContainerDisabled: '#f3f4f6', // with the text above: 4.8:1
  colorTextLabel: '#374151',
  colorIcon: '#4b5563',
  colorIconHover: '#111827',
} as const;

export function themeFor(elder: boolean): ThemeConfig {
  const text = elder ? 18 : 16;
  // The desk pages share the phone's sizes: one theme, and a clerk's mouse loses nothing by them.
  const target = elder ? 60 : 48;
  return {
    token: {
      ...COLOURS,
      borderRadius: 6,
      fontSize: text,
      fontSizeSM: text,
      fontSizeLG: text + 2,
      fontSizeHeading5: text + 2,
      fontSizeHeading4: text + 4,
      lineHeight: elder ? 1.6 : 1.5,
      controlHeight: target,
      controlHeightSM: target,
      controlHeightLG: target + 8,
    },
    components: {
      Checkbox: { controlInteractiveSize: elder ? 28 : 22 },
      Radio: { radioSize: elder ? 28 : 22, dotSize: elder ? 14 : 10 },
      // A switch's track is as tall as a thumb can see; styles.css widens what it answers to, to the target.
      // The desk tables draw theirs small (size="small"): the same sizes, for a finger.
      Switch: elder
        ? { trackHeight: 40, trackMinWidth: 72, handleSize: 36, trackHeightSM: 40, trackMinWidthSM: 72, handleSizeSM: 36 }
        : { trackHeight: 32, trackMinWidth: 56, handleSize: 28, trackHeightSM: 32, trackMinWidthSM: 56, handleSizeSM: 28 },
    },
  };
}

/**
 * Buttons say their words as written: antd puts a space between two Chinese characters
 * ("接 警", "提 交"), which a screen reader and 朗读 read as two words and a villager reads as a typo.
 */
const BUTTON = { autoInsertSpace: false } as const;

export function AntdTheme({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const [elder] = useElderMode();
  const theme = useMemo(() => themeFor(elder), [elder]);
  // Form messages in words, never antd's "与模式不匹配/^…$/" (lib/field-errors.ts).
  const form = useMemo(() => ({ validateMessages: validateMessagesFor(i18n.language) }), [i18n.language]);
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={theme} form={form} button={BUTTON}>
      {children}
    </ConfigProvider>
  );
}
