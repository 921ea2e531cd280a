// The poverty monitoring module's error codes (modules/poverty), kept apart from errors.ts's
// catalogue, which spreads them in: the catalogue had outgrown one file.
export const POVERTY_ERRORS = {
  poverty_changed: {
    status: 409,
    zh: '该户的办理进度已被他人更新，请刷新后重试',
    en: 'Someone changed this household’s procedure meanwhile; reload and retry',
  },
  poverty_no_procedure: { status: 409, zh: '该户当前没有进行中的认定或退出程序', en: 'No procedure is running for this household' },
  poverty_step_out_of_order: {
    status: 409,
    zh: '请按顺序办理：入户核查、签署授权书、信息比对、民主评议、公示、乡镇审核、县级审定',
    en: 'Steps go in order: home visit, authorisation, data comparison, village review, notice, township review, county approval',
  },
  poverty_cannot_reject: { status: 409, zh: '只有评议、审核和审定环节可以不予通过', en: 'Only the reviews and the approval may reject' },
  poverty_evidence_too_many: {
    status: 400,
    zh: '该户已有30份尚未用于任何环节的材料，请先办理相应环节，未保存',
    en: 'This household already has 30 files no step names yet; take the steps first. Nothing was stored',
  },
  poverty_evidence_required: { status: 422, zh: '请先上传签字的授权书', en: 'Upload the signed authorisation first' },
  poverty_notice_running: {
    status: 409,
    zh: '公示期未满，请公示结束后再审核',
    en: 'The public notice is still running; review after it ends',
  },
  poverty_objections_open: { status: 409, zh: '公示期间的异议尚未处理', en: 'Objections raised during the notice are not answered yet' },
  poverty_not_noticed: { status: 409, zh: '该户不在公示期内', en: 'This household is not under public notice now' },
  poverty_already_flagged: { status: 409, zh: '该户已在监测或认定中', en: 'This household is already being identified or monitored' },
  poverty_not_monitored: { status: 409, zh: '该户不在监测帮扶中', en: 'This household is not being monitored' },
  poverty_no_labour: {
    status: 409,
    zh: '无劳动能力的家庭不退出监测，继续落实兜底保障',
    en: 'A household without labour stays monitored, with its social assistance',
  },
  poverty_not_stable: {
    status: 409,
    zh: '收入尚未连续{months}个月稳定高于监测线',
    en: 'Income has not stayed above the line for {months} months yet',
  },
  poverty_causes_open: {
    status: 409,
    zh: '致贫返贫风险尚未消除，或帮扶措施尚未完成',
    en: 'The causes are not resolved or help measures are still open',
  },
} satisfies Record<string, { status: number; zh: string; en: string }>;
