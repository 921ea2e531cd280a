// The points pages bring their own Chinese words (those shown elsewhere are in lib/i18n-shared.ts; English comes
// with app/i18n.en.ts), so that phones opening other pages do not download them.
import i18n from '../../lib/i18n.ts';
import { pointsZh } from './i18n.ts';

i18n.addResourceBundle('zh-CN', 'translation', pointsZh, true, false);
