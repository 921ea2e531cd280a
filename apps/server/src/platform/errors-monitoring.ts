// The camera module's error codes (modules/monitoring: cameras and their pictures, evidence for
// the police, change detection's findings, farm cameras), kept apart from errors.ts's catalogue,
// which spreads them in: the catalogue had outgrown one file.
export const MONITORING_ERRORS = {
  // Cameras: a camera, an NVR or a cadre told why a picture or a setting is refused.
  snapshot_not_image: { status: 415, zh: '收到的不是 JPEG 或 PNG 图片，未保存', en: 'Not a JPEG or PNG picture; nothing was stored' },
  snapshot_too_large: {
    status: 413,
    zh: '图片超过{megabytes}MB或{megapixels}百万像素，未保存',
    en: 'The picture is over {megabytes} MB or {megapixels} megapixels; nothing was stored',
  },
  camera_key_invalid: { status: 401, zh: '摄像头密钥不正确', en: 'Wrong camera key' },
  camera_disabled: { status: 409, zh: '该摄像头已停用，不再接收图片', en: 'This camera is disabled and takes no pictures' },
  captured_in_future: { status: 400, zh: '拍摄时间晚于服务器时间，请校准时钟', en: 'Captured after the server’s time; set its clock' },
  captured_too_old: { status: 400, zh: '拍摄时间早于七天前，不再接收', en: 'Captured more than seven days ago; not taken in' },
  camera_address_refused: { status: 400, zh: '地址不在摄像头网络内，不会连接', en: 'Outside the camera networks; not contacted' },
  public_sign_required: { status: 400, zh: '公共区域摄像头须登记公示标识', en: 'A public camera needs its public sign’s reference' },
  camera_unreachable: { status: 502, zh: '摄像头未应答或应答有误（{reason}）', en: 'The camera did not answer properly ({reason})' },
  snapshot_format_unsupported: {
    status: 415,
    zh: '只接收 8 位的普通 JPEG 或 PNG 图片（不接收 16 位、隔行、无损或 CMYK 格式），未保存',
    en: 'Only plain 8-bit JPEG or PNG pictures are taken (not 16-bit, interlaced, lossless or CMYK); nothing was stored',
  },
  snapshot_busy: {
    status: 503,
    zh: '正在处理的图片过多，请{seconds}秒后重新发送',
    en: 'Too many pictures are being processed; send again in {seconds} seconds',
  },
  camera_push_throttled: {
    status: 429,
    zh: '摄像头密钥错误次数过多，请{seconds}秒后再试',
    en: 'Too many wrong camera keys; try again in {seconds} seconds',
  },
  camera_name_blank: {
    status: 400,
    zh: '摄像头名称和管理单位不能为空或只有空格',
    en: 'A camera’s name and owner cannot be empty or only spaces',
  },
  watch_area_empty: {
    status: 400,
    zh: '监视区域围成的面积为零，请至少画出三个不在一条直线上的点',
    en: 'The watch area encloses no area; draw at least three points not on one line',
  },
  // Evidence for the police (modules/monitoring/monitoring-evidence.*).
  evidence_range_invalid: {
    status: 400,
    zh: '时间范围有误：开始须早于结束，结束不能晚于现在，且不超过{days}天',
    en: 'The time range is not valid: it must start before it ends, end no later than now and span at most {days} days',
  },
  evidence_request_state: {
    status: 409,
    zh: '该调取申请当前状态下不能这样处理',
    en: 'The evidence request cannot take this step in its current state',
  },
  evidence_decider_set_up_requester: {
    status: 403,
    zh: '您开通过申请人的账号、为其分配过角色或重置过其密码，不能审批其调取申请，请由其他审批人处理',
    en: 'You created, gave a role to or reset the sign-in of the requester’s account, so another decider must decide this request',
  },
  evidence_no_pictures: {
    status: 409,
    zh: '该时段内没有这个摄像头的图片，无证据可提供；请选择不予批准并说明原因',
    en: 'The camera has no pictures in this time range, so there is nothing to hand over; refuse with a reason instead',
  },
  evidence_too_many_pictures: {
    status: 409,
    zh: '该时段的图片超过{max}张，请缩短时段分次申请',
    en: 'More than {max} pictures in this time range; ask for shorter ranges',
  },
  evidence_package_not_ready: {
    status: 409,
    zh: '证据包尚未生成，请稍后再下载',
    en: 'The evidence package is not ready yet; download it a little later',
  },
  // Change detection's findings and farm cameras (modules/monitoring/monitoring-findings.*, monitoring-farm.*).
  finding_state: {
    status: 409,
    zh: '该监控发现已处理，不能再这样处理',
    en: 'The finding has already been dealt with this way or cannot be',
  },
  camera_not_farm: {
    status: 409,
    zh: '只有农业生产用途的摄像头可以关联地块或禽畜群',
    en: 'Only farm cameras can be attached to a plot or flock',
  },
} satisfies Record<string, { status: number; zh: string; en: string }>;
