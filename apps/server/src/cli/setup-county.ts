// `npm run setup:county -- --code 500242 --name 酉阳土家族苗族自治县 --admin-phone 139… --admin-name 张三
//    --system-admin-phone … --system-admin-name … --security-admin-phone … --security-admin-name …
//    --audit-admin-phone … --audit-admin-name …`
// Creates the county (one per installation), its first county administrator and the holders of the
// three separated duties (system, security and audit administration; README, Separation of duties),
// five accounts in all, on the configured database (DATABASE_URL or DATA_DIR, migrated first).
// All start with the one setup password; each holder changes it at first sign-in. The password comes from SETUP_ADMIN_PASSWORD
// or is asked for twice without echo; it must meet the login password rules.
// Exits 0 when done, 1 when refused (weak password, county already there, bad code), 2 on bad usage.
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig, setupPasswordFrom } from '../config.ts';
import { accountCredentials } from '../modules/auth/credentials.service.ts';
import { type DutyHolder, setupCounty } from '../modules/org/county-setup.service.ts';
import { keepDataPrivate, prepare } from '../platform/bootstrap.ts';
import { exitWith } from './cli-output.ts';

const USAGE =
  'usage: npm run setup:county -- --code <6-digit county code> --name <county name> --admin-phone <mobile> --admin-name <name> [--name-en <English name>]\n' +
  '       --system-admin-phone <mobile> --system-admin-name <name> --security-admin-phone <mobile> --security-admin-name <name>\n' +
  '       --audit-admin-phone <mobile> --audit-admin-name <name>   (five different mobiles)\n' +
  '       the password: SETUP_ADMIN_PASSWORD=… or typed at the prompt\n';

/** Reads a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const output = rl as unknown as { _writeToOutput(text: string): void };
  let asked = false;
  const write = output._writeToOutput.bind(rl);
  output._writeToOutput = (text) => {
    if (!asked) write(text);
  };
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    asked = true;
  });
}

async function password(): Promise<string | undefined> {
  const fromEnv = setupPasswordFrom();
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) return undefined;
  const first = await askHidden('县管理员密码 Administrator password: ');
  const second = await askHidden('再输入一次 Again: ');
  if (first !== second) {
    process.stderr.write('两次输入不一致 / The two passwords differ\n');
    process.exit(1);
  }
  return first;
}

let args: Record<string, string | undefined>;
try {
  args = parseArgs({
    options: {
      code: { type: 'string' },
      name: { type: 'string' },
      'name-en': { type: 'string' },
      'admin-phone': { type: 'string' },
      'admin-name': { type: 'string' },
      'system-admin-phone': { type: 'string' },
      'system-admin-name': { type: 'string' },
      'security-admin-phone': { type: 'string' },
      'security-admin-name': { type: 'string' },
      'audit-admin-phone': { type: 'string' },
      'audit-admin-name': { type: 'string' },
    },
  }).values;
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!args.code || !args.name || !args['admin-phone'] || !args['admin-name']) {
  process.stderr.write(USAGE);
  process.exit(2);
}

function holder(prefix: 'system' | 'security' | 'audit'): DutyHolder {
  const phone = args[`${prefix}-admin-phone`];
  const name = args[`${prefix}-admin-name`];
  if (!phone || !name) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  return { phone, name };
}
// Without them nobody could manage the county's accounts, configure it or read its audit log.
const duties = { systemAdmin: holder('system'), securityAdmin: holder('security'), auditAdmin: holder('audit') };

try {
  const config = loadConfig();
  keepDataPrivate(config);
  const secret = await password();
  if (!secret) {
    process.stderr.write(`no password: set SETUP_ADMIN_PASSWORD or run in a terminal\n${USAGE}`);
    process.exit(2);
  }
  const { database, deps } = await prepare(config);
  try {
    await setupCounty(
      deps,
      {
        code: args.code,
        name: args.name,
        nameEn: args['name-en'],
        adminPhone: args['admin-phone'],
        adminName: args['admin-name'],
        password: secret,
        duties,
      },
      accountCredentials,
    );
  } finally {
    await database.close();
  }
  process.stdout.write(
    `已建立县 ${args.code}，县管理员 ${args['admin-phone']}、系统管理员 ${duties.systemAdmin.phone}、安全管理员 ${duties.securityAdmin.phone}、审计管理员 ${duties.auditAdmin.phone} 可登录，请各自修改密码 / ` +
      `County ${args.code} set up; its administrator and its system, security and audit administrators can log in: each changes the password at first sign-in\n` +
      'Next: npm run import:regions -- <file>, npm run import:grids -- <file>, npm run import:households -- <file>\n',
  );
  process.exit(0);
} catch (error) {
  exitWith(error);
}
