// The second-factor pages bring their own Chinese words (English comes with app/i18n.en.ts).
import i18n from '../../lib/i18n.ts';
import { totpZh } from './i18n.ts';

i18n.addResourceBundle('zh-CN', 'translation', totpZh, true, false);
