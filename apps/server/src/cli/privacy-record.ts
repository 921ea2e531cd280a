// `npm run privacy:record`: prints the record of processing activities (个人信息处理活动记录, PIPL
// art. 54) made from the modules' declarations (modules/<m>/<m>.privacy.ts), as Markdown for the
// county's compliance file. Needs no database: the record is what the code declares.
import { processingRecord } from '../modules/privacy/privacy.service.ts';

const cell = (value: string) => value.replaceAll('|', '\\|');
const lines = [
  '# 个人信息处理活动记录 / Record of processing activities',
  '',
  '| 模块 module | 处理活动 activity | 个人信息 data | 主体 subjects | 目的 purpose | 依据 legal basis | 敏感 sensitive | 保存期限 retention | 接收方 recipients |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...processingRecord()
    .map((a) =>
      [
        a.module,
        a.name,
        a.dataCategories.join('; '),
        a.subjects,
        a.purpose,
        a.consentPurpose ? `${a.legalBasis} (${a.consentPurpose})` : a.legalBasis,
        a.sensitive ? '是 yes' : '否 no',
        a.retention,
        a.recipients.join('; '),
      ]
        .map(cell)
        .join(' | '),
    )
    .map((row) => `| ${row} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
