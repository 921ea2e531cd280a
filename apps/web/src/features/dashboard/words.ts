// The wall screen brings its own Chinese words (English comes with app/i18n.en.ts), so that phones
// opening other pages do not download them.
import i18n from '../../lib/i18n.ts';
import { dashboardZh } from './i18n.ts';

i18n.addResourceBundle('zh-CN', 'translation', dashboardZh, true, false);
