// The farms module's error codes (modules/agri), kept apart from errors.ts's catalogue, which
// spreads them in: the catalogue had outgrown one file.
export const AGRI_ERRORS = {
  agri_date_in_future: { status: 400, zh: '日期不能晚于今天，未保存', en: 'The date cannot be after today; nothing was stored' },
  agri_date_too_early: {
    status: 400,
    zh: '{field}不能早于{earliest}，未保存',
    en: 'The {field} cannot be before {earliest}; nothing was stored',
  },
  agri_value_implausible: {
    status: 400,
    zh: '{field}超出合理范围（单价每公斤0.01至1000元；数量不超过该地块或禽畜群的合理产量），未保存',
    en: 'The {field} is outside the plausible range (0.01 to 1,000 yuan a kg; no more kilograms than the plot or flock can give); nothing was stored',
  },
  agri_subject_required: {
    status: 400,
    zh: '请选择一块地或一群禽畜（只能选一个），未保存',
    en: 'Choose one plot or one flock (exactly one); nothing was stored',
  },
  agri_observation_incomplete: {
    status: 400,
    zh: '这类记录须填写{field}，未保存',
    en: 'This kind of record needs {field}; nothing was stored',
  },
  agri_subject_retired: { status: 409, zh: '该地块或禽畜群已移除', en: 'This plot or flock has been removed' },
  agri_deaths_exceed_flock: {
    status: 400,
    zh: '死亡数量超过了现有数量{heads}，未保存',
    en: 'More deaths than the {heads} the flock has; nothing was stored',
  },
  weather_feed_invalid: {
    status: 400,
    zh: '天气数据第{line}行有误（{problem}），全部未导入',
    en: 'Line {line} of the weather feed is not valid ({problem}); nothing was imported',
  },
  weather_range_invalid: { status: 400, zh: '最低气温不能高于最高气温', en: 'The minimum temperature cannot be above the maximum' },
  question_state: { status: 409, zh: '该提问已结束，不能再回复', en: 'This question is closed and takes no more messages' },
  camera_not_attached: {
    status: 409,
    zh: '该摄像头未在监控台关联到这户，请先由村干部关联',
    en: 'This camera is not attached to this household on the camera desk; a cadre attaches it first',
  },
} satisfies Record<string, { status: number; zh: string; en: string }>;
