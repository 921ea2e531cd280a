import { casesBench } from './cases.bench.ts';

console.table(await casesBench({ seconds: 3 }));
