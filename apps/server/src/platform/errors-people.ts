// Refusals of what people type about themselves and their village's matters (modules/org,
// modules/cases): a birth date off the calendar of the living, a title that says nothing, a
// villager's reports beyond a day's share. Kept apart from errors.ts's catalogue, which spreads them in.
export const PEOPLE_ERRORS = {
  reports_too_many: {
    status: 429,
    zh: '您今天已反映了{count}件事，请明天再报；急事请直接打电话给网格员或村委会',
    en: 'You have reported {count} matters today; report more tomorrow, or call your grid worker or village committee if it is urgent',
  },
  reminders_too_many: {
    status: 429,
    zh: '一小时内最多发送{count}条语音提醒，请稍后再发',
    en: 'At most {count} speaker reminders an hour; send more later',
  },
  text_blank: { status: 400, zh: '请写下要提醒的话，不能只有空格', en: 'Write what the reminder says: it cannot be only spaces' },
  title_blank: { status: 400, zh: '请写下要反映的事情，标题不能只有空格', en: 'Say what the matter is: the title cannot be only spaces' },
  birth_date_out_of_range: {
    status: 400,
    zh: '出生日期应在1900年1月1日到今天之间',
    en: 'The date of birth must be between 1 January 1900 and today',
  },
} satisfies Record<string, { status: number; zh: string; en: string }>;
